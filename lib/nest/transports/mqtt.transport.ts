import type { Publisher } from '../../core/publisher';
import type { Subscriber } from '../../core/subscriber';
import { MqttPublisher, type MqttPublisherOptions } from '../../mqtt/mqtt.publisher';
import { MqttSubscriber, type MqttSubscriberOptions } from '../../mqtt/mqtt.subscriber';
import { DEFAULT_MQTT_TRANSPORT } from '../busline.constants';
import type { NamedConnector, TransportBuilder } from '../busline.transports';
import { BuslineConfigurationError } from '../errors/busline-configuration.error';
import type { MqttTransportOptions } from '../interfaces/mqtt-transport-options.interface';

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
      qos,
      publish = true,
      subscribe = true,
      publisher: publisherExtras = {},
      subscriber: subscriberExtras = {},
      otherClientParameters = {},
      ...address
    } = connection;
    claim(name, `the MQTT connection '${name}'`);
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
        const publisher = new MqttPublisher({
          ...publisherExtras,
          ...address,
          otherClientParameters: clientOptions('pub', publisherExtras.otherClientParameters),
          logger: context.logger,
          qos,
        } as MqttPublisherOptions);
        publishers.push({ name, connector: publisher });
      }
      if (subscribe) {
        const subscriber = new MqttSubscriber({
          ...subscriberExtras,
          ...address,
          otherClientParameters: clientOptions('sub', subscriberExtras.otherClientParameters),
          logger: context.logger,
          drainTimeout,
          qos,
        } as MqttSubscriberOptions);
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
