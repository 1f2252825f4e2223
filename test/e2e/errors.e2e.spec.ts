import { HandlerError } from '../../lib/core/errors/handler.error';
import type { Event } from '../../lib/core/event';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { DeadLetterMessage } from '../../lib/nest/messages/dead-letter.message';
import { FailingConsumer, FailingConsumerModule } from './apps/failing.consumer';
import { OrderShipped } from './apps/orders.messages';
import { TOPICS } from './apps/topics';
import { closeApps } from './support/harness';
import { reportingApp } from './support/reporting-app';
import { PROFILES } from './support/transports';
import { waitFor } from './support/wait';

jest.setTimeout(30_000);

describe.each(PROFILES)('handler errors on $name', (profile) => {
  beforeAll(() => profile.setup());
  afterAll(() => profile.teardown());
  afterEach(() => closeApps());

  const { reported, start: failingApp } = reportingApp(profile, FailingConsumerModule);

  it('catches a rejecting async handler and a throwing sync one, and goes on with the next event', async () => {
    const { app, logger } = await failingApp();
    const consumer = app.get(FailingConsumer);
    const bus = app.get(PubSubClient);

    // The publishes resolve: a failing handler never rejects a publish.
    const bad = await bus.publish(TOPICS.fail, OrderShipped.of('bad-1'));
    const thrown = await bus.publish(TOPICS.fail, OrderShipped.of('throw-2'));
    await bus.publish(TOPICS.fail, OrderShipped.of('good-3'));

    await waitFor(
      () => consumer.handled.includes('async:good-3') && consumer.handled.includes('sync:good-3'),
      'the event after the failures',
    );
    // Each handler failed once and handled the other events.
    expect(consumer.handled).toEqual(
      expect.arrayContaining(['sync:bad-1', 'async:throw-2', 'async:good-3', 'sync:good-3']),
    );
    await waitFor(() => reported.length === 2, 'both reports');
    const byHandler = new Map(reported.map((r) => [(r.error as HandlerError).handler, r]));

    const rejected = byHandler.get('FailingConsumer.onAsync')!;
    expect(rejected.error).toBeInstanceOf(HandlerError);
    expect(rejected.error.cause).toEqual(new Error('cannot ship bad-1'));
    expect(rejected.error).toMatchObject({ topic: TOPICS.fail, eventId: bad.identifier });
    expect(rejected.context).toMatchObject({
      binding: 'FailingConsumer.onAsync',
      filter: TOPICS.fail,
      topic: TOPICS.fail,
      attempts: 1,
    });

    const threw = byHandler.get('FailingConsumer.onSync')!;
    expect(threw.error.cause).toBeInstanceOf(TypeError);
    expect((threw.error as HandlerError).eventId).toBe(thrown.identifier);

    const errors = logger.busline('error');
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^FailingConsumer\\.onAsync -> ${TOPICS.fail}: .*cannot ship bad-1$`),
        ),
        expect.stringMatching(
          new RegExp(`^FailingConsumer\\.onSync -> ${TOPICS.fail}: .*sync failure on throw-2$`),
        ),
      ]),
    );
  });

  it('republishes what failed to the dead-letter topic, with the reason and the payload', async () => {
    const { app } = await failingApp({ deadLetter: TOPICS.dead });
    const bus = app.get(PubSubClient);
    const letters: Event<DeadLetterMessage>[] = [];
    await bus.subscribe<DeadLetterMessage>(TOPICS.dead, (_topic, event) => {
      letters.push(event);
    });

    const bad = await bus.publish(TOPICS.fail, OrderShipped.of('bad-dl', 'ups'));

    await waitFor(() => letters.length === 1, 'the dead letter');
    const letter = letters[0].payload!;
    expect(letter).toBeInstanceOf(DeadLetterMessage);
    expect(letter).toMatchObject({
      topic: TOPICS.fail,
      eventIdentifier: bad.identifier,
      publisherIdentifier: bad.publisherIdentifier,
      handler: 'FailingConsumer.onAsync',
      error: 'HandlerError',
      attempts: 1,
      messageType: 'e2e.OrderShipped',
      formatType: 'json',
    });
    expect(letter.reason).toBe('cannot ship bad-dl');
    expect(letter.originalPayload()).toEqual(OrderShipped.of('bad-dl', 'ups'));
  });

  it('retries with backoff: a handler that fails twice then succeeds is not reported', async () => {
    const { app, logger } = await failingApp();
    const consumer = app.get(FailingConsumer);
    // The carrier is how many attempts fail.
    await app.get(PubSubClient).publish(TOPICS.flaky, OrderShipped.of('twice', '2'));

    await waitFor(() => consumer.handled.includes('flaky:twice'), 'the third attempt');
    expect(consumer.attempts.get('twice')).toBe(3);
    expect(reported).toEqual([]);
    const retries = logger.busline('warn').filter((w) => w.startsWith('FailingConsumer.onFlaky'));
    expect(retries).toEqual([
      expect.stringContaining('attempt 1 of 4 failed'),
      expect.stringContaining('attempt 2 of 4 failed'),
    ]);
    expect(retries[0]).toContain('retrying in 5 ms');
    expect(retries[1]).toContain('retrying in 10 ms');
  });

  it('reports a handler that fails every retry, with the number of attempts', async () => {
    const { app } = await failingApp({ deadLetter: { topic: (topic) => `${topic}/dead` } });
    const consumer = app.get(FailingConsumer);
    const bus = app.get(PubSubClient);
    const letters: DeadLetterMessage[] = [];
    await bus.subscribe<DeadLetterMessage>(`${TOPICS.flaky}/dead`, (_topic, event) => {
      letters.push(event.payload!);
    });

    await bus.publish(TOPICS.flaky, OrderShipped.of('never', '99'));
    await bus.publish(TOPICS.flaky, OrderShipped.of('after', '0'));

    await waitFor(() => consumer.handled.includes('flaky:after'), 'the next event');
    expect(consumer.attempts.get('never')).toBe(4);
    await waitFor(() => reported.length === 1 && letters.length === 1, 'the report and the letter');
    expect(reported[0].error).toBeInstanceOf(HandlerError);
    expect(reported[0].context.attempts).toBe(4);
    expect(letters[0]).toMatchObject({ attempts: 4, handler: 'FailingConsumer.onFlaky' });
  });

  it('applies the module retry policy to handlers without their own', async () => {
    const { app, logger } = await failingApp({ retry: { retries: 1, delay: 1 } });
    const consumer = app.get(FailingConsumer);
    await app.get(PubSubClient).publish(TOPICS.fail, OrderShipped.of('bad-retried'));
    await app.get(PubSubClient).publish(TOPICS.fail, OrderShipped.of('good-retried'));

    await waitFor(() => consumer.handled.includes('async:good-retried'), 'the next event');
    await waitFor(() => reported.length === 1, 'the report');
    expect(reported[0].context).toMatchObject({ binding: 'FailingConsumer.onAsync', attempts: 2 });
    expect(logger.busline('warn')).toEqual([
      expect.stringMatching(
        /^FailingConsumer\.onAsync -> .*: attempt 1 of 2 failed .*retrying in 1 ms: cannot ship bad-retried$/,
      ),
    ]);
  });

  it('logs an error hook that throws, and goes on', async () => {
    const { app, logger } = await failingApp({
      onError: () => {
        throw new Error('the hook is broken');
      },
    });
    const consumer = app.get(FailingConsumer);
    const bus = app.get(PubSubClient);
    await bus.publish(TOPICS.fail, OrderShipped.of('bad-hook'));
    await bus.publish(TOPICS.fail, OrderShipped.of('good-hook'));

    await waitFor(() => consumer.handled.includes('async:good-hook'), 'the next event');
    await waitFor(
      () => logger.busline('error').some((e) => e.includes('The onError hook failed')),
      'the hook failure log',
    );
    expect(logger.busline('error').find((e) => e.includes('The onError hook failed'))).toContain(
      'the hook is broken',
    );
  });
});
