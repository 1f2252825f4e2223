/*
 * Attribute names of the OpenTelemetry messaging semantic conventions (v1.27 and later) that
 * Busline writes, plus its own under `busline.`. Written out here rather than imported from
 * `@opentelemetry/semantic-conventions`, which Busline does not depend on.
 */

/** @internal */
export const MESSAGING_SYSTEM = 'messaging.system';
/** @internal */
export const MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
/** @internal The topic filter a subscription took the event with. */
export const MESSAGING_DESTINATION_TEMPLATE = 'messaging.destination.template';
/** @internal */
export const MESSAGING_MESSAGE_ID = 'messaging.message.id';
/** @internal */
export const MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
/** @internal */
export const MESSAGING_OPERATION_NAME = 'messaging.operation.name';
/** @internal */
export const MESSAGING_CLIENT_ID = 'messaging.client.id';
/** @internal */
export const ERROR_TYPE = 'error.type';
/** @internal The payload's message class (`null` for none). */
export const BUSLINE_MESSAGE_TYPE = 'busline.message.type';
/** @internal The handler (`Class.method` for a `@Subscribe` method). */
export const BUSLINE_HANDLER = 'busline.handler';
/** @internal How many times the handler was called for the event. */
export const BUSLINE_ATTEMPTS = 'busline.attempts';
/** @internal On a retry event: the attempt that failed. */
export const BUSLINE_ATTEMPT = 'busline.attempt';
/** @internal */
export const BUSLINE_CONNECTION_STATUS = 'busline.connection.status';
/** @internal */
export const BUSLINE_CONNECTOR = 'busline.connector';

/** @internal `messaging.system` of the local bus and of transports that name none. */
export const LOCAL_MESSAGING_SYSTEM = 'busline';

/** @internal The message type attribute of an event's payload. */
export function messageTypeOf(payload: object | null): string {
  return payload === null ? 'null' : payload.constructor.name;
}

/** @internal `error.type` of a failure: the error class's name. */
export function errorTypeOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
