import type { BuslineError } from '../../../lib/core/errors/busline.error';
import { HandlerError } from '../../../lib/core/errors/handler.error';
import { Event } from '../../../lib/core/event';
import { CallbackEventHandler } from '../../../lib/core/handlers/callback-event-handler';
import type { BuslineLogger } from '../../../lib/core/logger';
import type { Int64Message } from '../../../lib/core/messages/int64.message';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber, type LocalSubscriberOptions } from '../../../lib/local/local.subscriber';
import { deferred, track, type Deferred } from '../../support/deferred';
import { MemorySubscriber } from '../../support/memory-transport';
import { settle, waitFor } from '../../support/wait-for';

const value = (e: Event): number => Number((e.payload as Int64Message).value);

/** A publisher and a subscriber on a bus of their own. */
async function pair(
  options: LocalSubscriberOptions = {},
): Promise<{ publisher: LocalPublisher; subscriber: LocalSubscriber }> {
  const eventbus = new AsyncLocalEventBus();
  const publisher = new LocalPublisher({ eventbus });
  const subscriber = new LocalSubscriber({ eventbus, ...options });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  return { publisher, subscriber };
}

/** Gates handed out in order: the handler for the n-th event waits for `gates[n]`. */
function gates(): { gates: Deferred[]; next: () => Promise<void> } {
  const all: Deferred[] = [];
  let i = 0;
  return {
    gates: all,
    next: () => {
      const gate = (all[i++] ??= deferred());
      return gate.promise;
    },
  };
}

