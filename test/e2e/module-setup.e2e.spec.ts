import { Inject, Injectable, Module } from '@nestjs/common';
import { InvalidArgumentError } from '../../lib/core/errors/invalid-argument.error';
import type { Event } from '../../lib/core/event';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { AsyncLocalEventBus } from '../../lib/local/async-local-event-bus';
import { LocalEventBus } from '../../lib/local/local-event-bus';
import { LocalPublisher } from '../../lib/local/local.publisher';
import { LocalSubscriber } from '../../lib/local/local.subscriber';
import { BuslineClient } from '../../lib/nest/busline.client';
import { BUSLINE_MODULE_OPTIONS } from '../../lib/nest/busline.constants';
import { BuslineModule, type BuslineOptionsFactory } from '../../lib/nest/busline.module';
import { Subscribe } from '../../lib/nest/decorators/subscribe.decorator';
import { BuslineConfigurationError } from '../../lib/nest/errors/busline-configuration.error';
import { BuslineConnectionError } from '../../lib/nest/errors/busline-connection.error';
import type { BuslineModuleOptions } from '../../lib/nest/interfaces/busline-module-options.interface';
import { RefusingPublisher, SilentPublisher } from './apps/custom.transports';
import { BootConsumer, LifecycleConsumerModule } from './apps/lifecycle.consumer';
import { OrderCreated } from './apps/orders.messages';
import { OrdersProducer, OrdersProducerModule } from './apps/orders.producer';
import { ValidationConsumer, ValidationConsumerModule } from './apps/validation.consumer';
import { NS, TOPICS } from './apps/topics';
import { closeApps, createApp, startApp } from './support/harness';
import { waitFor } from './support/wait';

jest.setTimeout(30_000);

/** Stands for `@nestjs/config`: options read from the environment by an injected service. */
@Injectable()
class Settings {
  readonly values: Record<string, string> = { BUS_TRANSPORT: 'local' };
  get(key: string): string | undefined {
    return this.values[key];
  }
}

@Module({ providers: [Settings], exports: [Settings] })
class SettingsModule {}

/** Handlers split between the local transport and a custom one named 'audit'. */
@Injectable()
class SplitConsumer {
  readonly local: string[] = [];
  readonly audit: string[] = [];

  @Subscribe(`${NS}/split`, { transport: 'local' })
  onLocal(topic: string): void {
    this.local.push(topic);
  }

  @Subscribe(`${NS}/split`, { transport: 'audit' })
  onAudit(topic: string): void {
    this.audit.push(topic);
  }
}

afterEach(() => closeApps());

