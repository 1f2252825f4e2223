import { Module } from '@nestjs/common';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { BuslineModule } from '../../lib/nest/busline.module';
import { BuslineConfigurationError } from '../../lib/nest/errors/busline-configuration.error';
import { BootConsumer, LifecycleConsumerModule, SlowConsumer } from './apps/lifecycle.consumer';
import { OrderShipped } from './apps/orders.messages';
import { OrdersProducer, PRODUCER_HOOKS } from './apps/orders.producer';
import { TOPICS } from './apps/topics';
import { closeApps, createApp, startApp } from './support/harness';
import { PROFILES } from './support/transports';
import { deferred, settle, waitFor } from './support/wait';

jest.setTimeout(30_000);

describe.each(PROFILES)('lifecycle on $name', (profile) => {
  beforeAll(() => profile.setup());
  afterAll(() => profile.teardown());
  afterEach(() => closeApps());

  describe('startup', () => {
    it.each([
      ['onApplicationBootstrap', 'from-bootstrap'],
      ['onModuleInit', 'from-init'],
    ])('loses nothing a provider publishes in its own %s', async (hook, id) => {
      const { app } = await startApp({
        imports: [BuslineModule.forRoot(profile.options()), LifecycleConsumerModule],
        providers: [OrdersProducer, { provide: PRODUCER_HOOKS, useValue: [hook] }],
      });
      await waitFor(() => app.get(BootConsumer).ids.includes(id), `the event sent in ${hook}`);
    });

    it('loses nothing published during startup with a non-global module either', async () => {
      const busline = BuslineModule.forRoot({ ...profile.options(), isGlobal: false });
      @Module({
        imports: [busline],
        providers: [
          OrdersProducer,
          { provide: PRODUCER_HOOKS, useValue: ['onModuleInit', 'onApplicationBootstrap'] },
        ],
      })
      class ProducerFeature {}
      @Module({ imports: [busline, LifecycleConsumerModule] })
      class ConsumerFeature {}

      const { app } = await startApp({ imports: [ProducerFeature, ConsumerFeature] });
      const consumer = app.get(BootConsumer);
      await waitFor(
        () => consumer.ids.includes('from-init') && consumer.ids.includes('from-bootstrap'),
        'both startup events',
      );
    });

    it('rejects, rather than hangs, a publish awaited while providers are still being created', async () => {
      const compiling = createApp({
        imports: [BuslineModule.forRoot({ ...profile.options(), connectTimeout: 200 })],
        providers: [
          {
            provide: 'EAGER',
            useFactory: async (bus: PubSubClient) => bus.publish(TOPICS.boot),
            inject: [PubSubClient],
          },
        ],
      });
      await expect(compiling).rejects.toBeInstanceOf(BuslineConfigurationError);
      await expect(compiling).rejects.toThrow(/waited 200 ms for Busline to start.*onModuleInit/);
    });
  });

  describe('shutdown', () => {
    it('app.close() waits for a handler in flight, and takes no new event meanwhile', async () => {
      const outside = await profile.outside();
      try {
        const { app } = await startApp({
          imports: [BuslineModule.forRoot(outside.options), LifecycleConsumerModule],
        });
        const consumer = app.get(SlowConsumer);
        await outside.publisher.publish(TOPICS.slow, OrderShipped.of('in-flight'));
        await waitFor(() => consumer.started.length === 1, 'the handler to start');

        const order: string[] = [];
        const subscriber = app.get(PubSubClient).subscribers[0];
        // disconnect() stops taking events as it is called, then waits for the handlers before
        // the subscriber counts as disconnected.
        const disconnecting = jest.spyOn(subscriber, 'disconnect');
        const closing = app.close().then(() => order.push('closed'));
        await waitFor(
          () => disconnecting.mock.calls.length === 1,
          'the subscriber to stop taking events',
        );
        expect(subscriber.connected).toBe(true); // still draining
        await outside.publisher.publish(TOPICS.slow, OrderShipped.of('too-late'));
        await settle(20);
        expect(order).toEqual([]);

        consumer.gate.resolve();
        await consumer.gate.promise;
        order.push('released');
        await closing;
        expect(order).toEqual(['released', 'closed']);
        expect(consumer.finished).toEqual(['in-flight']);
        expect(consumer.started).toEqual(['in-flight']);
      } finally {
        await outside.publisher.disconnect();
      }
    });

    it('waits no longer than shutdownTimeout for a handler that never finishes', async () => {
      const { app, logger } = await startApp({
        imports: [
          BuslineModule.forRoot({ ...profile.options(), shutdownTimeout: 100 }),
          LifecycleConsumerModule,
        ],
      });
      const consumer = app.get(SlowConsumer);
      consumer.gate = deferred(); // never opened
      await app.get(PubSubClient).publish(TOPICS.slow, OrderShipped.of('stuck'));
      await waitFor(() => consumer.started.length === 1, 'the handler to start');

      await app.close();
      expect(consumer.finished).toEqual([]);
      expect(logger.busline('warn')).toEqual(
        expect.arrayContaining([
          expect.stringContaining('handlers still running 100 ms after disconnect'),
        ]),
      );
    });

    it('keeps publishers usable by other providers until the application shuts down', async () => {
      const { app } = await startApp({ imports: [BuslineModule.forRoot(profile.options())] });
      const bus = app.get(PubSubClient);
      await app.close();
      expect(bus.publishers.every((p) => !p.connected)).toBe(true);
      expect(bus.subscribers.every((s) => !s.connected)).toBe(true);
      await expect(bus.publish(TOPICS.boot)).rejects.toThrow(/not connected/);
    });
  });

  describe('two applications in one process', () => {
    it('bind their own instances, and closing one leaves the other working', async () => {
      const first = await startApp({
        imports: [BuslineModule.forRoot(profile.options()), LifecycleConsumerModule],
      });
      const second = await startApp({
        imports: [BuslineModule.forRoot(profile.options()), LifecycleConsumerModule],
      });
      const secondConsumer = second.app.get(BootConsumer);
      expect(first.app.get(BootConsumer)).not.toBe(secondConsumer);

      await first.app.close();
      await second.app.get(PubSubClient).publish(TOPICS.boot, OrderShipped.of('still-here'));
      await waitFor(() => secondConsumer.ids.includes('still-here'), 'the second app handler');
      expect(first.app.get(BootConsumer).ids).toEqual([]);
    });
  });
});
