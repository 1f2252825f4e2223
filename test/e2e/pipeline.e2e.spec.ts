import { HandlerFailure } from '../../lib/core/request/handler-failure';
import {
  BadRequestException,
  Catch,
  Injectable,
  ForbiddenException,
  ValidationPipe,
  type ArgumentsHost,
  type CallHandler,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { map, of, type Observable } from 'rxjs';
import type { BuslineError } from '../../lib/core/errors/busline.error';
import { HandlerError } from '../../lib/core/errors/handler.error';
import { Event } from '../../lib/core/event';
import type { BuslineEventHandler } from '../../lib/core/handlers/event-handler';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { Subscriber } from '../../lib/core/subscriber';
import { BuslineContext } from '../../lib/nest/busline-context';
import { BuslineModule } from '../../lib/nest/busline.module';
import { Ctx } from '../../lib/nest/decorators/ctx.decorator';
import { Subscribe } from '../../lib/nest/decorators/subscribe.decorator';
import { MessageValidationError } from '../../lib/nest/errors/message-validation.error';
import type { BuslineErrorContext } from '../../lib/nest/interfaces/busline-error-context.interface';
import type { BuslineModuleOptions } from '../../lib/nest/interfaces/busline-module-options.interface';
import { DeadLetterMessage } from '../../lib/nest/messages/dead-letter.message';
import {
  CountedOrder,
  CountedSku,
  Parcel,
  PIPELINE_TOPICS,
  PipelineConsumerModule,
} from './apps/pipeline.consumer';
import {
  PipelineProbe,
  RecordingPipe,
  ShippingFailedError,
  TimingInterceptor,
} from './apps/pipeline.enhancers';
import { NS, TOPICS } from './apps/topics';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';
import { closeApps, createApp, startApp } from './support/harness';
import { PROFILES } from './support/transports';
import { waitFor } from './support/wait';

jest.setTimeout(30_000);

const topic = {
  packed: (id: string) => `${NS}/pipeline/packed/${id}`,
  parsed: (n: string) => `${NS}/pipeline/parsed/${n}`,
};

/** Refuses the parcels of 'mallory', whatever the handler. */
class NoMalloryGuard {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToRpc().getData<Parcel | null>()?.owner !== 'mallory';
  }
}

/** Handles the packing failures of the 'global' parcels; rethrows everything else. */
@Catch()
class GlobalFilter implements ExceptionFilter {
  constructor(private readonly probe: PipelineProbe) {}

  catch(error: Error, host: ArgumentsHost): Observable<string> {
    const rpc = host.switchToRpc();
    const topic = rpc.getContext<BuslineContext>().topic;
    this.probe.filtered.push({
      by: 'global',
      type: host.getType(),
      topic,
      data: rpc.getData(),
      error,
    });
    if (!error.message.includes('global')) throw error;
    return of('handled globally');
  }
}

/** Wraps every result: `{ wrapped: result }`. */
class WrappingInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((result: unknown) => ({ wrapped: result })));
  }
}

