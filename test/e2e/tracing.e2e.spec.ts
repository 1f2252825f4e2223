/*
 * Issue 12's acceptance for tracing: two NestJS applications and the OpenTelemetry SDK's
 * in-memory exporter. An HTTP request to the storefront publishes an order; the warehouse handles
 * it and publishes a follow-up; the storefront's mailer takes that. Every span shares the
 * request's trace, each one the child of the one before. The same over the local bus, MQTT 3.1.1
 * (the context inside the envelope) and, with Mosquitto, MQTT 5 (user properties). Retries and a
 * dead letter show in the trace.
 */
import type { INestApplication } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { connectAsync, type IClientOptions, type MqttClient, type Packet } from 'mqtt';
import { AsyncLocalEventBus } from '../../lib/local/async-local-event-bus';
import { BuslineModule } from '../../lib/nest/busline.module';
import type { BuslineModuleOptions } from '../../lib/nest/interfaces/busline-module-options.interface';
import {
  announceSkip,
  MQTT5_AVAILABLE,
  MQTT5_SKIP_REASON,
  startTestBroker,
  type TestBroker,
} from '../support/mqtt/test-broker';
import { installTracing, type InstalledTracing } from '../support/otel/otel-sdk';
import { waitFor } from '../support/wait-for';
import {
  Mailer,
  placeOrder,
  SHOP,
  StorefrontModule,
  WarehouseModule,
} from './apps/traced-shop.apps';
import { closeApps, startApp } from './support/harness';

jest.setTimeout(30_000);

if (!MQTT5_AVAILABLE) announceSkip('tracing over MQTT 5 user properties', MQTT5_SKIP_REASON);

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(() => broker.close());

/** How the two applications are connected, and what the trace context looks like on the wire. */
interface Transport {
  readonly name: string;
  readonly system: string;
  /** Options for both applications (one shared bus or broker). */
  options(): BuslineModuleOptions;
  /** MQTT: the protocol of a raw client that looks at the wire; none for the local bus. */
  readonly wire?: IClientOptions;
}

const transports: Transport[] = [
  {
    name: 'the local bus',
    system: 'busline',
    options: (() => {
      let eventbus: AsyncLocalEventBus | undefined;
      return () => ({ local: { eventbus: (eventbus ??= new AsyncLocalEventBus()) } });
    })(),
  },
  {
    name: 'MQTT 3.1.1 (context inside the envelope)',
    system: 'mqtt',
    options: () => ({ mqtt: { url: broker.url, qos: 1 } }),
    wire: { protocolVersion: 4 },
  },
];
if (MQTT5_AVAILABLE) {
  transports.push({
    name: 'MQTT 5 (context in user properties)',
    system: 'mqtt',
    options: () => ({
      mqtt: { url: broker.url, qos: 1, otherClientParameters: { protocolVersion: 5 } },
    }),
    wire: { protocolVersion: 5 },
  });
}

