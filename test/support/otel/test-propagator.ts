import {
  propagation,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';

/*
 * A propagator for the tests, standing for the one an application registers (the SDK's W3C trace
 * context and baggage propagators, from `@opentelemetry/core`, which is no dependency of this
 * repository): it writes `traceparent` and `baggage` under names of its own choosing, so a test
 * can tell that Busline used the registered propagator rather than its built-in W3C writer.
 */

/** The header this propagator writes the span context to. */
export const TEST_TRACE_HEADER = 'x-test-trace';

export class TestPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpanContext(context);
    if (span !== undefined) {
      setter.set(carrier, TEST_TRACE_HEADER, `${span.traceId}:${span.spanId}`);
    }
    const baggage = propagation.getBaggage(context);
    if (baggage !== undefined) {
      const entries = baggage.getAllEntries().map(([key, entry]) => `${key}=${entry.value}`);
      setter.set(carrier, 'baggage', entries.join(','));
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let result = context;
    const header = getter.get(carrier, TEST_TRACE_HEADER);
    const value = Array.isArray(header) ? header[0] : header;
    if (value !== undefined) {
      const [traceId, spanId] = value.split(':');
      result = trace.setSpanContext(result, { traceId, spanId, traceFlags: 1, isRemote: true });
    }
    const baggage = getter.get(carrier, 'baggage');
    if (typeof baggage === 'string' && baggage !== '') {
      const entries = Object.fromEntries(
        baggage.split(',').map((pair) => {
          const [key, entryValue] = pair.split('=');
          return [key, { value: entryValue }];
        }),
      );
      result = propagation.setBaggage(result, propagation.createBaggage(entries));
    }
    return result;
  }

  fields(): string[] {
    return [TEST_TRACE_HEADER, 'baggage'];
  }
}
