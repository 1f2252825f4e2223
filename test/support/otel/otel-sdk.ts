import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { TestPropagator } from './test-propagator';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/** What a test registered: the spans finished so far, and how to unregister. */
export interface InstalledTracing {
  readonly exporter: InMemorySpanExporter;
  /** Finished spans named `name`. */
  spans(name?: string): ReadableSpan[];
  uninstall(): Promise<void>;
}

/**
 * Register the OpenTelemetry SDK as an application would: a tracer provider exporting to memory,
 * the async-hooks context manager, and (unless `propagator` is false) a global propagator (see
 * {@link TestPropagator}); without one, Busline writes W3C trace context itself.
 */
export function installTracing(options: { propagator?: boolean } = {}): InstalledTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  if (options.propagator !== false) {
    propagation.setGlobalPropagator(new TestPropagator());
  }
  return {
    exporter,
    spans: (name) =>
      exporter.getFinishedSpans().filter((span) => name === undefined || span.name === name),
    uninstall: async () => {
      trace.disable();
      propagation.disable();
      context.disable();
      await provider.shutdown();
    },
  };
}

/** A reader collected by hand, cumulative. */
class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** What a test registered for metrics. */
export interface InstalledMetrics {
  /** Every metric collected now, by name. */
  collect(): Promise<Map<string, MetricData>>;
  uninstall(): Promise<void>;
}

/** Register a meter provider read by hand. */
export function installMetrics(): InstalledMetrics {
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  return {
    collect: async () => {
      const { resourceMetrics } = await reader.collect();
      const byName = new Map<string, MetricData>();
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
      }
      return byName;
    },
    uninstall: async () => {
      metrics.disable();
      await provider.shutdown();
    },
  };
}

/** The sum of a counter's data points whose attributes include `where`. */
export function sumOf(metric: MetricData | undefined, where: Record<string, unknown> = {}): number {
  if (metric === undefined) return 0;
  let sum = 0;
  for (const point of metric.dataPoints as DataPoint<unknown>[]) {
    if (!matches(point.attributes, where)) continue;
    const value = point.value;
    sum += typeof value === 'number' ? value : ((value as { count?: number }).count ?? 0);
  }
  return sum;
}

function matches(attributes: Record<string, unknown>, where: Record<string, unknown>): boolean {
  return Object.entries(where).every(([key, value]) => attributes[key] === value);
}
