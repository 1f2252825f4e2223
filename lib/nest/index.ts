// Entry `busline/nest`: the NestJS module, decorators and client. NestJS, rxjs and
// class-validator are optional peers of Busline; this entry needs them.
import './nest.peers';

export {
  BuslineModule,
  type BuslineOptionsFactory,
  type BuslineModuleRootOptions,
  type BuslineModuleAsyncOptions,
} from './busline.module';
export {
  BuslineClient,
  type BuslinePublishOptions,
  type BuslineSubscribeOptions,
  type BuslineRequestOptions,
} from './busline.client';
export {
  BuslineHealthIndicator,
  type BuslineHealthResult,
} from './health/busline.health-indicator';
export type { TransportHealth } from './health/transport-health';
export { BUSLINE_MODULE_OPTIONS } from './busline.constants';
export { Subscribe } from './decorators/subscribe.decorator';
export { Publishes, type PublishesOptions } from './decorators/publishes.decorator';
export { createAsyncApiDocument } from './asyncapi/asyncapi.document';
export { asyncApiToJson, asyncApiToYaml } from './asyncapi/asyncapi.output';
export type {
  AsyncApiDocument,
  AsyncApiDocumentOptions,
  JsonSchema,
  JsonValue,
} from './asyncapi/asyncapi.types';
export { Payload } from './decorators/payload.decorator';
export { Topic } from './decorators/topic.decorator';
export { Envelope } from './decorators/envelope.decorator';
export { TopicParams } from './decorators/topic-params.decorator';
export { Ctx } from './decorators/ctx.decorator';
export type { HandlerParamPipe } from './decorators/handler-param';
export { BuslineContext, BUSLINE_CONTEXT_TYPE, type BuslineContextType } from './busline-context';
export { BuslineConfigurationError } from './errors/busline-configuration.error';
export { BuslineConnectionError } from './errors/busline-connection.error';
export { MessageValidationError } from './errors/message-validation.error';
export { DeadLetterMessage } from './messages/dead-letter.message';
export type {
  BuslineModuleOptions,
  LocalTransportOptions,
  NamedConnectors,
} from './interfaces/busline-module-options.interface';
export type {
  MqttTransportOptions,
  MqttPublisherExtras,
  MqttSubscriberExtras,
} from './interfaces/mqtt-transport-options.interface';
export type { FlowPageOptions } from './flow-page/flow-page-options.interface';
export type { SubscriptionOptions } from './interfaces/subscription-options.interface';
export type { RetryOptions } from './interfaces/retry-options.interface';
export type { DeadLetterOptions } from './interfaces/dead-letter-options.interface';
export type { BuslineErrorContext } from './interfaces/busline-error-context.interface';
export type { BuslineErrorHook } from './interfaces/busline-error-hook.interface';