describe.each(PROFILES)("Nest's pipeline around @Subscribe handlers on $name", (profile) => {
  beforeAll(() => profile.setup());
  afterAll(() => profile.teardown());
  afterEach(() => closeApps());

  const reported: { error: BuslineError; context: BuslineErrorContext }[] = [];
  beforeEach(() => {
    reported.length = 0;
  });

  /** The pipeline app on this profile; `setup` runs before init (global enhancers). */
  async function pipelineApp(
    options: BuslineModuleOptions = {},
    setup?: (app: INestApplication, probe: PipelineProbe) => void,
    extra: { providers?: unknown[] } = {},
  ) {
    const { app, logger } = await createApp({
      imports: [
        BuslineModule.forRoot({
          ...profile.options(),
          onError: (error, context) => {
            reported.push({ error, context });
          },
          ...options,
        }),
        PipelineConsumerModule,
      ],
      providers: extra.providers as never,
    });
    const probe = app.get(PipelineProbe);
    setup?.(app, probe);
    await app.init();
    return { app, logger, probe, bus: app.get(PubSubClient) };
  }

  it('runs interceptors around the call: context type, payload, BuslineContext, result, duration', async () => {
    const { bus, probe } = await pipelineApp();
    const event = await bus.publish(topic.packed('7'), Parcel.of('p-1', '50'));

    await waitFor(() => probe.of('packed').length === 1, 'the interceptor record');
    const [seen] = probe.of('packed');
    expect(seen).toMatchObject({
      type: 'busline',
      handler: 'packed',
      className: 'PipelineConsumer',
      result: 'packed p-1',
    });
    expect(seen.data).toBeInstanceOf(Parcel);
    expect(seen.data).toMatchObject({ id: 'p-1' });
    expect(seen.context).toBeInstanceOf(BuslineContext);
    expect(seen.context).toMatchObject({
      topic: topic.packed('7'),
      transport: profile.name,
      params: { id: '7' },
      pattern: PIPELINE_TOPICS.packed,
      attempt: 1,
    });
    expect(seen.context.event.identifier).toBe(event.identifier);
    // The handler waited 50 ms inside the interceptor's measure (timers may fire a little early
    // by the clock the interceptor reads).
    expect(seen.ms).toBeGreaterThanOrEqual(30);
    // @Ctx() gives the handler the very context the interceptor saw.
    expect(probe.handled).toEqual([['packed', 'p-1', seen.context]]);
    expect(reported).toEqual([]);
  });

  it("lets interceptors see the handler's error, then reports it as before", async () => {
    const { bus, probe } = await pipelineApp();
    const event = await bus.publish(topic.packed('8'), Parcel.of('bad-1', '40'));

    await waitFor(() => reported.length === 1, 'the report');
    const [seen] = probe.of('packed');
    expect(seen.error).toEqual(new Error('cannot pack bad-1'));
    expect(seen).not.toHaveProperty('result');
    expect(seen.ms).toBeGreaterThanOrEqual(20);
    const { error, context } = reported[0];
    expect(error).toBeInstanceOf(HandlerError);
    expect(error.cause).toBe(seen.error);
    expect(context).toMatchObject({ binding: 'PipelineConsumer.packed', attempts: 1 });
    expect((error as HandlerError).eventId).toBe(event.identifier);
  });

  it('applies pipes: on a parameter, on the method, and to createParamDecorator() parameters', async () => {
    const { bus, probe } = await pipelineApp();
    await bus.publish(topic.parsed('3'), Parcel.of('p-2', '12', 'bob'));

    await waitFor(() => probe.handled.length === 1, 'the parsed call');
    // @UsePipes(UpperCasePipe) runs on every parameter, then the parameter's ParseIntPipe.
    expect(probe.handled[0]).toEqual([
      'parsed',
      12,
      3,
      topic.parsed('3').toUpperCase(),
      'BOB@BUSLINE',
    ]);
  });

  it('reports a pipe that rejects the value; the handler is not called', async () => {
    const { bus, probe } = await pipelineApp();
    await bus.publish(topic.parsed('4'), Parcel.of('p-3', 'heavy'));

    await waitFor(() => reported.length === 1, 'the report');
    expect(reported[0].error).toBeInstanceOf(HandlerError);
    expect(reported[0].error.cause).toBeInstanceOf(BadRequestException);
    expect(reported[0].context.binding).toBe('PipelineConsumer.parsed');
    expect(probe.handled).toEqual([]);
  });

  it('asks the guards: a refusal is reported and dead-lettered, the next event goes through', async () => {
    const { bus, probe } = await pipelineApp({ deadLetter: TOPICS.dead });
    const letters: DeadLetterMessage[] = [];
    await bus.subscribe<DeadLetterMessage>(TOPICS.dead, (_topic, event) => {
      letters.push(event.payload!);
    });
    const refused = await bus.publish(PIPELINE_TOPICS.guarded, Parcel.of('g-1', '0', 'eve'));
    await bus.publish(PIPELINE_TOPICS.guarded, Parcel.of('g-2', '0', 'ada'));

    await waitFor(() => probe.handled.length === 1, 'the accepted parcel');
    expect(probe.handled).toEqual([['guarded', 'g-2']]);
    expect(probe.guarded.map((g) => [g.type, g.topic, (g.data as Parcel).id])).toEqual([
      ['busline', PIPELINE_TOPICS.guarded, 'g-1'],
      ['busline', PIPELINE_TOPICS.guarded, 'g-2'],
    ]);
    // Guards run before interceptors: those of the class and of the method saw the accepted one.
    await waitFor(() => probe.of('guarded').length === 1, 'the class interceptor');
    await waitFor(() => probe.of('guarded', 'method').length === 1, 'the method interceptor');
    expect(probe.of('guarded').map((i) => (i.data as Parcel).id)).toEqual(['g-2']);
    expect(probe.of('guarded', 'method').map((i) => (i.data as Parcel).id)).toEqual(['g-2']);
    await waitFor(() => reported.length === 1 && letters.length === 1, 'the report and letter');
    expect(reported[0].error).toBeInstanceOf(HandlerError);
    expect(reported[0].error.cause).toBeInstanceOf(ForbiddenException);
    expect(reported[0].context).toMatchObject({ binding: 'PipelineConsumer.guarded', attempts: 1 });
    expect(letters[0]).toMatchObject({
      eventIdentifier: refused.identifier,
      handler: 'PipelineConsumer.guarded',
      error: 'HandlerError',
      attempts: 1,
    });
  });

  it('asks the guards again on each retry', async () => {
    const { bus, probe } = await pipelineApp({ retry: { retries: 2, delay: 1 } });
    await bus.publish(PIPELINE_TOPICS.guarded, Parcel.of('g-3', '0', 'eve'));

    await waitFor(() => reported.length === 1, 'the report');
    expect(probe.guarded.map((g) => (g.data as Parcel).id)).toEqual(['g-3', 'g-3', 'g-3']);
    expect(reported[0].context.attempts).toBe(3);
    expect(reported[0].error.cause).toBeInstanceOf(ForbiddenException);
  });

  it('runs exception filters: a filter that handles the error makes the call a success', async () => {
    const { bus, probe } = await pipelineApp({ deadLetter: TOPICS.dead });
    await bus.publish(PIPELINE_TOPICS.backordered, Parcel.of('none-1'));
    await bus.publish(PIPELINE_TOPICS.backordered, Parcel.of('ok-1'));

    await waitFor(() => probe.handled.length === 1, 'the next parcel');
    expect(probe.filtered).toEqual([
      expect.objectContaining({
        by: 'backorder',
        type: 'busline',
        topic: PIPELINE_TOPICS.backordered,
        error: expect.objectContaining({ name: 'OutOfStockError' }),
      }),
    ]);
    // The interceptors (inside the filters) saw the error and the next success.
    await waitFor(() => probe.of('backordered').length === 2, 'both interceptor records');
    expect(probe.of('backordered').map((i) => i.result ?? (i.error as Error).name)).toEqual([
      'OutOfStockError',
      'shipped ok-1',
    ]);
    expect(reported).toEqual([]);
  });

  it('reports what a filter does not handle, and what a filter throws instead', async () => {
    const { bus } = await pipelineApp({ deadLetter: TOPICS.dead });
    const letters: DeadLetterMessage[] = [];
    await bus.subscribe<DeadLetterMessage>(TOPICS.dead, (_topic, event) => {
      letters.push(event.payload!);
    });
    await bus.publish(PIPELINE_TOPICS.backordered, Parcel.of('bad-2'));
    await bus.publish(PIPELINE_TOPICS.wrapped, Parcel.of('w-1'));

    await waitFor(() => reported.length === 2 && letters.length === 2, 'both reports and letters');
    const byHandler = new Map(reported.map((r) => [r.context.binding, r.error]));
    // Not the BackorderFilter's kind of error: it passes through.
    expect(byHandler.get('PipelineConsumer.backordered')?.cause).toEqual(
      new TypeError('cannot ship bad-2'),
    );
    // The WrapFilter's own error replaces the handler's.
    const wrapped = byHandler.get('PipelineConsumer.wrapped')!.cause as ShippingFailedError;
    expect(wrapped).toBeInstanceOf(ShippingFailedError);
    expect(wrapped.message).toBe('shipping failed: no carrier for w-1');
    expect(letters.map((l) => l.reason).sort()).toEqual([
      'cannot ship bad-2',
      'shipping failed: no carrier for w-1',
    ]);
  });

  it('applies global enhancers: app.useGlobal*() and APP_INTERCEPTOR providers', async () => {
    const { bus, probe } = await pipelineApp(
      {},
      (app, probe) => {
        app.useGlobalInterceptors(new TimingInterceptor(probe, 'global'));
        app.useGlobalGuards(new NoMalloryGuard());
        app.useGlobalPipes(new RecordingPipe(probe, 'global'));
        app.useGlobalFilters(new GlobalFilter(probe));
      },
      {
        providers: [
          {
            provide: APP_INTERCEPTOR,
            useFactory: (probe: PipelineProbe) => new TimingInterceptor(probe, 'provider'),
            inject: [PipelineProbe],
          },
        ],
      },
    );
    await bus.publish(PIPELINE_TOPICS.plain);
    await waitFor(() => probe.of('plain', 'provider').length === 1, 'the provider interceptor');
    await waitFor(() => probe.of('plain', 'global').length === 1, 'the global interceptor');
    expect(probe.of('plain', 'global')).toEqual([
      expect.objectContaining({ type: 'busline', result: `plain ${PIPELINE_TOPICS.plain}` }),
    ]);
    // The global pipe saw the default arguments, (topic, event), as custom parameters.
    expect(probe.piped.map((p) => [p.type, p.value instanceof Event ? 'event' : p.value])).toEqual([
      ['custom', PIPELINE_TOPICS.plain],
      ['custom', 'event'],
    ]);

    // The global guard refuses mallory before the handler's own guard is asked; the global
    // filter sees the refusal and rethrows it.
    await bus.publish(PIPELINE_TOPICS.guarded, Parcel.of('g-4', '0', 'mallory'));
    await waitFor(() => reported.length === 1, 'the refusal');
    expect(reported[0].error.cause).toBeInstanceOf(ForbiddenException);
    expect(probe.guarded).toEqual([]);
    expect(probe.filtered).toEqual([
      expect.objectContaining({ by: 'global', error: expect.any(ForbiddenException) }),
    ]);

    // The global filter handles this one: nothing more is reported.
    await bus.publish(topic.packed('9'), Parcel.of('bad-global'));
    await waitFor(() => probe.filtered.length === 2, 'the global filter');
    await bus.publish(topic.packed('10'), Parcel.of('after'));
    await waitFor(() => probe.handled.some((h) => h[1] === 'after'), 'the next parcel');
    expect(reported).toHaveLength(1);
  });

  it('validates a payload once, with a ValidationPipe on the method and a global one', async () => {
    const { bus, probe } = await pipelineApp({}, (app) => {
      app.useGlobalPipes(new ValidationPipe());
    });
    CountedSku.calls = 0;
    await bus.publish(PIPELINE_TOPICS.counted, CountedOrder.of('A-1'));
    await waitFor(() => probe.handled.length === 1, 'the valid order');
    expect(probe.handled).toEqual([['counted', 'A-1']]);
    expect(CountedSku.calls).toBe(1);

    const invalid = await bus.publish(PIPELINE_TOPICS.counted, CountedOrder.of(''));
    await waitFor(() => reported.length === 1, 'the invalid order');
    expect(CountedSku.calls).toBe(2);
    expect(reported[0].error).toBeInstanceOf(MessageValidationError);
    expect((reported[0].error as MessageValidationError).violations).toEqual([
      'sku: sku must not be empty',
    ]);
    expect(reported[0].context).toMatchObject({ attempts: 0 });
    expect(reported[0].context.event?.identifier).toBe(invalid.identifier);
    // An invalid message never enters the pipeline: the interceptor saw the valid one only.
    expect(probe.of('counted')).toHaveLength(1);
    expect(probe.handled).toHaveLength(1);
  });

  it("resolves a handler's call with its result as the interceptors mapped it", async () => {
    const handlers = new Map<string, BuslineEventHandler>();
    const original = Subscriber.prototype.subscribe;
    const spy = jest.spyOn(Subscriber.prototype, 'subscribe').mockImplementation(function (
      this: Subscriber,
      filter,
      handler,
      options,
    ) {
      handlers.set(filter, handler as BuslineEventHandler);
      return original.call(this, filter, handler, options);
    });
    try {
      await pipelineApp({}, (app) => {
        app.useGlobalInterceptors(new WrappingInterceptor());
      });
    } finally {
      spy.mockRestore();
    }
    const call = (filter: string, payload: Parcel | null) =>
      handlers.get(filter)!.handle(filter, new Event({ publisherIdentifier: 'test', payload }));

    expect(await call(PIPELINE_TOPICS.backordered, Parcel.of('ok-2'))).toEqual({
      wrapped: 'shipped ok-2',
    });
    // A filter's result is the call's result (the interceptors had seen an error).
    expect(await call(PIPELINE_TOPICS.backordered, Parcel.of('none-2'))).toBe('backordered');
    // A failure is reported, and the call resolves nonetheless, with the failure (a request's
    // error reply).
    const failed = await call(PIPELINE_TOPICS.backordered, Parcel.of('bad-3'));
    expect(failed).toBeInstanceOf(HandlerFailure);
    expect((failed as HandlerFailure).error).toEqual(new TypeError('cannot ship bad-3'));
    expect(reported).toHaveLength(1);
  });
});

