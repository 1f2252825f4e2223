import type { IClientOptions } from 'mqtt';
import type { MqttClientOptions, MqttQoS } from '../../mqtt/mqtt.options';
import type { MqttPublisherOptions } from '../../mqtt/mqtt.publisher';
import type { MqttSubscriberOptions } from '../../mqtt/mqtt.subscriber';

/** Options only the publisher of an MQTT connection takes. */
export type MqttPublisherExtras = Omit<
  MqttPublisherOptions,
  'url' | 'hostname' | 'port' | 'otherClientParameters' | 'logger'
> & {
  /** mqtt.js options for the publisher only, over the connection's `otherClientParameters`. */
  otherClientParameters?: IClientOptions;
};

/** Options only the subscriber of an MQTT connection takes. */
export type MqttSubscriberExtras = Omit<
  MqttSubscriberOptions,
  'url' | 'hostname' | 'port' | 'otherClientParameters' | 'logger' | 'onError' | 'drainTimeout'
> & {
  /** mqtt.js options for the subscriber only, over the connection's `otherClientParameters`. */
  otherClientParameters?: IClientOptions;
};

/**
 * One MQTT broker connection of the module: `{ url }` or `{ hostname, port }`, mqtt.js options
 * in `otherClientParameters`, and a default QoS. It makes an `MqttPublisher` and an
 * `MqttSubscriber` (two MQTT clients); give several, each with its own `name`, for several
 * brokers.
 */
export type MqttTransportOptions = MqttClientOptions & {
  /** Name to choose this connection by in `transport` options (default `'mqtt'`). */
  name?: string;
  /**
   * QoS of publishes and subscriptions that do not give one (default 0). A `@Subscribe` with
   * `qos`, or a publish with `{ qos }`, overrides it.
   */
  qos?: MqttQoS;
  /** Make a publisher for this connection (default `true`). */
  publish?: boolean;
  /** Make a subscriber for this connection (default `true`). */
  subscribe?: boolean;
  /** Further publisher options (serializer, offline queue, ...). */
  publisher?: MqttPublisherExtras;
  /** Further subscriber options (deserializer, payload size limit, backlog, ...). */
  subscriber?: MqttSubscriberExtras;
};
