import { Controller, Injectable, Module } from '@nestjs/common';
import { Event } from '../../lib/core/event';
import { BuslineModule } from '../../lib/nest/busline.module';
import { BuslineConfigurationError } from '../../lib/nest/errors/busline-configuration.error';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { Subscribe } from '../../lib/nest/decorators/subscribe.decorator';
import {
  OrdersConsumer,
  OrdersConsumerModule,
  OrdersEventsController,
} from './apps/orders.consumer';
import {
  ConcurrentConsumer,
  RequestScopedConsumer,
  TransientConsumer,
} from './apps/lifecycle.consumer';
import { OrderCreated, OrderShipped } from './apps/orders.messages';
import { OrdersProducer, OrdersProducerModule } from './apps/orders.producer';
import { NS, TOPICS } from './apps/topics';
import { closeApps, createApp, startApp } from './support/harness';
import { PROFILES } from './support/transports';
import { settle, waitFor } from './support/wait';

jest.setTimeout(30_000);

describe.each(PROFILES)('@Subscribe handlers on $name', (profile) => {
  beforeAll(() => profile.setup());
  afterAll(() => profile.teardown());
  afterEach(() => closeApps());

  const ordersApp = () =>
    startApp({
      imports: [
        BuslineModule.forRoot(profile.options()),
        OrdersConsumerModule,
        OrdersProducerModule,
      ],
    });

  it('calls handlers with (topic, event) by default, on their instance', async () => {
    const { app } = await ordersApp();
    const consumer = app.get(OrdersConsumer);
    const event = (await app
      .get(PubSubClient)
      .publish(TOPICS.created, OrderCreated.of('o-1', ['apple', 2]))) as Event;

    await waitFor(() => consumer.calledWith('onCreated').length === 1, 'onCreated');
    const [call] = consumer.calledWith('onCreated');
    expect(call.self).toBe(consumer);
    const [topic, received] = call.args as [string, Event<OrderCreated>];
    expect(topic).toBe(TOPICS.created);
    expect(received).toBeInstanceOf(Event);
    expect(received.identifier).toBe(event.identifier);
    expect(received.payload).toBeInstanceOf(OrderCreated);
    expect(received.payload!.lines[0]).toEqual({ sku: 'apple', quantity: 2 });
  });

  it('passes what @Payload, @Topic, @Envelope and @TopicParams ask for', async () => {
    const { app } = await ordersApp();
    const consumer = app.get(OrdersConsumer);
    const bus = app.get(PubSubClient);
    await bus.publish(TOPICS.created, OrderCreated.of('o-2', ['pear', 1]));
    await bus.publish(`${NS}/orders/42/status/lines/7`, OrderShipped.of('42'));

    await waitFor(() => consumer.calledWith('onCreatedPayload').length === 1, 'onCreatedPayload');
    const [order, topic, id, event] = consumer.calledWith('onCreatedPayload')[0].args as [
      OrderCreated,
      string,
      string,
      Event,
    ];
    expect(order).toBeInstanceOf(OrderCreated);
    expect(topic).toBe(TOPICS.created);
    expect(id).toBe('o-2');
    expect(event.payload).toBe(order);

    await waitFor(() => consumer.calledWith('onStatus').length === 1, 'onStatus');
    expect(consumer.calledWith('onStatus')[0].args).toEqual([{ id: '42', rest: 'lines/7' }, '42']);
  });

  it('counts every stacked @Subscribe and every topic of one', async () => {
    const { app } = await ordersApp();
    const consumer = app.get(OrdersConsumer);
    const bus = app.get(PubSubClient);
    await bus.publish(TOPICS.shipped, OrderShipped.of('s'));
    await bus.publish(TOPICS.cancelled, OrderShipped.of('c'));
    await bus.publish(TOPICS.notes, 'a note');

    await waitFor(() => consumer.calledWith('onStacked').length === 3, 'three stacked calls');
    expect(
      consumer
        .calledWith('onStacked')
        .map((c) => c.args[0])
        .sort(),
    ).toEqual([TOPICS.cancelled, TOPICS.notes, TOPICS.shipped].sort());
  });

  it('binds an aliased provider once, controllers too, and logs each binding', async () => {
    const { app, logger } = await ordersApp();
    const consumer = app.get(OrdersConsumer);
    const controller = app.get(OrdersEventsController);
    await app.get(OrdersProducer).created('o-3', ['fig', 1]);

    await waitFor(() => controller.topics.length === 1, 'the controller handler');
    await waitFor(() => consumer.calledWith('onCreated').length === 1, 'onCreated');
    // Another event proves the first was not delivered twice (per subscription, order is kept).
    await app.get(OrdersProducer).created('o-4', ['fig', 1]);
    await waitFor(() => controller.topics.length === 2, 'the second event');
    await waitFor(() => consumer.calledWith('onCreated').length === 2, 'the second event');
    expect(consumer.calledWith('onCreated')).toHaveLength(2);

    const bindings = logger.busline('log');
    expect(bindings).toContain(`OrdersConsumer.onCreated -> ${TOPICS.created}`);
    expect(bindings).toContain(`OrdersConsumer.onStacked -> ${TOPICS.shipped}`);
    expect(bindings).toContain(`OrdersConsumer.onStacked -> ${TOPICS.notes}`);
    expect(bindings).toContain(`OrdersEventsController.onCreated -> ${TOPICS.created}`);
    expect(bindings.filter((b) => b.startsWith('OrdersConsumer.onCreated ->'))).toHaveLength(1);
  });

  it('turns an @EventHandler() method into a handler bound to its instance', async () => {
    const { app } = await ordersApp();
    const consumer = app.get(OrdersConsumer);
    const bus = app.get(PubSubClient);
    // Subscribed by @Subscribe, and usable by hand without .bind().
    await bus.subscribe(`${NS}/manual`, consumer.onAudit);
    await bus.publish(TOPICS.audit);
    await bus.publish(`${NS}/manual`);

    await waitFor(() => consumer.calledWith('onAudit').length === 2, 'both audit calls');
    expect(consumer.calledWith('onAudit').every((c) => c.self === consumer)).toBe(true);
    expect(
      consumer
        .calledWith('onAudit')
        .map((c) => c.args[0])
        .sort(),
    ).toEqual([TOPICS.audit, `${NS}/manual`].sort());
  });

  it('handles one event at a time per handler unless its concurrency says otherwise', async () => {
    const { app } = await startApp({
      imports: [BuslineModule.forRoot(profile.options())],
      providers: [ConcurrentConsumer],
    });
    const consumer = app.get(ConcurrentConsumer);
    const bus = app.get(PubSubClient);
    for (const id of ['1', '2']) {
      await bus.publish(`${TOPICS.slow}/serial`, OrderShipped.of(id));
      await bus.publish(`${TOPICS.slow}/parallel`, OrderShipped.of(id));
    }
    await waitFor(() => consumer.started.length === 3, 'three handlers to start');
    await settle(20);
    expect([...consumer.started].sort()).toEqual(['parallel:1', 'parallel:2', 'serial:1']);

    consumer.gate.resolve();
    await waitFor(() => consumer.started.includes('serial:2'), 'the second serial event');
  });

  it('rejects a request-scoped provider with @Subscribe, saying why and what to do', async () => {
    const { app } = await createApp({
      imports: [BuslineModule.forRoot(profile.options())],
      providers: [RequestScopedConsumer],
    });
    const init = app.init();
    await expect(init).rejects.toBeInstanceOf(BuslineConfigurationError);
    await expect(init).rejects.toThrow(
      /RequestScopedConsumer\.onNote has @Subscribe\(\), but RequestScopedConsumer is request-scoped.*singleton/,
    );
  });

  it('rejects a transient provider with @Subscribe, saying why', async () => {
    const { app } = await createApp({
      imports: [BuslineModule.forRoot(profile.options())],
      providers: [TransientConsumer],
    });
    await expect(app.init()).rejects.toThrow(
      /TransientConsumer\.onNote has @Subscribe\(\), but TransientConsumer is transient \(Scope\.TRANSIENT\)/,
    );
  });

  it('rejects an unknown transport name in @Subscribe at startup', async () => {
    @Injectable()
    class Misnamed {
      @Subscribe(`${NS}/x`, { transport: 'kafka' })
      onX(): void {}
    }
    const { app } = await createApp({
      imports: [BuslineModule.forRoot(profile.options())],
      providers: [Misnamed],
    });
    await expect(app.init()).rejects.toThrow(
      new RegExp(
        `Misnamed\\.onX: @Subscribe\\('${NS}/x'\\): Expected options.transport to be a configured transport name`,
      ),
    );
  });

  it('subscribes handlers of a feature module that does not import BuslineModule', async () => {
    @Controller()
    class FeatureController {
      readonly seen: string[] = [];
      @Subscribe(`${NS}/feature`)
      on(topic: string): void {
        this.seen.push(topic);
      }
    }
    @Module({ controllers: [FeatureController] })
    class FeatureModule {}
    const { app } = await startApp({
      imports: [BuslineModule.forRoot(profile.options()), FeatureModule],
    });
    await app.get(PubSubClient).publish(`${NS}/feature`);
    await waitFor(() => app.get(FeatureController).seen.length === 1, 'the feature handler');
  });
});
