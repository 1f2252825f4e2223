import type { Context, SpanContext } from '@opentelemetry/api';
import type { EventHeaders } from '../event';
import type { Otel } from './otel-api';

/*
 * The trace context travels in `Event.headers`, so every transport carries it as it carries
 * headers: the same object on the local bus, user properties over MQTT 5, the envelope's
 * `headers` member elsewhere (which Python Busline ignores).
 *
 * With a propagator registered (`propagation.setGlobalPropagator`, which the SDK's `register()`
 * and NodeSDK do), Busline uses it: W3C trace context, baggage, or whatever the application
 * chose. With none, the API's propagator writes nothing, and a trace would silently stop at the
 * first hop; so Busline then writes and reads W3C `traceparent` / `tracestate` itself, the
 * format every OpenTelemetry SDK reads by default.
 */

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
const TRACEPARENT_FORMAT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/** @internal True when the application registered a propagator of its own. */
function hasPropagator(otel: Otel): boolean {
  return otel.propagation.fields().length > 0;
}

/** @internal The headers that carry `context`'s trace context (empty when it has none). */
export function injectTraceContext(otel: Otel, context: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (hasPropagator(otel)) {
    otel.propagation.inject(context, carrier);
    return carrier;
  }
  const span = otel.trace.getSpanContext(context);
  if (span === undefined || !otel.trace.isSpanContextValid(span)) return carrier;
  const flags = (span.traceFlags & 0xff).toString(16).padStart(2, '0');
  carrier[TRACEPARENT] = `00-${span.traceId}-${span.spanId}-${flags}`;
  const state = span.traceState?.serialize();
  if (state) carrier[TRACESTATE] = state;
  return carrier;
}

/**
 * @internal The context an event's headers carry (the root context when they carry none), to
 * parent the spans of its handling.
 */
export function extractTraceContext(otel: Otel, headers: EventHeaders): Context {
  const root = otel.ROOT_CONTEXT;
  if (hasPropagator(otel)) return otel.propagation.extract(root, headers);
  const parent = parseTraceparent(otel, headers[TRACEPARENT], headers[TRACESTATE]);
  return parent === undefined ? root : otel.trace.setSpanContext(root, parent);
}

function parseTraceparent(
  otel: Otel,
  traceparent: string | undefined,
  tracestate: string | undefined,
): SpanContext | undefined {
  if (traceparent === undefined) return undefined;
  const match = TRACEPARENT_FORMAT.exec(traceparent.trim());
  if (match === null || match[1] === INVALID_TRACE_ID || match[2] === INVALID_SPAN_ID) {
    return undefined;
  }
  return {
    traceId: match[1],
    spanId: match[2],
    traceFlags: parseInt(match[3], 16) & 1,
    isRemote: true,
    ...(tracestate && { traceState: otel.createTraceState(tracestate) }),
  };
}
