/*
 * Issue 12's acceptance for metrics: with the OpenTelemetry SDK's meter provider registered (read
 * by hand), a run of the two shop applications with successes, a retried success, and a failure
 * that exhausts its retries and is dead-lettered records the documented counters, histogram and
 * gauges, by topic filter (never the concrete topic), transport and message type.
 */
import type { INestApplication } from '@nestjs/common';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { AsyncLocalEventBus } from '../../lib/local/async-local-event-bus';
import { BuslineModule } from '../../lib/nest/busline.module';
import { installMetrics, sumOf, type InstalledMetrics } from '../support/otel/otel-sdk';
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

describe('metrics of two NestJS apps on the local bus', () => {
  let installed: InstalledMetrics;
  let storefront: INestApplication;

  beforeEach(async () => {
    installed = installMetrics();
    const options = { local: { eventbus: new AsyncLocalEventBus() }, logBindings: false };
    await startApp({ imports: [BuslineModule.forRoot(options), WarehouseModule] });
    ({ app: storefront } = await startApp({
      imports: [BuslineModule.forRoot(options), StorefrontModule],
    }));
    await storefront.listen(0, '127.0.0.1');
  });

  afterEach(async () => {
    await closeApps();
    await installed.uninstall();
  });

  /** Collect until `done` says the run is recorded (the counters are updated as handlers settle). */
  async function collectWhen(
    done: (metrics: Awaited<ReturnType<InstalledMetrics['collect']>>) => boolean,
  ): Promise<Awaited<ReturnType<InstalledMetrics['collect']>>> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const metrics = await installed.collect();
      if (done(metrics) || Date.now() > deadline) return metrics;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  it('counts published, consumed, failed, retried and dead-lettered events, and times handlers', async () => {
    const letters: string[] = [];
    await storefront.get(PubSubClient).subscribe(SHOP.dead, (_topic, event) => {
      letters.push(event.identifier);
    });
    for (const id of ['o-1', 'flaky-1', 'bad-1']) await placeOrder(storefront, id);
    await waitFor(() => storefront.get(Mailer).mailed.length === 3 && letters.length === 1);
    const metrics = await collectWhen((m) => sumOf(m.get('messaging.process.duration')) === 10);

    const sent = metrics.get('messaging.client.sent.messages');
    expect(sumOf(sent, { 'busline.message.type': 'OrderPlaced' })).toBe(3);
    expect(sumOf(sent, { 'busline.message.type': 'OrderShippedNotice' })).toBe(3);
    expect(sumOf(sent, { 'busline.message.type': 'DeadLetterMessage' })).toBe(1);
    expect(sumOf(sent, { 'messaging.system': 'busline' })).toBe(7);
    expect(sent?.descriptor.unit).toBe('{message}');

    const consumed = metrics.get('messaging.client.consumed.messages');
    const placed = { 'messaging.destination.template': SHOP.placed };
    expect(sumOf(consumed, { ...placed, 'busline.handler': 'Warehouse.onPlaced' })).toBe(3);
    expect(sumOf(consumed, { ...placed, 'busline.handler': 'Warehouse.onAudit' })).toBe(3);
    expect(sumOf(consumed, { 'messaging.destination.template': SHOP.shipped })).toBe(3);
    // Filters, not concrete topics: no data point names an order's own topic.
    for (const point of consumed!.dataPoints) {
      expect(point.attributes['messaging.destination.name']).toBeUndefined();
    }

    const audit = { ...placed, 'busline.handler': 'Warehouse.onAudit' };
    expect(sumOf(metrics.get('busline.handler.retries'), audit)).toBe(3);
    expect(
      sumOf(metrics.get('busline.handler.failures'), { ...audit, 'error.type': 'Error' }),
    ).toBe(1);
    expect(sumOf(metrics.get('busline.handler.failures'))).toBe(1);
    expect(sumOf(metrics.get('busline.dead_letters'), audit)).toBe(1);

    const duration = metrics.get('messaging.process.duration');
    expect(duration?.descriptor.unit).toBe('s');
    // Nine handler calls of the flow, and the test's own dead-letter subscriber.
    expect(sumOf(duration, audit)).toBe(3);
    expect(sumOf(duration, { ...audit, 'error.type': 'Error' })).toBe(1);
  });

  it('observes each subscription backlog and the connection changes', async () => {
    const metrics = await installed.collect();
    const backlog = metrics.get('busline.subscription.backlog');
    expect(backlog?.dataPoints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          attributes: expect.objectContaining({
            'messaging.system': 'busline',
            'messaging.destination.template': SHOP.placed,
          }),
          value: 0,
        }),
      ]),
    );
    const changes = metrics.get('busline.connection.changes');
    expect(sumOf(changes, { 'busline.connection.status': 'connected' })).toBeGreaterThanOrEqual(4);
  });
});
