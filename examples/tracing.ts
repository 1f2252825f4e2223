import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { AsyncLocalEventBus, LocalPublisher, LocalSubscriber, PubSubClient } from 'busline';

export async function main(): Promise<void> {
  // What the application registers once, at startup: Busline needs no option of its own.
  const exporter = new InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );

  const eventbus = new AsyncLocalEventBus();
  const client = new PubSubClient(
    [new LocalPublisher({ eventbus })],
    [new LocalSubscriber({ eventbus })],
  );
  await client.connect();

  // A handler that publishes: its publish continues the trace.
  await client.subscribe('orders/+/placed', async (_topic, event) => {
    await client.publish('orders/shipped', event.payload);
  });
  await client.subscribe('orders/shipped', () => undefined);

  const placed = await client.publish('orders/42/placed', 'two keyboards');
  await client.drain();
  console.log(`traceparent: ${placed.headers.traceparent?.slice(0, 15)}...`);

  const spans = exporter.getFinishedSpans();
  const nameOf = new Map(spans.map((span) => [span.spanContext().spanId, span.name]));
  for (const span of [...spans].sort((a, b) => a.startTime[1] - b.startTime[1])) {
    const parent = nameOf.get(span.parentSpanContext?.spanId ?? '') ?? '(root)';
    console.log(`${span.name} [${SpanKind[span.kind]}] <- ${parent}`);
  }

  await client.disconnect();
  trace.disable();
  context.disable();
}
