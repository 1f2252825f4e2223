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

  // Each span below its parent.
  const spans = exporter.getFinishedSpans();
  const print = (parent: string | undefined, indent: string): void => {
    for (const span of spans.filter((s) => s.parentSpanContext?.spanId === parent)) {
      console.log(`${indent}${span.name} [${SpanKind[span.kind]}]`);
      print(span.spanContext().spanId, `${indent}  `);
    }
  };
  print(undefined, '');

  await client.disconnect();
  trace.disable();
  context.disable();
}
