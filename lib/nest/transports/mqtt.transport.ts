import type { Event } from '../../core/event';
import type { HandlerLike } from '../../core/handlers/event-handler';
import type { Message } from '../../core/message';
import type { Publisher } from '../../core/publisher';
import type { Subscriber, Unsubscribe } from '../../core/subscriber';
import type { MqttPublishOptions, MqttQoS, MqttSubscribeOptions } from '../../mqtt/mqtt.options';
import { MqttPublisher, type MqttPublisherOptions } from '../../mqtt/mqtt.publisher';
import { MqttSubscriber, type MqttSubscriberOptions } from '../../mqtt/mqtt.subscriber';
import { DEFAULT_MQTT_TRANSPORT } from '../busline.constants';
import type { NamedConnector, TransportBuilder } from '../busline.transports';
import { BuslineConfigurationError } from '../errors/busline-configuration.error';
import type { MqttTransportOptions } from '../interfaces/mqtt-transport-options.interface';

/** @internal An MQTT publisher that applies its connection's default QoS. */
class DefaultQosMqttPublisher extends MqttPublisher {
  constructor(
    options: MqttPublisherOptions,
    private readonly defaultQos: MqttQoS,
  ) {
    super(options);
  }

  override toString(): string {
    return `MqttPublisher('${this.identifier}')`;
  }

  override publishEvent(topic: string, event: Event, options?: MqttPublishOptions): Promise<Event> {
    return super.publishEvent(topic, event, withQos(options, this.defaultQos));
  }
}

/** @internal An MQTT subscriber that applies its connection's default QoS. */
class DefaultQosMqttSubscriber extends MqttSubscriber {
  constructor(
    options: MqttSubscriberOptions,
    private readonly defaultQos: MqttQoS,
  ) {
    super(options);
  }

  override toString(): string {
    return `MqttSubscriber('${this.identifier}')`;
  }

  override subscribe<M extends Message = Message>(
    topic: string,
    handler?: HandlerLike<M>,
    options?: MqttSubscribeOptions,
  ): Promise<Unsubscribe> {
    return super.subscribe(topic, handler, withQos(options, this.defaultQos));
  }
}

function withQos<O extends { qos?: MqttQoS }>(options: O | undefined, qos: MqttQoS): O {
  return options?.qos === undefined ? ({ ...options, qos } as O) : options;
}

/**
 * @internal Builds the MQTT connections of the module options: for each, an `MqttPublisher` and
 * an `MqttSubscriber` named after it. With a `clientId` in the shared client options, the two
 * clients get `<clientId>-pub` and `<clientId>-sub` (a broker allows one connection per id).
 */
export const mqttTransportBuilder: TransportBuilder = (options, context, claim) => {
  const publishers: NamedConnector<Publisher>[] = [];
  const subscribers: NamedConnector<Subscriber>[] = [];
  if (options.mqtt === undefined) return { publishers, subscribers };
  const connections: readonly MqttTransportOptions[] = Array.isArray(options.mqtt)
    ? options.mqtt
    : [options.mqtt as MqttTransportOptions];
  const drainTimeout = options.shutdownTimeout;
  for (const [index, connection] of connections.entries()) {
    if (typeof connection !== 'object' || connection === null) {
      throw new BuslineConfigurationError(
        `BuslineModule option \`mqtt\`${connections.length > 1 ? `[${index}]` : ''} must be ` +
          '{ url } or { hostname, port }, with optional otherClientParameters, qos and name',
      );
    }
    const {
      name = DEFAULT_MQTT_TRANSPORT,
      qos = 0,
      publish = true,
      subscribe = true,
      publisher: publisherExtras = {},
      subscriber: subscriberExtras = {},
      otherClientParameters = {},
      ...address
    } = connection;
    claim(name, `the MQTT connection '${name}'`);
    if (qos !== 0 && qos !== 1 && qos !== 2) {
      throw new BuslineConfigurationError(
        `BuslineModule MQTT connection '${name}': qos must be 0, 1 or 2; got ${String(qos)}`,
      );
    }
    const clientId = otherClientParameters.clientId;
    const clientOptions = (
      suffix: string,
      own: MqttTransportOptions['otherClientParameters'],
    ): MqttTransportOptions['otherClientParameters'] => ({
      ...otherClientParameters,
      ...(clientId !== undefined && { clientId: `${clientId}-${suffix}` }),
      ...own,
    });
    try {
      if (publish) {
        const publisher = new DefaultQosMqttPublisher(
          {
            ...publisherExtras,
            ...address,
            otherClientParameters: clientOptions('pub', publisherExtras.otherClientParameters),
            logger: context.logger,
          } as MqttPublisherOptions,
          qos,
        );
        publishers.push({ name, connector: publisher });
      }
      if (subscribe) {
        const subscriber = new DefaultQosMqttSubscriber(
          {
            ...subscriberExtras,
            ...address,
            otherClientParameters: clientOptions('sub', subscriberExtras.otherClientParameters),
            logger: context.logger,
            drainTimeout,
          } as MqttSubscriberOptions,
          qos,
        );
        subscribers.push({ name, connector: subscriber });
      }
    } catch (error) {
      throw new BuslineConfigurationError(
        `BuslineModule MQTT connection '${name}': ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return { publishers, subscribers };
};
