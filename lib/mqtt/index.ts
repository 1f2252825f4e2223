// Entry `busline/mqtt`: the MQTT transport over mqtt.js (an optional peer: npm install mqtt).
import './mqtt.peers';

export { MqttPublisher, type MqttPublisherOptions } from './mqtt.publisher';
export { MqttSubscriber, type MqttSubscriberOptions } from './mqtt.subscriber';
export type {
  MqttClientOptions,
  MqttHostAddress,
  MqttUrlAddress,
  MqttPublishOptions,
  MqttSubscribeOptions,
  MqttQoS,
} from './mqtt.options';
export type { MqttConnectionStatus, MqttStatusChange, MqttStatusListener } from './mqtt.connection';
export type {
  MqttEventSerializer,
  MqttEventDeserializer,
  MqttDeserializeContext,
} from './mqtt.serialization';
export { MqttConnectionError } from './errors/mqtt-connection.error';
export {
  MqttPublishError,
  MqttOfflineQueueFullError,
  OutboundPayloadTooLargeError,
} from './errors/mqtt-publish.error';
export { MqttSubscribeError } from './errors/mqtt-subscribe.error';
export { InboundDecodeError, InboundPayloadTooLargeError } from './errors/inbound-decode.error';
