// Entry `busline`: the core and the local transport. MQTT is `busline/mqtt`, NestJS
// `busline/nest`, test helpers `busline/testing`. Inside lib/, import concrete files, never an
// entry: barrels invite circular imports.
import 'reflect-metadata'; // class-transformer's @Type reads decorator metadata through it

// Core: messages, events, registry
export { BuslineError } from './core/errors/busline.error';
export { InvalidArgumentError } from './core/errors/invalid-argument.error';
export { InvalidTopicError } from './core/errors/invalid-topic.error';
export { NotConnectedError } from './core/errors/not-connected.error';
export { PublishTimeoutError } from './core/errors/publish-timeout.error';
export { SubscriptionsRefusedError } from './core/errors/subscriptions-refused.error';
export { HandlerError, HandlerRequiredError } from './core/errors/handler.error';
export { InboundBufferOverflowError } from './core/errors/inbound-buffer-overflow.error';
export { Message } from './core/message.decorator';
export type { BuslineMessage, MessageClass } from './core/message';
export { UnsupportedFormatError } from './core/errors/unsupported-format.error';
export { Event, type EventInit, type EventHeaders } from './core/event';
export {
  REPLY_TO_HEADER,
  CORRELATION_ID_HEADER,
  ERROR_HEADER,
  ERROR_NAME_HEADER,
} from './core/event-headers';
export { EventRegistry, addToRegistry } from './core/event.registry';
export { MessageTypeNotFoundError } from './core/errors/message-type-not-found.error';
export { PayloadDecodeError } from './core/errors/payload-decode.error';
export { MissingPeerDependencyError } from './core/errors/missing-peer-dependency.error';
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
export { EnvelopeDecodeError } from './core/errors/envelope-decode.error';

// Core: raw payloads and other systems' envelopes (raw, @nestjs/microservices, CloudEvents)
export {
  FOREIGN_PUBLISHER_IDENTIFIER,
  type RawPayload,
  type SubscribeEnvelope,
  type PublishEnvelope,
  type WireContext,
  type EncodedEvent,
} from './core/envelopes/envelope';
export {
  anyEnvelopeDeserializer,
  decodeWithEnvelope,
  encodeWithEnvelope,
  type DecodedEvent,
} from './core/envelopes/envelope.codec';
export { ForeignEnvelopeError } from './core/errors/foreign-envelope.error';
export { BytesMessage } from './core/messages/bytes.message';
export { RawJsonMessage } from './core/messages/raw-json.message';
export { pythonFloat, PythonFloat } from './core/codec/python-json';

// Core: handlers and clients
export { EventHandler } from './core/handlers/event-handler.decorator';
export type {
  BuslineEventHandler,
  EventHandlerFunction,
  HandlerLike,
} from './core/handlers/event-handler';
export { CallbackEventHandler, eventHandler } from './core/handlers/callback-event-handler';
export {
  MultiEventHandler,
  type MultiEventHandlerOptions,
} from './core/handlers/multi-event-handler';
export {
  DeduplicatingEventHandler,
  type DeduplicatingEventHandlerOptions,
} from './core/handlers/deduplicating-event-handler';
export { EventBusConnector, type ConnectorOptions } from './core/connector';
export type {
  ConnectionStatus,
  ConnectionStatusChange,
  ConnectionStatusListener,
} from './core/connection-status';
export type { ConnectorStatus, ConnectorStatusChange } from './core/client-status';
export type { BuslineLogger } from './core/logger';
export {
  Publisher,
  type Publishable,
  type PublishOptions,
  type PublisherOptions,
  type MultiPublishOptions,
} from './core/publisher';
export { Subscriber } from './core/subscriber';
export type { HandledCallback } from './core/subscription';
export type {
  Unsubscribe,
  SubscribeOptions,
  SubscriberOptions,
  MultiSubscribeOptions,
} from './core/subscriber.options';
export {
  PubSubClient,
  PubSubClientBuilder,
  type PubSubClientOptions,
  type ClientPublishOptions,
  type ClientSubscribeOptions,
  type RequestOptions,
} from './core/pubsub-client';
export { NoTransportError } from './core/errors/no-transport.error';
export { RequestTimeoutError } from './core/errors/request-timeout.error';
export { NoResponderError } from './core/errors/no-responder.error';
export { NoSubscriberError } from './core/errors/no-subscriber.error';
export { RemoteHandlerError } from './core/errors/remote-handler.error';

// Core: topics
export { validatePublishTopic, validateTopicFilter } from './core/topics/topic.validation';
export { topicMatches } from './core/topics/topic.matcher';

// Local transport
export { EventBus } from './local/event-bus';
export { AsyncLocalEventBus } from './local/async-local-event-bus';
export { LocalEventBus } from './local/local-event-bus';
export { LocalPublisher, type LocalPublisherOptions } from './local/local.publisher';
export { LocalSubscriber, type LocalSubscriberOptions } from './local/local.subscriber';
