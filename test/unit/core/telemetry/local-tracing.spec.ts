/*
 * Tracing on the local bus with the OpenTelemetry SDK registered as an application registers it:
 * a publish makes a PRODUCER span and the event carries its context; each handler call runs in a
 * CONSUMER span whose parent is that producer; what a handler publishes continues the trace.
 * Without a provider nothing is added to the event.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalEventBus } from '../../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../../lib/local/local.subscriber';
import { PubSubClient } from '../../../../lib/core/pubsub-client';
import type { Event } from '../../../../lib/core/event';
import { NotConnectedError } from '../../../../lib/core/errors/not-connected.error';
import { installTracing, type InstalledTracing } from '../../../support/otel/otel-sdk';
import { TEST_TRACE_HEADER } from '../../../support/otel/test-propagator';
import { waitFor } from '../../../support/wait-for';

function localClient(eventbus = new AsyncLocalEventBus()): PubSubClient {
  return new PubSubClient(
    [new LocalPublisher({ eventbus })],
    [new LocalSubscriber({ eventbus, onError: () => undefined })],
  );
}

describe('tracing on the local bus', () => {
  let tracing: InstalledTracing | undefined;
  let client: PubSubClient;

  beforeEach(async () => {
    client = localClient();
    await client.connect();
  });

  afterEach(async () => {
    await client.disconnect();
    await tracing?.uninstall();
    tracing = undefined;
  });

  it('adds no header and makes no span without a registered tracer provider', async () => {
    const received: Event[] = [];
    await client.subscribe('orders/+', (_topic, event) => void received.push(event));
    const sent = await client.publish('orders/1', 'a');
    await waitFor(() => received.length === 1);
    expect(sent.headers).toEqual({});
    expect(received[0].headers).toEqual({});
  });

  it.each([
    ['the propagator the application registered', true],
    ['W3C trace context written by Busline (no propagator registered)', false],
  ])('parents each handler span on the publish span, with %s', async (_how, propagator) => {
    tracing = installTracing({ propagator });
    const received: Event[] = [];
    await client.subscribe('orders/+', (_topic, event) => void received.push(event));
    const sent = await client.publish('orders/1', 'a', { identifier: 'order-1' });
    await waitFor(() => tracing!.spans('process orders/+').length === 1);

    const [producer] = tracing.spans('publish orders/1');
    const [consumer] = tracing.spans('process orders/+');
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    const { traceId, spanId } = producer.spanContext();
    expect(sent.headers).toEqual(
      propagator
        ? { [TEST_TRACE_HEADER]: `${traceId}:${spanId}` }
        : { traceparent: `00-${traceId}-${spanId}-01` },
    );
    expect(received[0].headers).toEqual(sent.headers);
    expect(producer.attributes).toMatchObject({
      'messaging.system': 'busline',
      'messaging.destination.name': 'orders/1',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'publish',
      'messaging.message.id': 'order-1',
      'messaging.client.id': client.identifier,
      'busline.message.type': 'StringMessage',
    });
    expect(consumer.attributes).toMatchObject({
      'messaging.system': 'busline',
      'messaging.destination.name': 'orders/1',
      'messaging.destination.template': 'orders/+',
      'messaging.operation.type': 'process',
      'messaging.message.id': 'order-1',
      'messaging.client.id': client.subscribers[0].identifier,
      'busline.attempts': 1,
    });
  });

  it('continues the trace of the active span, and through what a handler publishes', async () => {
    tracing = installTracing();
    await client.subscribe('orders/created', async () => {
      await client.publish('orders/shipped', 'b');
    });
    await client.subscribe('orders/shipped', () => undefined);
    const outer = trace.getTracer('test').startSpan('POST /orders');
    await context.with(trace.setSpan(context.active(), outer), () =>
      client.publish('orders/created', 'a'),
    );
    outer.end();
    await waitFor(() => tracing!.spans('process orders/shipped').length === 1);

    const byName = new Map(tracing.spans().map((span) => [span.name, span]));
    const chain = [
      'POST /orders',
      'publish orders/created',
      'process orders/created',
      'publish orders/shipped',
      'process orders/shipped',
    ].map((name) => byName.get(name)!);
    for (const span of chain) expect(span.spanContext().traceId).toBe(outer.spanContext().traceId);
    for (let i = 1; i < chain.length; i++) {
      expect(chain[i].parentSpanContext?.spanId).toBe(chain[i - 1].spanContext().spanId);
    }
  });

  it('traces a request, the responder handling it, and the reply, in one trace', async () => {
    tracing = installTracing();
    await client.subscribe('prices/+', () => 'cheap');
    const reply = await client.request('prices/apple', 'apple', { timeout: 5_000 });
    expect(reply.payload).toEqual(expect.objectContaining({ value: 'cheap' }));
    await waitFor(() => tracing!.spans(`process ${client.replyTopic}`).length === 1);

    const [request] = tracing.spans('request prices/apple');
    const [handling] = tracing.spans('process prices/+');
    const [answer] = tracing.spans(`publish ${client.replyTopic}`);
    const [taken] = tracing.spans(`process ${client.replyTopic}`);
    expect(request.kind).toBe(SpanKind.PRODUCER);
    expect(request.attributes).toMatchObject({
      'messaging.operation.name': 'request',
      'busline.message.type': 'StringMessage',
    });
    expect(handling.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(answer.parentSpanContext?.spanId).toBe(handling.spanContext().spanId);
    expect(taken.parentSpanContext?.spanId).toBe(answer.spanContext().spanId);
    for (const span of [handling, answer, taken]) {
      expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
    }
  });

  it('carries the baggage the application set when it registered a baggage propagator', async () => {
    tracing = installTracing();
    const received: Event[] = [];
    await client.subscribe('orders/+', (_topic, event) => void received.push(event));
    const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
    await context.with(propagation.setBaggage(context.active(), baggage), () =>
      client.publish('orders/1', 'a'),
    );
    await waitFor(() => received.length === 1);
    expect(received[0].headers.baggage).toBe('tenant=acme');
  });

  it('marks the handler span as failed with an exception event when the handler throws', async () => {
    tracing = installTracing();
    await client.subscribe('orders/+', () => {
      throw new RangeError('out of stock');
    });
    await client.publish('orders/1', 'a');
    await waitFor(() => tracing!.spans('process orders/+').length === 1);
    const [consumer] = tracing.spans('process orders/+');
    expect(consumer.status).toEqual({ code: SpanStatusCode.ERROR, message: 'out of stock' });
    expect(consumer.attributes['error.type']).toBe('RangeError');
    expect(consumer.events.map((e) => e.name)).toEqual(['exception']);
    expect(consumer.events[0].attributes?.['exception.message']).toBe('out of stock');
  });

  it('traces a publisher used on its own, and a publish the transport refuses', async () => {
    tracing = installTracing({ propagator: false });
    const publisher = new LocalPublisher({ eventbus: new AsyncLocalEventBus() });
    await publisher.connect();
    const sent = await publisher.publish('alone', 1);
    expect(sent.headers.traceparent).toContain(
      tracing.spans('publish alone')[0].spanContext().spanId,
    );
    await publisher.disconnect();
    await expect(publisher.publish('alone', 2)).rejects.toThrow(NotConnectedError);
    const [ok, refused] = tracing.spans('publish alone');
    expect(ok.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused.status.code).toBe(SpanStatusCode.ERROR);
    expect(refused.attributes['error.type']).toBe('NotConnectedError');
  });
});