describe('BuslineContext.transport with a local and an MQTT transport', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterAll(() => broker.close());
  afterEach(() => closeApps());

  const TRANSPORT_TOPIC = `${NS}/pipeline/transport`;

  @Injectable()
  class TransportConsumer {
    readonly seen: [handler: string, transport: string][] = [];

    @Subscribe(TRANSPORT_TOPIC)
    fromAny(@Ctx() context: BuslineContext): void {
      this.seen.push(['any', context.transport]);
    }

    @Subscribe(TRANSPORT_TOPIC, { transport: 'mqtt' })
    fromMqtt(@Ctx() context: BuslineContext): void {
      this.seen.push(['mqtt', context.transport]);
    }

    @Subscribe(TRANSPORT_TOPIC, { transport: ['local', 'mqtt'] })
    fromEach(@Ctx() context: BuslineContext): void {
      this.seen.push(['each', context.transport]);
    }
  }

  it('names the transport that delivered the event, behind deduplication too', async () => {
    const { app } = await startApp({
      imports: [BuslineModule.forRoot({ local: true, mqtt: { url: broker.url, qos: 1 } })],
      providers: [TransportConsumer],
    });
    const consumer = app.get(TransportConsumer);
    // Published through both transports.
    await app.get(PubSubClient).publish(TRANSPORT_TOPIC);

    await waitFor(() => consumer.seen.length === 4, 'four calls');
    const seen = consumer.seen.sort();
    expect(seen.slice(1)).toEqual([
      ['each', 'local'],
      ['each', 'mqtt'],
      ['mqtt', 'mqtt'],
    ]);
    // Behind the deduplicating handler: whichever copy came first (the local one, normally).
    expect(seen[0]).toEqual(['any', expect.stringMatching(/^(local|mqtt)$/)]);
  });
});
