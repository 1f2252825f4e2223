import { randomUUID } from 'node:crypto';
import type { Attributes, Span } from '@opentelemetry/api';
import type { Event, EventHeaders } from '../event';
import {
  BUSLINE_MESSAGE_TYPE,
  ERROR_TYPE,
  errorTypeOf,
  MESSAGING_CLIENT_ID,
  MESSAGING_DESTINATION_NAME,
  MESSAGING_MESSAGE_ID,
  MESSAGING_OPERATION_NAME,
  MESSAGING_OPERATION_TYPE,
  MESSAGING_SYSTEM,
  messageTypeOf,
} from './messaging-attributes';
import { INSTRUMENTATION_SCOPE, instrumentsOf } from './busline-metrics';
import { metricsApi, tracingApi, type Otel } from './otel-api';
import { injectTraceContext } from './trace-context';

/** Who publishes: the transport's `messaging.system` and the client's identifier. */
interface PublishScope {
  readonly system: string;
  readonly clientId: string;
}

/**
 * @internal Send `event` through `send`, traced and counted when the application registered an
 * OpenTelemetry provider: a `PRODUCER` span `publish <topic>`, child of the active span, whose
 * context the event carries in its headers; `send` runs in that span's context and gets the
 * event with those headers. Without a provider, just `send(event)`. `system` is the transport's
 * `messaging.system`, `clientId` the publishing client's identifier.
 */
export function instrumentedPublish(
  system: string,
  clientId: string,
  topic: string,
  event: Event,
  send: (event: Event) => Promise<Event>,
): Promise<Event> {
  const tracing = tracingApi();
  const metrics = metricsApi();
  if (tracing === undefined && metrics === undefined) return send(event);
  const scope: PublishScope = { system, clientId };
  const sent =
    tracing === undefined ? send(event) : tracedPublish(tracing, scope, topic, event, send);
  if (metrics === undefined) return sent;
  return sent.then(
    (result) => {
      countSent(metrics, scope, event, undefined);
      return result;
    },
    (error: unknown) => {
      countSent(metrics, scope, event, error);
      throw error;
    },
  );
}

function tracedPublish(
  otel: Otel,
  scope: PublishScope,
  topic: string,
  event: Event,
  send: (event: Event) => Promise<Event>,
): Promise<Event> {
  const span = otel.trace.getTracer(INSTRUMENTATION_SCOPE).startSpan(`publish ${topic}`, {
    kind: otel.SpanKind.PRODUCER,
    attributes: {
      [MESSAGING_SYSTEM]: scope.system,
      [MESSAGING_DESTINATION_NAME]: topic,
      [MESSAGING_OPERATION_TYPE]: 'send',
      [MESSAGING_OPERATION_NAME]: 'publish',
      [MESSAGING_MESSAGE_ID]: event.identifier,
      [MESSAGING_CLIENT_ID]: scope.clientId,
      [BUSLINE_MESSAGE_TYPE]: messageTypeOf(event.payload),
    },
  });
  const context = otel.trace.setSpan(otel.context.active(), span);
  const headers = injectTraceContext(otel, context);
  const traced = Object.keys(headers).length > 0 ? event.withHeaders(headers) : event;
  let sent: Promise<Event>;
  try {
    sent = otel.context.with(context, send, undefined, traced);
  } catch (error) {
    sent = Promise.reject(error);
  }
  return settled(otel, span, sent);
}

/**
 * @internal A request (`PubSubClient.request()`), traced when a tracer provider is registered: a
 * `PRODUCER` span `request <topic>` from the publish until the reply came (or the request failed),
 * whose context the request carries in its headers, so the responder's handler and its reply join
 * the trace. `send` gets the publish options with those headers and the event identifier.
 */
export function instrumentedRequest<O extends { identifier?: string; headers?: EventHeaders }>(
  system: string,
  clientId: string,
  topic: string,
  messageType: string,
  options: O,
  send: (options: O) => Promise<Event>,
): Promise<Event> {
  const otel = tracingApi();
  if (otel === undefined) return send(options);
  const identifier = options.identifier ?? randomUUID();
  const span = otel.trace.getTracer(INSTRUMENTATION_SCOPE).startSpan(`request ${topic}`, {
    kind: otel.SpanKind.PRODUCER,
    attributes: {
      [MESSAGING_SYSTEM]: system,
      [MESSAGING_DESTINATION_NAME]: topic,
      [MESSAGING_OPERATION_TYPE]: 'send',
      [MESSAGING_OPERATION_NAME]: 'request',
      [MESSAGING_MESSAGE_ID]: identifier,
      [MESSAGING_CLIENT_ID]: clientId,
      [BUSLINE_MESSAGE_TYPE]: messageType,
    },
  });
  const context = otel.trace.setSpan(otel.context.active(), span);
  const headers = { ...options.headers, ...injectTraceContext(otel, context) };
  let replied: Promise<Event>;
  try {
    replied = otel.context.with(context, send, undefined, { ...options, identifier, headers });
  } catch (error) {
    replied = Promise.reject(error);
  }
  return settled(otel, span, replied);
}

/** End `span` when `sent` settles, failed if it rejects. */
function settled<T>(otel: Otel, span: Span, sent: Promise<T>): Promise<T> {
  return sent.then(
    (result) => {
      span.end();
      return result;
    },
    (error: unknown) => {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: otel.SpanStatusCode.ERROR, message: describe(error) });
      span.setAttribute(ERROR_TYPE, errorTypeOf(error));
      span.end();
      throw error;
    },
  );
}

function countSent(otel: Otel, scope: PublishScope, event: Event, error: unknown): void {
  const attributes: Attributes = {
    [MESSAGING_SYSTEM]: scope.system,
    [MESSAGING_OPERATION_NAME]: 'publish',
    [BUSLINE_MESSAGE_TYPE]: messageTypeOf(event.payload),
  };
  if (error !== undefined) attributes[ERROR_TYPE] = errorTypeOf(error);
  instrumentsOf(otel).sent.add(1, attributes);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