describe('BuslineModule setup', () => {
  it('forRootAsync({ imports, inject, useFactory }) reads options from another provider', async () => {
    const { app } = await startApp({
      imports: [
        BuslineModule.forRootAsync({
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: (settings: Settings): BuslineModuleOptions => ({
            local: settings.get('BUS_TRANSPORT') === 'local',
          }),
        }),
        ValidationConsumerModule,
      ],
    });
    const bus = app.get(PubSubClient);
    await bus.publish(TOPICS.created, OrderCreated.of('async', ['a', 1]));
    await waitFor(() => app.get(ValidationConsumer).created.length === 1, 'the handler');
  });

  it('forRootAsync({ useClass }) and ({ useExisting }) take an options factory', async () => {
    @Injectable()
    class BuslineConfig implements BuslineOptionsFactory {
      constructor(@Inject(Settings) private readonly settings: Settings) {}
      createBuslineOptions(): BuslineModuleOptions {
        return { local: this.settings.get('BUS_TRANSPORT') === 'local' };
      }
    }
    @Module({ imports: [SettingsModule], providers: [BuslineConfig], exports: [BuslineConfig] })
    class ConfigModule {}

    for (const busline of [
      BuslineModule.forRootAsync({ imports: [SettingsModule], useClass: BuslineConfig }),
      BuslineModule.forRootAsync({ imports: [ConfigModule], useExisting: BuslineConfig }),
    ]) {
      const { app } = await startApp({ imports: [busline, LifecycleConsumerModule] });
      await app.get(PubSubClient).publish(TOPICS.boot, OrderCreated.of('factory'));
      await waitFor(() => app.get(BootConsumer).ids.includes('factory'), 'the handler');
      await app.close();
    }
  });

  it('provides one client, as PubSubClient and as BuslineClient', async () => {
    const { app } = await startApp({
      imports: [BuslineModule.forRoot({ local: true }), OrdersProducerModule],
    });
    const client = app.get(PubSubClient);
    expect(client).toBeInstanceOf(BuslineClient);
    expect(app.get(BuslineClient)).toBe(client);
    expect(app.get(OrdersProducer)['bus']).toBe(client);
    expect((client as BuslineClient).transportNames).toEqual(['local']);
  });

  it('is global by default; with isGlobal: false only importers get the client', async () => {
    @Injectable()
    class Needy {
      constructor(readonly bus: PubSubClient) {}
    }
    @Module({ providers: [Needy] })
    class FeatureWithoutImport {}

    await expect(
      createApp({
        imports: [BuslineModule.forRoot({ local: true, isGlobal: false }), FeatureWithoutImport],
      }),
    ).rejects.toThrow(/PubSubClient/);

    const busline = BuslineModule.forRoot({ local: true, isGlobal: false });
    @Module({ imports: [busline], providers: [Needy] })
    class FeatureWithImport {}
    const { app } = await startApp({ imports: [FeatureWithImport] });
    expect(app.get(Needy).bus).toBeInstanceOf(BuslineClient);
  });

  it('routes by transport name: custom transports next to the local one', async () => {
    const auditBus = new AsyncLocalEventBus();
    const { app } = await startApp({
      imports: [
        BuslineModule.forRoot({
          local: true,
          publishers: { audit: new LocalPublisher({ eventbus: auditBus }) },
          subscribers: { audit: new LocalSubscriber({ eventbus: auditBus }) },
        }),
      ],
      providers: [SplitConsumer],
    });
    const bus = app.get(BuslineClient);
    const consumer = app.get(SplitConsumer);
    expect(bus.transportNames).toEqual(['local', 'audit']);

    await bus.publish(`${NS}/split`, undefined, { transport: 'audit' });
    await bus.drain();
    expect(consumer).toMatchObject({ local: [], audit: [`${NS}/split`] });

    await bus.publish(`${NS}/split`);
    await bus.drain();
    expect(consumer.local).toHaveLength(1);
    expect(consumer.audit).toHaveLength(2);

    const manual: string[] = [];
    await bus.multiSubscribe([`${NS}/m1`, `${NS}/m2`], (topic) => void manual.push(topic), {
      transport: 'audit',
    });
    await bus.publish(`${NS}/m1`, undefined, { transport: 'local' });
    await bus.publish(`${NS}/m2`, undefined, { transport: 'audit' });
    await bus.drain();
    expect(manual).toEqual([`${NS}/m2`]);

    await expect(bus.publish(`${NS}/split`, undefined, { transport: 'kafka' })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(bus.publish(`${NS}/split`, undefined, { transport: 'kafka' })).rejects.toThrow(
      "Expected options.transport to be a configured transport name ('local', 'audit'), got \"kafka\"",
    );
  });

  it('can swap the transports in tests by overriding the options token', async () => {
    // The application as deployed talks to a broker that is not there in tests...
    @Module({
      imports: [
        BuslineModule.forRoot({ publishers: [new RefusingPublisher()] }),
        ValidationConsumerModule,
      ],
    })
    class AppModule {}

    // ...so the test runs it on the local transport instead.
    const { app } = await startApp({ imports: [AppModule] }, (builder) =>
      builder.overrideProvider(BUSLINE_MODULE_OPTIONS).useValue({ local: true }),
    );
    const bus = app.get(BuslineClient);
    await bus.publish(TOPICS.created, OrderCreated.of('swapped', ['a', 1]));
    await bus.drain();
    expect(app.get(ValidationConsumer).created.map((o) => o.id)).toEqual(['swapped']);
  });
});

describe('BuslineModule errors at startup', () => {
  it.each([0, -5, '100'])('rejects a publishTimeout of %p, naming the option', async (value) => {
    const compiling = createApp({
      imports: [BuslineModule.forRoot({ local: true, publishTimeout: value as number })],
    });
    await expect(compiling).rejects.toBeInstanceOf(BuslineConfigurationError);
    await expect(compiling).rejects.toThrow(/publishTimeout.*milliseconds above 0/);
  });

  it('rejects options without any transport', async () => {
    const compiling = createApp({ imports: [BuslineModule.forRoot({})] });
    await expect(compiling).rejects.toBeInstanceOf(BuslineConfigurationError);
    await expect(compiling).rejects.toThrow(/BuslineModule has no transport: set `local: true`/);
  });

  it('rejects malformed options with what was expected', async () => {
    await expect(
      createApp({ imports: [BuslineModule.forRoot({ local: 'yes' as unknown as boolean })] }),
    ).rejects.toThrow(
      'BuslineModule option `local` must be true, or { name?, eventbus?: EventBus }',
    );
    await expect(
      createApp({
        imports: [
          BuslineModule.forRoot({ publishers: [{} as unknown as LocalPublisher], local: true }),
        ],
      }),
    ).rejects.toThrow(/`publishers` must be an array of Publisher instances.*is a plain object/);
    await expect(
      createApp({
        imports: [
          BuslineModule.forRoot({
            local: true,
            subscribers: { local: new LocalSubscriber() },
          }),
        ],
      }),
    ).rejects.toThrow(/transport name 'local' for both the local transport and user-supplied/);
  });

  it('refuses forRootAsync without a way to make the options', () => {
    expect(() => BuslineModule.forRootAsync({})).toThrow(
      'BuslineModule.forRootAsync() needs useFactory (with inject), useClass or useExisting',
    );
  });

  it('makes app.init() reject, naming the transport, when a transport cannot connect', async () => {
    const local = new LocalPublisher();
    const { app } = await createApp({
      imports: [
        BuslineModule.forRoot({ publishers: { primary: [local, new RefusingPublisher()] } }),
      ],
    });
    const init = app.init();
    await expect(init).rejects.toBeInstanceOf(BuslineConnectionError);
    await expect(init).rejects.toThrow(
      /Busline could not connect transport 'primary' \(RefusingPublisher\('.*'\)\): connect ECONNREFUSED 127\.0\.0\.1:9\. Check the 'primary' transport options/,
    );
    // What did connect was disconnected again.
    expect(local.connected).toBe(false);
  });

  it('makes app.init() reject when a transport does not connect within connectTimeout', async () => {
    const { app } = await createApp({
      imports: [
        BuslineModule.forRoot({
          publishers: [new SilentPublisher()],
          connectTimeout: 50,
          shutdownTimeout: 50,
        }),
      ],
    });
    await expect(app.init()).rejects.toThrow(
      /could not connect transport 'custom' \(SilentPublisher\('.*'\)\): no connection after 50 ms \(connectTimeout\)/,
    );
  });
});

describe('the local transport between applications', () => {
  const consumerApp = (options: BuslineModuleOptions) =>
    startApp({ imports: [BuslineModule.forRoot(options), LifecycleConsumerModule] });

  it('keeps two applications apart with local: true', async () => {
    const first = await consumerApp({ local: true });
    const second = await consumerApp({ local: true });
    await first.app.get(PubSubClient).publish(TOPICS.boot, OrderCreated.of('first'));
    await first.app.get(BuslineClient).drain();
    await second.app.get(BuslineClient).drain();

    expect(first.app.get(BootConsumer).ids).toEqual(['first']);
    expect(second.app.get(BootConsumer).ids).toEqual([]);
  });

  it('connects applications on purpose through the process-wide LocalEventBus', async () => {
    const first = await consumerApp({ local: { eventbus: new LocalEventBus() } });
    const second = await consumerApp({ local: { eventbus: new LocalEventBus() } });
    const received: Event[] = [];
    // Plain Busline code on the same bus sees it too.
    const outsider = new LocalSubscriber();
    await outsider.subscribe(TOPICS.boot, (_topic, event) => {
      received.push(event);
    });
    await outsider.connect();
    try {
      await first.app.get(PubSubClient).publish(TOPICS.boot, OrderCreated.of('shared'));
      await second.app.get(BuslineClient).drain();
      expect(first.app.get(BootConsumer).ids).toEqual(['shared']);
      expect(second.app.get(BootConsumer).ids).toEqual(['shared']);
      expect(received).toHaveLength(1);
    } finally {
      await outsider.disconnect();
    }
  });

  it('lets tests await handlers with drain(), without polling', async () => {
    const { app } = await startApp({
      imports: [BuslineModule.forRoot({ local: true }), ValidationConsumerModule],
    });
    const bus = app.get(BuslineClient);
    await bus.publish(TOPICS.created, OrderCreated.of('drained', ['a', 1]));
    expect(await bus.drain()).toBe(true);
    expect(app.get(ValidationConsumer).created.map((o) => o.id)).toEqual(['drained']);
  });
});
