// Entry `busline/mqtt`: the MQTT transport over mqtt.js (an optional peer: npm install mqtt).
import './mqtt.peers';

export { MqttPublisher, type MqttPublisherOptions } from './mqtt.publisher';
export { MqttSubscriber, type MqttSubscriberOptions } from './mqtt.subscriber';
export {
  DEFAULT_MAX_PAYLOAD_SIZE,
  DEFAULT_MQTT_PORT,
  DEFAULT_CONNECT_TIMEOUT,
  type MqttClientOptions,
  type MqttHostAddress,
  type MqttUrlAddress,
  type MqttPublishOptions,
  type MqttSubscribeOptions,
  type MqttQoS,
} from './mqtt.options';
export type { MqttConnectionStatus, MqttStatusChange, MqttStatusListener } from './mqtt.connection';
export type { MqttEventSerializer, MqttEventDeserializer } from './mqtt.serialization';
export { MqttConnectionError } from './errors/mqtt-connection.error';
export {
  MqttPublishError,
  MqttOfflineQueueFullError,
  OutboundPayloadTooLargeError,
} from './errors/mqtt-publish.error';
export { MqttSubscribeError } from './errors/mqtt-subscribe.error';
export { InboundDecodeError, InboundPayloadTooLargeError } from './errors/inbound-decode.error';
