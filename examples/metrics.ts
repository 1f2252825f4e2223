import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import { AsyncLocalEventBus, LocalPublisher, LocalSubscriber, PubSubClient } from 'busline';

export async function main(): Promise<void> {
  // What the application registers once; a real one exports to a collector, not to memory.
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);

  const eventbus = new AsyncLocalEventBus();
  const client = new PubSubClient(
    [new LocalPublisher({ eventbus })],
    [new LocalSubscriber({ eventbus, onError: () => undefined })],
  );
  await client.connect();
  await client.subscribe('sensors/+/temp', (_topic, event) => {
    if (event.payload === null) throw new Error('no reading');
  });
  await client.publish('sensors/1/temp', 21.5);
  await client.publish('sensors/2/temp', 19);
  await client.publish('sensors/3/temp'); // no payload: the handler throws
  await client.drain();

  await reader.forceFlush();
  const collected = exporter
    .getMetrics()
    .at(-1)!
    .scopeMetrics.flatMap((scope) => scope.metrics);
  const total = (name: string): number =>
    collected
      .filter((metric) => metric.descriptor.name === name)
      .flatMap((metric) => metric.dataPoints as DataPoint<number | Histogram>[])
      .reduce(
        (sum, point) => sum + (typeof point.value === 'number' ? point.value : point.value.count),
        0,
      );
  for (const name of [
    'messaging.client.sent.messages',
    'messaging.client.consumed.messages',
    'busline.handler.failures',
  ]) {
    console.log(`${name}: ${total(name)}`);
  }
  console.log(`messaging.process.duration: ${total('messaging.process.duration')} handler calls`);

  await client.disconnect();
  metrics.disable();
  await provider.shutdown();
}
