import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/*
 * `npm run sample -- --trace`: the sample registers the OpenTelemetry SDK as any application
 * would (a tracer provider and the async-hooks context manager; Busline itself needs no option),
 * keeps the spans in memory, and prints each trace as a tree at the end. A real service would
 * export them (OTLP to a collector, Jaeger, ...) with a batch span processor instead.
 */

/** The tracing of one sample run. */
export interface SampleTracing {
  /** Every span finished so far. */
  readonly spans: readonly ReadableSpan[];
  /** Stop tracing (unregisters the provider and the context manager). */
  shutdown(): Promise<void>;
}

/** Register a tracer provider that keeps the spans of this run. */
export function startTracing(): SampleTracing {
  const spans: ReadableSpan[] = [];
  const keep: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => void spans.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new BasicTracerProvider({ spanProcessors: [keep] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    spans,
    shutdown: async () => {
      trace.disable();
      context.disable();
      await provider.shutdown();
    },
  };
}

const KINDS: Record<SpanKind, string> = {
  [SpanKind.INTERNAL]: 'INTERNAL',
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};

function millis(span: ReadableSpan): string {
  const [seconds, nanos] = span.duration;
  return `${(seconds * 1e3 + nanos / 1e6).toFixed(2)} ms`;
}

function describeSpan(span: ReadableSpan): string {
  const handler = span.attributes['busline.handler'];
  const status = span.status.code === 2 ? ' ERROR' : '';
  return (
    `${span.name}  ${KINDS[span.kind]}  ${String(span.attributes['messaging.system'] ?? '')}` +
    `${handler === undefined ? '' : `  ${String(handler)}`}  ${millis(span)}${status}`
  );
}

/**
 * Each trace of `spans` as a tree: one line per span (name, kind, messaging system, handler,
 * duration), children below their parent in start order.
 */
export function formatTraces(spans: readonly ReadableSpan[]): string[] {
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const traceId = span.spanContext().traceId;
    byTrace.set(traceId, [...(byTrace.get(traceId) ?? []), span]);
  }
  const lines: string[] = [];
  for (const [traceId, members] of byTrace) {
    const ids = new Set(members.map((s) => s.spanContext().spanId));
    const children = new Map<string | undefined, ReadableSpan[]>();
    for (const span of members) {
      const parent = span.parentSpanContext?.spanId;
      const key = parent !== undefined && ids.has(parent) ? parent : undefined;
      children.set(key, [...(children.get(key) ?? []), span]);
    }
    const start = (s: ReadableSpan): number => s.startTime[0] * 1e9 + s.startTime[1];
    lines.push(`trace ${traceId}`);
    const walk = (parent: string | undefined, indent: string): void => {
      const below = (children.get(parent) ?? []).sort((a, b) => start(a) - start(b));
      below.forEach((span, i) => {
        const last = i === below.length - 1;
        lines.push(`${indent}${last ? '└─ ' : '├─ '}${describeSpan(span)}`);
        walk(span.spanContext().spanId, `${indent}${last ? '   ' : '│  '}`);
      });
    };
    walk(undefined, '');
  }
  return lines;
}
