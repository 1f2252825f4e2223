import { Injectable, type INestApplication } from '@nestjs/common';
import type { Event } from '../../lib/core/event';
import { DeduplicatingEventHandler } from '../../lib/core/handlers/deduplicating-event-handler';
import type { BuslineEventHandler } from '../../lib/core/handlers/event-handler';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { Subscriber } from '../../lib/core/subscriber';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { BoundHandler } from '../../lib/nest/bound-handler';
import { BuslineClient } from '../../lib/nest/busline.client';
import { BuslineModule } from '../../lib/nest/busline.module';
import { Subscribe } from '../../lib/nest/decorators/subscribe.decorator';
import { BuslineConfigurationError } from '../../lib/nest/errors/busline-configuration.error';
import type { BuslineModuleOptions } from '../../lib/nest/interfaces/busline-module-options.interface';
import { TopicDispatcher } from '../../lib/nest/topic-dispatcher';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';
import { DELIVERY_TOPICS, DeliveryConsumer, Deliveries } from './apps/delivery.consumer';
import { NS } from './apps/topics';
import { closeApps, createApp, startApp } from './support/harness';
import type { RecordingLogger } from './support/recording-logger';
import { waitFor } from './support/wait';

jest.setTimeout(30_000);

describe('BuslineModule with a local and an MQTT transport: each event reaches each handler once', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterAll(() => broker.close());
  afterEach(() => closeApps());

  const start = async (
    options: BuslineModuleOptions = {},
  ): Promise<{
    app: INestApplication;
    bus: BuslineClient;
    consumer: DeliveryConsumer;
    logger: RecordingLogger;
  }> => {
    const { app, logger } = await startApp({
      imports: [
        BuslineModule.forRoot({ local: true, mqtt: { url: broker.url, qos: 1 }, ...options }),
      ],
      providers: [DeliveryConsumer],
    });
    return { app, logger, bus: app.get(BuslineClient), consumer: app.get(DeliveryConsumer) };
  };

  /**
   * Wait until every copy has come: `both` (local + MQTT) has `fromEach` deliveries and `mqtt`
   * has `fromMqtt`; they share the MQTT subscription of the others' filter, so the others have
   * been handed every copy too. Then let every handler finish.
   */
  const allCopies = async (
    bus: PubSubClient,
    consumer: DeliveryConsumer,
    fromEach: number,
    fromMqtt: number,
  ): Promise<void> => {
    await waitFor(
      () => consumer.both.total === fromEach && consumer.mqtt.total === fromMqtt,
      `${fromEach} deliveries from each transport and ${fromMqtt} from MQTT`,
      20_000,
    );
    await bus.drain();
  };

  it('runs a handler that names no transport once per publish; one naming both, twice', async () => {
    const { bus, consumer } = await start();
    const event = await bus.publish(DELIVERY_TOPICS.order(1), 'created');
    await allCopies(bus, consumer, 2, 1);

    expect(consumer.both.of([event])).toEqual([2]); // local and MQTT both carried it
    expect(consumer.mqtt.of([event])).toEqual([1]);
    expect(consumer.unnamed.of([event])).toEqual([1]);
    expect(consumer.unnamedToo.of([event])).toEqual([1]);
    expect(consumer.wildcard.of([event])).toEqual([1]);
  });

  it("runs it once for events from another process, which come through MQTT only, and for the app's own", async () => {
    const { bus, consumer } = await start();
    const outside = new MqttPublisher({ url: broker.url });
    await outside.connect();
    try {
      const own: Event[] = [];
      const foreign: Event[] = [];
      for (let i = 0; i < 3; i++) {
        foreign.push(await outside.publish(DELIVERY_TOPICS.order(`f${i}`), i, { qos: 1 }));
        own.push(await bus.publish(DELIVERY_TOPICS.order(`o${i}`), i));
      }
      await allCopies(bus, consumer, 3 * 2 + 3, 6);

      expect(foreign.every((e) => e.publisherIdentifier === outside.identifier)).toBe(true);
      expect(own.every((e) => e.publisherIdentifier === bus.identifier)).toBe(true);
      expect(consumer.both.of([...own, ...foreign])).toEqual([2, 2, 2, 1, 1, 1]);
      for (const handler of [consumer.unnamed, consumer.unnamedToo, consumer.wildcard]) {
        expect(handler.of([...own, ...foreign])).toEqual([1, 1, 1, 1, 1, 1]);
        expect(handler.total).toBe(6);
      }
    } finally {
      await outside.disconnect();
    }
  });

  it('counts exactly 1,000 per handler for a burst of 1,000 publishes', async () => {
    const { bus, consumer } = await start();
    const events = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => bus.publish(DELIVERY_TOPICS.order(i % 10), i)),
    );
    await allCopies(bus, consumer, 2_000, 1_000);

    expect(new Set(events.map((e) => e.identifier)).size).toBe(1_000);
    for (const handler of [consumer.unnamed, consumer.unnamedToo, consumer.wildcard]) {
      expect(handler.total).toBe(1_000);
      expect(handler.byEvent.size).toBe(1_000);
      expect(handler.of(events).every((n) => n === 1)).toBe(true);
    }
  });

  it('gives subscriptions made through the injected client the same rule', async () => {
    const { bus, consumer } = await start();
    const once = new Deliveries();
    const perSubscriber = new Deliveries();
    const named = new Deliveries();
    const multi = new Deliveries();
    await bus.subscribe(`${NS}/delivery/manual/+`, (_t, e) => once.add(e));
    await bus.subscribe(`${NS}/delivery/manual/#`, (_t, e) => perSubscriber.add(e), {
      deliver: 'per-subscriber',
    });
    await bus.subscribe(`${NS}/delivery/+/x`, (_t, e) => named.add(e), {
      transport: ['local', 'mqtt'],
    });
    await bus.multiSubscribe([`${NS}/delivery/+/+`, `${NS}/delivery/+/y`], (_t, e) => multi.add(e));

    const x = await bus.publish(`${NS}/delivery/manual/x`);
    await waitFor(
      () => perSubscriber.total === 2 && named.total === 2 && multi.total === 1,
      'both copies',
    );
    // The wildcard handler's MQTT subscription got the MQTT copy with the others.
    await waitFor(() => consumer.wildcard.total === 1 && consumer.both.total === 0, 'the app');
    await bus.drain();
    expect(once.of([x])).toEqual([1]);
    expect(multi.of([x])).toEqual([1]);
    expect(perSubscriber.of([x])).toEqual([2]);
    expect(named.of([x])).toEqual([2]);
  });

  it("takes the window from the module's deduplicationWindow option", async () => {
    const refused = createApp({
      imports: [
        BuslineModule.forRoot({ local: true, mqtt: { url: broker.url }, deduplicationWindow: 0 }),
      ],
      providers: [DeliveryConsumer],
    });
    await expect(refused).rejects.toThrow(BuslineConfigurationError);
    await expect(refused).rejects.toThrow(
      'BuslineModule options: Expected deduplicationWindow to be a whole number of at least 1, got number 0',
    );

    // A window of one event: both local copies come before the MQTT ones, so each MQTT copy
    // finds its event forgotten and runs the handlers again.
    const { bus, consumer } = await start({ deduplicationWindow: 1 });
    const events = await Promise.all([
      bus.publish(DELIVERY_TOPICS.order(1)),
      bus.publish(DELIVERY_TOPICS.order(2)),
    ]);
    await allCopies(bus, consumer, 4, 2);
    expect(consumer.unnamed.of(events)).toEqual([2, 2]);
  });

  it('puts one deduplicating handler per filter in front of the methods naming no transport, and none with one transport', async () => {
    const calls: { topic: string; handler: BuslineEventHandler }[] = [];
    const original = Subscriber.prototype.subscribe;
    const record = jest.spyOn(Subscriber.prototype, 'subscribe').mockImplementation(function (
      this: Subscriber,
      topic,
      handler,
      options,
    ) {
      calls.push({ topic, handler: handler as BuslineEventHandler });
      return original.call(this, topic, handler, options);
    });
    try {
      const handlersOf = (topic: string) =>
        calls.filter((c) => c.topic === topic).map((c) => (c.handler as TopicDispatcher).handlers);

      const { logger } = await start();
      expect(logger.busline('log')).toEqual(
        expect.arrayContaining([
          `DeliveryConsumer.onOrder -> ${DELIVERY_TOPICS.orders} (local, mqtt: each event once)`,
          `DeliveryConsumer.onOrderFromEach -> ${DELIVERY_TOPICS.orders} (local, mqtt)`,
          `DeliveryConsumer.onOrderFromMqtt -> ${DELIVERY_TOPICS.orders} (mqtt)`,
        ]),
      );
      const [local, mqtt] = handlersOf(DELIVERY_TOPICS.orders);
      // The methods naming no transport sit behind one handler both subscribers share...
      const shared = local.find((h) => h instanceof DeduplicatingEventHandler);
      expect(shared).toBeDefined();
      expect(mqtt).toContain(shared);
      const behind = (shared as DeduplicatingEventHandler).handler as TopicDispatcher;
      expect(behind.handlers.map((h) => h.name)).toEqual([
        'DeliveryConsumer.onOrder',
        'DeliveryConsumer.onOrderToo',
      ]);
      // ...and those naming theirs are each subscriber's own.
      expect(local.map((h) => h.name)).toEqual([
        'DeliveryConsumer.onOrder, DeliveryConsumer.onOrderToo',
        'DeliveryConsumer.onOrderFromEach',
      ]);
      expect(mqtt.map((h) => h.name)).toEqual([
        'DeliveryConsumer.onOrder, DeliveryConsumer.onOrderToo',
        'DeliveryConsumer.onOrderFromEach',
        'DeliveryConsumer.onOrderFromMqtt',
      ]);
      await closeApps();

      // With one transport, nothing to collapse: the methods are bound as they are.
      calls.length = 0;
      @Injectable()
      class OneTransportConsumer {
        @Subscribe(DELIVERY_TOPICS.orders)
        onOrder(): void {}

        @Subscribe(DELIVERY_TOPICS.all)
        onAnything(): void {}
      }
      await startApp({
        imports: [BuslineModule.forRoot({ local: true })],
        providers: [OneTransportConsumer],
      });
      const bound = calls.flatMap((c) => (c.handler as TopicDispatcher).handlers);
      expect(bound.length).toBeGreaterThan(0);
      expect(bound.every((h) => h instanceof BoundHandler)).toBe(true);
    } finally {
      record.mockRestore();
    }
  });
});