describe.each(transports)('tracing between two NestJS apps over $name', (transport) => {
  let tracing: InstalledTracing;
  let storefront: INestApplication;
  let raw: MqttClient | undefined;

  beforeEach(async () => {
    // No propagator registered (BasicTracerProvider without register()): Busline writes W3C
    // trace context itself, as it would through the SDK's W3C propagator.
    tracing = installTracing({ propagator: false });
    const options = { ...transport.options(), logBindings: false };
    await startApp({ imports: [BuslineModule.forRoot(options), WarehouseModule] });
    ({ app: storefront } = await startApp({
      imports: [BuslineModule.forRoot(options), StorefrontModule],
    }));
    await storefront.listen(0, '127.0.0.1');
  });

  afterEach(async () => {
    await raw?.endAsync();
    raw = undefined;
    await closeApps();
    await tracing.uninstall();
  });

  function span(name: string, handler?: string): ReadableSpan {
    const found = tracing
      .spans(name)
      .filter((s) => handler === undefined || s.attributes['busline.handler'] === handler);
    expect(found).toHaveLength(1);
    return found[0];
  }

  const handled = (handler: string): boolean =>
    tracing.spans().some((s) => s.attributes['busline.handler'] === handler);

  it('puts the request, both publishes and the three handler calls in one trace', async () => {
    const traceId = await placeOrder(storefront, 'o-1');
    const mailer = storefront.get(Mailer);
    await waitFor(() => mailer.mailed.includes('o-1') && handled('Mailer.onShipped'));
    await waitFor(() => handled('Warehouse.onAudit'));

    const request = span('POST /orders');
    const placed = span(`publish ${SHOP.placed}`);
    const shipping = span(`process ${SHOP.placed}`, 'Warehouse.onPlaced');
    const audit = span(`process ${SHOP.placed}`, 'Warehouse.onAudit');
    const shipped = span(`publish ${SHOP.shippedOf('o-1')}`);
    const mailing = span(`process ${SHOP.shipped}`, 'Mailer.onShipped');
    const parentOf = (child: ReadableSpan) => child.parentSpanContext?.spanId;
    const idOf = (parent: ReadableSpan) => parent.spanContext().spanId;

    for (const s of [request, placed, shipping, audit, shipped, mailing]) {
      expect(s.spanContext().traceId).toBe(traceId);
    }
    expect(parentOf(placed)).toBe(idOf(request));
    expect(parentOf(shipping)).toBe(idOf(placed));
    expect(parentOf(audit)).toBe(idOf(placed));
    expect(parentOf(shipped)).toBe(idOf(shipping));
    expect(parentOf(mailing)).toBe(idOf(shipped));

    expect(placed.kind).toBe(SpanKind.PRODUCER);
    expect(placed.attributes).toMatchObject({
      'messaging.system': transport.system,
      'messaging.destination.name': SHOP.placed,
      'messaging.operation.type': 'send',
      'busline.message.type': 'OrderPlaced',
    });
    expect(mailing.kind).toBe(SpanKind.CONSUMER);
    expect(mailing.attributes).toMatchObject({
      'messaging.system': transport.system,
      'messaging.destination.name': SHOP.shippedOf('o-1'),
      'messaging.destination.template': SHOP.shipped,
      'messaging.operation.type': 'process',
      'messaging.message.id': shipped.attributes['messaging.message.id'],
      'busline.attempts': 1,
    });
    expect(mailing.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('shows each retry as an event of the handling span, and the dead letter as its child', async () => {
    await placeOrder(storefront, 'flaky-1');
    await placeOrder(storefront, 'bad-1');
    await waitFor(() => tracing.spans(`publish ${SHOP.dead}`).length === 1);
    await waitFor(() => tracing.spans(`process ${SHOP.placed}`).length === 4);
    const audits = tracing
      .spans(`process ${SHOP.placed}`)
      .filter((s) => s.attributes['busline.handler'] === 'Warehouse.onAudit');
    expect(audits).toHaveLength(2);
    // flaky-1 fails once (two attempts), bad-1 every time (three).
    const [flaky, bad] = [...audits].sort(
      (a, b) => Number(a.attributes['busline.attempts']) - Number(b.attributes['busline.attempts']),
    );

    expect(flaky.attributes['busline.attempts']).toBe(2);
    expect(flaky.status.code).toBe(SpanStatusCode.UNSET);
    expect(flaky.events.map((e) => e.name)).toEqual(['busline.retry']);

    expect(bad.attributes['busline.attempts']).toBe(3);
    expect(bad.status.code).toBe(SpanStatusCode.ERROR);
    expect(bad.events.map((e) => e.name)).toEqual(['busline.retry', 'busline.retry', 'exception']);
    expect(bad.events[0].attributes).toMatchObject({ 'busline.attempt': 1 });
    expect(bad.events[2].attributes?.['exception.message']).toBe('cannot audit bad-1 (attempt 3)');
    const letter = span(`publish ${SHOP.dead}`);
    expect(letter.parentSpanContext?.spanId).toBe(bad.spanContext().spanId);
    expect(letter.spanContext().traceId).toBe(bad.spanContext().traceId);
  });

  if (transport.wire !== undefined) {
    it('carries the trace context on the wire where Python Busline does not look', async () => {
      raw = await connectAsync(broker.url, { ...transport.wire, clean: true });
      const packets: Packet[] = [];
      raw.on('packetreceive', (packet) => {
        if (packet.cmd === 'publish') packets.push(packet);
      });
      await raw.subscribeAsync(SHOP.placed, { qos: 1 });
      const traceId = await placeOrder(storefront, 'o-wire');
      await waitFor(() => packets.length === 1);
      const packet = packets[0] as Packet & {
        payload: Buffer;
        properties?: { userProperties?: Record<string, string | string[]> };
      };
      const envelope = JSON.parse(packet.payload.toString()) as Record<string, unknown>;
      expect(Object.keys(envelope).slice(0, 6)).toEqual([
        'identifier',
        'publisher_identifier',
        'serialized_payload',
        'payload_format_type',
        'message_type',
        'timestamp',
      ]);
      const traceparent = new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`);
      if (transport.wire!.protocolVersion === 5) {
        expect(envelope.headers).toBeUndefined();
        expect(packet.properties?.userProperties?.traceparent).toMatch(traceparent);
      } else {
        expect((envelope.headers as Record<string, string>).traceparent).toMatch(traceparent);
      }
    });
  }
});