describe('Subscriber dispatch: order and concurrency', () => {
  it('handles the events of one subscription in arrival order, whatever each handler takes', async () => {
    const { publisher, subscriber } = await pair();
    const handled: number[] = [];
    let running = 0;
    let maxRunning = 0;
    await subscriber.subscribe('t', async (_topic, e) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      const n = value(e);
      // Varying delays: some resolve at once, some after a macrotask or a timer.
      if (n % 3 === 1) await new Promise((resolve) => setTimeout(resolve, 3));
      else if (n % 3 === 2) await new Promise((resolve) => setImmediate(resolve));
      handled.push(n);
      running--;
    });
    for (let n = 0; n < 30; n++) await publisher.publish('t', n);
    await waitFor(() => handled.length === 30);
    expect(handled).toEqual([...Array(30).keys()]);
    expect(maxRunning).toBe(1);
  });

  it('keeps order when events are published without waiting', async () => {
    const { publisher, subscriber } = await pair();
    const handled: number[] = [];
    await subscriber.subscribe('t', async (_topic, e) => {
      await new Promise((resolve) => setTimeout(resolve, value(e) % 2 === 0 ? 2 : 0));
      handled.push(value(e));
    });
    await Promise.all([...Array(20).keys()].map((n) => publisher.publish('t', n)));
    await waitFor(() => handled.length === 20);
    expect(handled).toEqual([...Array(20).keys()]);
  });

  it('runs separate subscriptions independently: a slow one does not hold up another', async () => {
    const { publisher, subscriber } = await pair();
    const slow = deferred();
    const fast: number[] = [];
    await subscriber.subscribe('slow', () => slow.promise);
    await subscriber.subscribe('fast', (_topic, e) => {
      fast.push(value(e));
    });
    await publisher.publish('slow', 0);
    await publisher.publish('fast', 1);
    await publisher.publish('fast', 2);
    expect(fast).toEqual([1, 2]);
    slow.resolve();
    expect(await subscriber.drain()).toBe(true);
  });

  it('the concurrency option lets handlers of one subscription overlap', async () => {
    const { publisher, subscriber } = await pair();
    const { gates: g, next } = gates();
    const started: number[] = [];
    const finished: number[] = [];
    await subscriber.subscribe(
      't',
      async (_topic, e) => {
        started.push(value(e));
        await next();
        finished.push(value(e));
      },
      { concurrency: 3 },
    );
    for (let n = 0; n < 5; n++) await publisher.publish('t', n);
    await settle();
    expect(started).toEqual([0, 1, 2]);
    g[2].resolve();
    await waitFor(() => started.length === 4);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(finished).toEqual([2]);
    g[0].resolve();
    g[1].resolve();
    await waitFor(() => started.length === 5);
    g[3].resolve();
    (g[4] ??= deferred()).resolve();
    expect(await subscriber.drain()).toBe(true);
    expect(finished.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('concurrency Infinity hands every event over as it arrives', async () => {
    const { publisher, subscriber } = await pair();
    const release = deferred();
    let started = 0;
    await subscriber.subscribe(
      't',
      async () => {
        started++;
        await release.promise;
      },
      { concurrency: Infinity },
    );
    for (let n = 0; n < 50; n++) await publisher.publish('t', n);
    expect(started).toBe(50);
    release.resolve();
    expect(await subscriber.drain()).toBe(true);
  });

  it('by default a second event waits for the first handler', async () => {
    const { publisher, subscriber } = await pair();
    const { gates: g, next } = gates();
    const started: number[] = [];
    await subscriber.subscribe('t', async (_topic, e) => {
      started.push(value(e));
      await next();
    });
    await publisher.publish('t', 0);
    await publisher.publish('t', 1);
    await settle();
    expect(started).toEqual([0]);
    g[0].resolve();
    await waitFor(() => started.length === 2);
    (g[1] ??= deferred()).resolve();
    expect(await subscriber.drain()).toBe(true);
  });

  it('a sync handler that publishes on its own topic gets every event, in order', async () => {
    const { publisher, subscriber } = await pair();
    const handled: number[] = [];
    await subscriber.subscribe('loop', (_topic, e) => {
      const n = value(e);
      handled.push(n);
      if (n < 5) publisher.publish('loop', n + 1);
    });
    await publisher.publish('loop', 0);
    await waitFor(() => handled.length === 6, 2_000, `handled ${JSON.stringify(handled)}`);
    expect(handled).toEqual([0, 1, 2, 3, 4, 5]);
    // And the subscription keeps working afterwards.
    await publisher.publish('loop', 10);
    expect(handled).toEqual([0, 1, 2, 3, 4, 5, 10]);
  });
  it('a long backlog behind one slow handler call drains when the later calls are sync', async () => {
    const subscriber = new MemorySubscriber({ maxPendingEvents: 50_000 });
    await subscriber.connect();
    const first = deferred();
    let handled = 0;
    await subscriber.subscribe('t', (_topic, e) => {
      handled++;
      if (e.identifier === '0') return first.promise;
    });
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      subscriber.emit('t', new Event({ publisherIdentifier: 'p', identifier: String(i) }));
    }
    expect(handled).toBe(1);
    first.resolve();
    expect(await subscriber.drain()).toBe(true);
    expect(handled).toBe(N);
  });
});

describe('Subscriber dispatch: failing handlers', () => {
  it.each<[string, () => unknown]>([
    [
      'throws',
      () => {
        throw new Error('sync failure');
      },
    ],
    [
      'rejects',
      async () => {
        throw new Error('async failure');
      },
    ],
  ])('a handler that %s is reported with topic, event id and handler name', async (kind, fn) => {
    const errors: BuslineError[] = [];
    const { publisher, subscriber } = await pair({ onError: (e) => errors.push(e) });
    await subscriber.subscribe('orders/+', new CallbackEventHandler(fn, 'Orders.onCreated'));
    const event = await publisher.publish('orders/1', 'x');
    await waitFor(() => errors.length === 1);
    const error = errors[0] as HandlerError;
    expect(error).toBeInstanceOf(HandlerError);
    expect(error.name).toBe('HandlerError');
    expect(error.topic).toBe('orders/1');
    expect(error.eventId).toBe(event.identifier);
    expect(error.handler).toBe('Orders.onCreated');
    expect((error.cause as Error).message).toBe(
      kind === 'throws' ? 'sync failure' : 'async failure',
    );
    expect(error.message).toBe(
      `Handler Orders.onCreated failed on topic 'orders/1' for event ${event.identifier}: ${
        kind === 'throws' ? 'sync failure' : 'async failure'
      }`,
    );
  });

  it('never rejects publish, never stops later events nor other handlers', async () => {
    const errors: BuslineError[] = [];
    const eventbus = new AsyncLocalEventBus();
    const publisher = new LocalPublisher({ eventbus });
    const subscriber = new LocalSubscriber({ eventbus, onError: (e) => errors.push(e) });
    const other = new LocalSubscriber({ eventbus });
    await Promise.all([publisher.connect(), subscriber.connect(), other.connect()]);

    const handled: string[] = [];
    await subscriber.subscribe('t', async (_topic, e) => {
      if (value(e) % 2 === 0) throw new Error(`even ${value(e)}`);
      handled.push(`flaky:${value(e)}`);
    });
    await subscriber.subscribe('#', (_topic, e) => {
      if (value(e) === 0) throw new Error('sync zero');
      handled.push(`wildcard:${value(e)}`);
    });
    await other.subscribe('t', (_topic, e) => {
      handled.push(`other:${value(e)}`);
    });

    for (let n = 0; n < 4; n++) await expect(publisher.publish('t', n)).resolves.toBeDefined();
    await waitFor(() => errors.length === 3);
    expect(await subscriber.drain()).toBe(true);
    expect(handled.filter((h) => h.startsWith('flaky'))).toEqual(['flaky:1', 'flaky:3']);
    expect(handled.filter((h) => h.startsWith('wildcard'))).toEqual([
      'wildcard:1',
      'wildcard:2',
      'wildcard:3',
    ]);
    expect(handled.filter((h) => h.startsWith('other'))).toEqual([
      'other:0',
      'other:1',
      'other:2',
      'other:3',
    ]);
    expect(errors.map((e) => (e.cause as Error).message).sort()).toEqual([
      'even 0',
      'even 2',
      'sync zero',
    ]);
  });

  it('a handler failing with a non-Error is reported too', async () => {
    const errors: BuslineError[] = [];
    const { publisher, subscriber } = await pair({ onError: (e) => errors.push(e) });
    await subscriber.subscribe('t', () => Promise.reject('just a string'));
    await publisher.publish('t');
    await waitFor(() => errors.length === 1);
    expect(errors[0].message).toMatch(/: just a string$/);
    expect(errors[0].cause).toBe('just a string');
  });

  it('without onError the failure is logged as an error', async () => {
    const lines: string[] = [];
    const logger: BuslineLogger = {
      log: () => undefined,
      warn: (m) => lines.push(`warn:${m}`),
      error: (m) => lines.push(`error:${m}`),
    };
    const { publisher, subscriber } = await pair({ logger });
    await subscriber.subscribe('t', function broken() {
      throw new Error('oops');
    });
    const event = await publisher.publish('t');
    expect(lines).toEqual([
      `error:Handler broken failed on topic 't' for event ${event.identifier}: oops`,
    ]);
  });

  it('an onError hook that throws is logged and does not stop delivery', async () => {
    const lines: string[] = [];
    const logger: BuslineLogger = {
      log: () => undefined,
      warn: (m) => lines.push(m),
      error: (m) => lines.push(m),
    };
    const { publisher, subscriber } = await pair({
      logger,
      onError: () => {
        throw new Error('hook broke');
      },
    });
    const handled: number[] = [];
    await subscriber.subscribe('t', (_topic, e) => {
      handled.push(value(e));
      if (value(e) === 0) throw new Error('first fails');
    });
    await publisher.publish('t', 0);
    await publisher.publish('t', 1);
    expect(handled).toEqual([0, 1]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /onError threw while reporting "Handler .* first fails": Error: hook broke/,
    );
  });

  it('onError is a writable property', async () => {
    const { publisher, subscriber } = await pair({ logger: { log() {}, warn() {}, error() {} } });
    const errors: BuslineError[] = [];
    subscriber.onError = (e) => errors.push(e);
    await subscriber.subscribe('t', () => {
      throw new Error('x');
    });
    await publisher.publish('t');
    expect(errors).toHaveLength(1);
  });
});

describe('Subscriber dispatch: backpressure', () => {
  it('with a small maxPendingEvents and a slow handler, publish waits and nothing is lost', async () => {
    const { publisher, subscriber } = await pair({ maxPendingEvents: 2 });
    expect(subscriber.maxPendingEvents).toBe(2);
    const { gates: g, next } = gates();
    const handled: number[] = [];
    await subscriber.subscribe('t', async (_topic, e) => {
      await next();
      handled.push(value(e));
    });

    // 0 runs, 1 and 2 wait: the backlog is full at 2 waiting.
    await publisher.publish('t', 0);
    await publisher.publish('t', 1);
    const third = track(publisher.publish('t', 2));
    await settle();
    expect(third.done).toBe(false);

    // Once the backlog is down to half (1), the publish goes through.
    g[0].resolve();
    await third.promise;
    expect(handled).toEqual([0]);

    // Keep publishing while releasing handlers one by one: every event arrives, in order.
    const rest = (async () => {
      for (let n = 3; n < 20; n++) await publisher.publish('t', n);
    })();
    for (let i = 1; i < 20; i++) {
      await waitFor(() => g[i] !== undefined, 2_000, `handler ${i} started`);
      g[i].resolve();
    }
    await rest;
    expect(await subscriber.drain()).toBe(true);
    expect(handled).toEqual([...Array(20).keys()]);
  });

  it('a subscriber that is not slowed does not make publish wait', async () => {
    const eventbus = new AsyncLocalEventBus();
    const publisher = new LocalPublisher({ eventbus });
    const slowSub = new LocalSubscriber({ eventbus, maxPendingEvents: 1 });
    await Promise.all([publisher.connect(), slowSub.connect()]);
    const gate = deferred();
    await slowSub.subscribe('slow', () => gate.promise);
    await publisher.publish('slow'); // handled at once, stuck on the gate
    // The publish that brings the backlog to maxPendingEvents waits until it is down to half.
    const blocked = track(publisher.publish('slow'));
    await settle();
    expect(blocked.done).toBe(false);
    // A topic nobody is behind on still publishes at once.
    await expect(publisher.publish('other')).resolves.toBeDefined();
    expect(blocked.done).toBe(false);
    gate.resolve();
    await blocked.promise;
    expect(await slowSub.drain()).toBe(true);
  });
});

describe('Subscriber dispatch: drain and disconnect', () => {
  it('drain() resolves true once every queued event has been handled', async () => {
    const { publisher, subscriber } = await pair();
    const handled: number[] = [];
    await subscriber.subscribe('t', async (_topic, e) => {
      await new Promise((resolve) => setImmediate(resolve));
      handled.push(value(e));
    });
    for (let n = 0; n < 5; n++) await publisher.publish('t', n);
    expect(handled).toEqual([]);
    expect(await subscriber.drain()).toBe(true);
    expect(handled).toEqual([0, 1, 2, 3, 4]);
  });

  it('drain() resolves at once when idle, and false on time-out', async () => {
    const { publisher, subscriber } = await pair();
    expect(await subscriber.drain()).toBe(true);
    const stuck = deferred();
    await subscriber.subscribe('t', () => stuck.promise);
    await publisher.publish('t');
    expect(await subscriber.drain(20)).toBe(false);
    stuck.resolve();
    expect(await subscriber.drain()).toBe(true);
  });

  it('disconnect() waits for handlers still running and queued, then resolves', async () => {
    const { publisher, subscriber } = await pair();
    const { gates: g, next } = gates();
    const handled: number[] = [];
    await subscriber.subscribe('t', async (_topic, e) => {
      await next();
      handled.push(value(e));
    });
    await publisher.publish('t', 0);
    await publisher.publish('t', 1);
    const disconnected = track(subscriber.disconnect());
    await settle();
    expect(disconnected.done).toBe(false);
    // Nothing new gets in while it drains.
    await publisher.publish('t', 99);
    g[0].resolve();
    await waitFor(() => handled.length === 1);
    await settle();
    expect(disconnected.done).toBe(false);
    (g[1] ??= deferred()).resolve();
    await disconnected.promise;
    expect(handled).toEqual([0, 1]);
    expect(subscriber.connected).toBe(false);
  });

  it('disconnect() gives up waiting after drainTimeout and warns', async () => {
    const lines: string[] = [];
    const { publisher, subscriber } = await pair({
      drainTimeout: 20,
      logger: { log() {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) },
    });
    const stuck = deferred();
    await subscriber.subscribe('t', () => stuck.promise);
    await publisher.publish('t');
    await subscriber.disconnect();
    expect(lines).toEqual([expect.stringMatching(/handlers still running 20 ms after disconnect/)]);
    stuck.resolve();
  });

  it('drain() on a custom subscriber counts sync handlers as done at once', async () => {
    const subscriber = new MemorySubscriber();
    await subscriber.connect();
    let n = 0;
    await subscriber.subscribe('t', () => {
      n++;
    });
    for (let i = 0; i < 3; i++) subscriber.emit('t', new Event({ publisherIdentifier: 'p' }));
    expect(n).toBe(3);
    expect(await subscriber.drain()).toBe(true);
  });
});
