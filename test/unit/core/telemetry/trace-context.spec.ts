import * as otel from '@opentelemetry/api';
import {
  extractTraceContext,
  injectTraceContext,
} from '../../../../lib/core/telemetry/trace-context';

/*
 * Busline's own W3C trace context, used when the application registered no propagator: what it
 * writes for a span context, and what it accepts back. A header it cannot read gives the root
 * context (the handler's span starts a new trace) rather than an error.
 */

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

function withSpan(traceFlags: number, traceState?: string): otel.Context {
  return otel.trace.setSpanContext(otel.ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags,
    ...(traceState && { traceState: otel.createTraceState(traceState) }),
  });
}

describe('W3C trace context written and read by Busline', () => {
  it.each([
    ['a sampled span', withSpan(1), { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` }],
    ['an unsampled span', withSpan(0), { traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` }],
    [
      'a span with trace state',
      withSpan(1, 'vendor=a,other=b'),
      { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=a,other=b' },
    ],
    ['no span', otel.ROOT_CONTEXT, {}],
  ])('writes %s', (_name, context, headers) => {
    expect(injectTraceContext(otel, context)).toEqual(headers);
  });

  it('reads back what it wrote, as a remote parent', () => {
    const headers = injectTraceContext(otel, withSpan(1, 'vendor=a'));
    const parent = otel.trace.getSpanContext(extractTraceContext(otel, headers));
    expect(parent).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    expect(parent?.isRemote).toBe(true);
    expect(parent?.traceState?.get('vendor')).toBe('a');
  });

  it.each([
    ['no header', {}],
    ['another version', { traceparent: `01-${TRACE_ID}-${SPAN_ID}-01` }],
    ['a short trace id', { traceparent: `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01` }],
    ['upper-case hex', { traceparent: `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01` }],
    ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${SPAN_ID}-01` }],
    ['an all-zero span id', { traceparent: `00-${TRACE_ID}-${'0'.repeat(16)}-01` }],
    ['garbage', { traceparent: 'not a trace' }],
  ])('reads %s as no parent', (_name, headers) => {
    expect(otel.trace.getSpanContext(extractTraceContext(otel, headers))).toBeUndefined();
  });
});
