// The one public entry of Busline. Inside lib/, import concrete files, never this one.
import 'reflect-metadata'; // class-transformer's @Type and NestJS read decorator metadata through it

// Core: messages, events, registry
export { BuslineError } from './core/errors/busline.error';
export { InvalidArgumentError } from './core/errors/invalid-argument.error';
export { InvalidTopicError } from './core/errors/invalid-topic.error';
export { NotConnectedError } from './core/errors/not-connected.error';
export { PublishTimeoutError } from './core/errors/publish-timeout.error';
export { SubscriptionsRefusedError } from './core/errors/subscriptions-refused.error';
export {
  HandlerError,
  HandlerRequiredError,
  InboundBufferOverflowError,
} from './core/errors/handler.error';
export { Message, isMessage, UnsupportedFormatError, type MessageClass } from './core/message';
export { Event, type EventInit } from './core/event';
export { EventRegistry, addToRegistry, MessageTypeNotFoundError } from './core/event.registry';
export { PayloadDecodeError } from './core/errors/payload-decode.error';
export {
  JSON_FORMAT_TYPE,
  AVRO_FORMAT_TYPE,
  BYTES_FORMAT_TYPE,
  UTF8_FORMAT_TYPE,
} from './core/messages/format-types';
export { StringMessage } from './core/messages/string.message';
export { Int64Message } from './core/messages/int64.message';
export { Int32Message } from './core/messages/int32.message';
export { Float32Message } from './core/messages/float32.message';
export { Float64Message } from './core/messages/float64.message';
export { JsonMessage, type JsonMessageClass } from './core/messages/json.message';
export { JsonFloat } from './core/messages/json-float.decorator';
export {
  AvroMessage,
  AvroSchema,
  avroTypeOf,
  type AvroMessageClass,
  type AvroRecordSchema,
} from './core/messages/avro.message';

// Core: the wire envelope
export {
  RegistryPassthroughEvent,
  type RegistryPassthroughEventInit,
} from './core/wire/registry-passthrough.event';
export {
  registryPassthroughEventJsonSerializer,
  registryPassthroughEventJsonDeserializer,
} from './core/wire/registry-passthrough-event.json';
export {
  registryPassthroughEventBinarySerializer,
  registryPassthroughEventBinaryDeserializer,
} from './core/wire/registry-passthrough-event.binary';
export { registryPassthroughEventAutoDeserializer } from './core/wire/registry-passthrough-event.auto';
export { EnvelopeDecodeError } from './core/wire/envelope-decode.error';
export { pythonFloat, PythonFloat } from './core/wire/python-json';

// Core: handlers and clients
export {
  EventHandler,
  isEventHandler,
  eventHandlerMethods,
  toHandler,
  type HandlerMethod,
  type EventHandlerFunction,
  type HandlerLike,
} from './core/handlers/event-handler';
export { CallbackEventHandler, eventHandler } from './core/handlers/callback-event-handler';
export {
  MultiEventHandler,
  type MultiEventHandlerOptions,
} from './core/handlers/multi-event-handler';
export {
  DeduplicatingEventHandler,
  DEFAULT_DEDUPLICATION_WINDOW,
  type DeduplicatingEventHandlerOptions,
} from './core/handlers/deduplicating-event-handler';
export { EventBusConnector, type ConnectorOptions } from './core/connector';
export { consoleLogger, type BuslineLogger } from './core/logger';
export {
  Publisher,
  toMessage,
  type Publishable,
  type PublishOptions,
  type PublisherOptions,
  type MultiPublishOptions,
} from './core/publisher';
export {
  Subscriber,
  type Unsubscribe,
  type SubscribeOptions,
  type SubscriberOptions,
  type MultiSubscribeOptions,
} from './core/subscriber';
export {
  PubSubClient,
  PubSubClientBuilder,
  NoTransportError,
  RESTORE_WAIT,
  type PubSubClientOptions,
  type ClientPublishOptions,
  type ClientSubscribeOptions,
} from './core/pubsub-client';

// Core: topics
export {
  validatePublishTopic,
  validateTopicFilter,
  hasWildcard,
  matchingFilter,
} from './core/topics/topic.validation';
export { topicMatches } from './core/topics/topic.matcher';
export { TopicTrie } from './core/topics/topic.trie';

// Local transport
export { EventBus } from './local/event-bus';
export { AsyncLocalEventBus } from './local/async-local-event-bus';
export { LocalEventBus } from './local/local-event-bus';
export { LocalPublisher, type LocalPublisherOptions } from './local/local.publisher';
export { LocalSubscriber, type LocalSubscriberOptions } from './local/local.subscriber';

// MQTT transport
export { MqttPublisher, type MqttPublisherOptions } from './mqtt/mqtt.publisher';
export { MqttSubscriber, type MqttSubscriberOptions } from './mqtt/mqtt.subscriber';
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
} from './mqtt/mqtt.options';
export type {
  MqttConnectionStatus,
  MqttStatusChange,
  MqttStatusListener,
} from './mqtt/mqtt.connection';
export type { MqttEventSerializer, MqttEventDeserializer } from './mqtt/mqtt.serialization';
export {
  startEmbeddedBroker,
  type EmbeddedBroker,
  type EmbeddedBrokerOptions,
  type EmbeddedBrokerCredentials,
} from './mqtt/embedded-broker';
export { MqttConnectionError } from './mqtt/errors/mqtt-connection.error';
export {
  MqttPublishError,
  MqttOfflineQueueFullError,
  OutboundPayloadTooLargeError,
} from './mqtt/errors/mqtt-publish.error';
export { MqttSubscribeError } from './mqtt/errors/mqtt-subscribe.error';
export {
  InboundDecodeError,
  InboundPayloadTooLargeError,
} from './mqtt/errors/inbound-decode.error';

// NestJS
export {
  BuslineModule,
  type BuslineOptionsFactory,
  type BuslineModuleRootOptions,
  type BuslineModuleAsyncOptions,
} from './nest/busline.module';
export {
  BuslineClient,
  type BuslinePublishOptions,
  type BuslineSubscribeOptions,
  type BuslineClientOptions,
} from './nest/busline.client';
export { BUSLINE_MODULE_OPTIONS } from './nest/busline.constants';
export { Subscribe } from './nest/decorators/subscribe.decorator';
export { Payload } from './nest/decorators/payload.decorator';
export { Topic } from './nest/decorators/topic.decorator';
export { Envelope } from './nest/decorators/envelope.decorator';
export { TopicParams } from './nest/decorators/topic-params.decorator';
export { BuslineConfigurationError } from './nest/errors/busline-configuration.error';
export { BuslineConnectionError } from './nest/errors/busline-connection.error';
export { MessageValidationError } from './nest/errors/message-validation.error';
export { DeadLetterMessage } from './nest/messages/dead-letter.message';
export type {
  BuslineModuleOptions,
  LocalTransportOptions,
  NamedConnectors,
} from './nest/interfaces/busline-module-options.interface';
export type {
  MqttTransportOptions,
  MqttPublisherExtras,
  MqttSubscriberExtras,
} from './nest/interfaces/mqtt-transport-options.interface';
export type { SubscriptionOptions } from './nest/interfaces/subscription-options.interface';
export type { RetryOptions } from './nest/interfaces/retry-options.interface';
export type { DeadLetterOptions } from './nest/interfaces/dead-letter-options.interface';
export type { BuslineErrorContext } from './nest/interfaces/busline-error-context.interface';
export type { BuslineErrorHook } from './nest/interfaces/busline-error-hook.interface';
