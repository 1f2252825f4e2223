import type { BuslineError } from '../../../lib/core/errors/busline.error';
import { HandlerRequiredError } from '../../../lib/core/errors/handler.error';
import { InvalidArgumentError } from '../../../lib/core/errors/invalid-argument.error';
import { InvalidTopicError } from '../../../lib/core/errors/invalid-topic.error';
import { Event } from '../../../lib/core/event';
import { CallbackEventHandler } from '../../../lib/core/handlers/callback-event-handler';
import type { BuslineEventHandler } from '../../../lib/core/handlers/event-handler';
import type { BuslineLogger } from '../../../lib/core/logger';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import { MemorySubscriber, type MemorySubscriberOptions } from '../../support/memory-transport';
import { settle, waitFor } from '../../support/wait-for';

const event = (id = 'e'): Event => new Event({ publisherIdentifier: 'pub', identifier: id });

function recordingLogger(): BuslineLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: (m) => lines.push(`log:${m}`),
    warn: (m) => lines.push(`warn:${m}`),
    error: (m) => lines.push(`error:${m}`),
  };
}

async function memory(options: MemorySubscriberOptions = {}): Promise<MemorySubscriber> {
  const subscriber = new MemorySubscriber({ logger: recordingLogger(), ...options });
  await subscriber.connect();
  return subscriber;
}

/** A handler that records `topic:eventId` and is named, for readable assertions. */
function recorder(name: string, into: string[]): BuslineEventHandler {
  return new CallbackEventHandler((topic, e) => {
    into.push(`${name}:${topic}:${e.identifier}`);
  }, name);
}

describe('Subscriber: subscribe and unsubscribe', () => {
  it('hands events of a subscribed topic to its handler with the topic and the very event', async () => {
    const subscriber = await memory();
    const got: [string, Event][] = [];
    await subscriber.subscribe('orders', (topic, e) => {
      got.push([topic, e]);
    });
    const e = event('1');
    subscriber.emit('orders', e);
    subscriber.emit('other', event('2'));
    expect(got).toHaveLength(1);
    expect(got[0][0]).toBe('orders');
    expect(got[0][1]).toBe(e);
    expect(subscriber.topics).toEqual(['orders']);
    expect(subscriber.transportTopics).toEqual(new Set(['orders']));
  });

  it('unsubscribe(topic) stops that topic only', async () => {
    const subscriber = await memory();
    const got: string[] = [];
    await subscriber.subscribe('a', recorder('h', got));
    await subscriber.subscribe('b', recorder('h', got));
    await subscriber.unsubscribe('a');
    subscriber.emit('a', event('1'));
    subscriber.emit('b', event('2'));
    expect(got).toEqual(['h:b:2']);
    expect(subscriber.topics).toEqual(['b']);
    expect(subscriber.transportTopics).toEqual(new Set(['b']));
  });

  it('unsubscribe() with no topic stops every topic', async () => {
    const subscriber = await memory();
    const got: string[] = [];
    await subscriber.subscribe('a', recorder('h', got));
    await subscriber.subscribe('b/+', recorder('h', got));
    await subscriber.unsubscribe();
    subscriber.emit('a', event());
    subscriber.emit('b/c', event());
    expect(got).toEqual([]);
    expect(subscriber.topics).toEqual([]);
    expect(subscriber.transportTopics.size).toBe(0);
  });

  it('subscribe() resolves with a function that undoes it', async () => {
    const subscriber = await memory();
    const got: string[] = [];
    const undo = await subscriber.subscribe('a', recorder('h', got));
    subscriber.emit('a', event('1'));
    await undo();
    subscriber.emit('a', event('2'));
    expect(got).toEqual(['h:a:1']);
    expect(subscriber.topics).toEqual([]);
  });

  it('unsubscribing from a topic it does not have only warns', async () => {
    const logger = recordingLogger();
    const subscriber = await memory({ logger });
    await expect(subscriber.unsubscribe('never')).resolves.toBeUndefined();
    expect(logger.lines).toEqual([
      expect.stringMatching(/^warn:.*unsubscribe from 'never', which it is not subscribed to/),
    ]);
    expect(subscriber.calls).not.toContain('internalUnsubscribe:never');
  });

  it('subscribing to a topic again replaces its handler (one delivery, the new handler)', async () => {
    const subscriber = await memory();
    const got: string[] = [];
    await subscriber.subscribe('a', recorder('old', got));
    await subscriber.subscribe('a', recorder('new', got));
    subscriber.emit('a', event('1'));
    expect(got).toEqual(['new:a:1']);
    expect(subscriber.topics).toEqual(['a']);
  });

  it('multiSubscribe subscribes every topic with one handler; multiUnsubscribe undoes it', async () => {
    const subscriber = await memory();
    const got: string[] = [];
    await subscriber.multiSubscribe(['a', 'b', 'c/+'], recorder('h', got));
    expect(subscriber.topics.sort()).toEqual(['a', 'b', 'c/+']);
    subscriber.emit('a', event('1'));
    subscriber.emit('c/x', event('2'));
    await subscriber.multiUnsubscribe(['a', 'c/+']);
    subscriber.emit('a', event('3'));
    subscriber.emit('b', event('4'));
    subscriber.emit('c/x', event('5'));
    expect(got).toEqual(['h:a:1', 'h:c/x:2', 'h:b:4']);
  });

  it('multiSubscribe runs the topics at once by default, one after the other with parallel: false', async () => {
    const parallel = await memory();
    await parallel.multiSubscribe(['a', 'b'], () => undefined);
    expect(parallel.calls.slice(1, 3)).toEqual([
      'onSubscribing:a:anonymous handler',
      'onSubscribing:b:anonymous handler',
    ]);

    const sequential = await memory();
    await sequential.multiSubscribe(['a', 'b'], () => undefined, { parallel: false });
    expect(sequential.calls.slice(1)).toEqual([
      'onSubscribing:a:anonymous handler',
      'internalSubscribe:a:{"parallel":false}',
      'onSubscribed:a:anonymous handler',
      'onSubscribing:b:anonymous handler',
      'internalSubscribe:b:{"parallel":false}',
      'onSubscribed:b:anonymous handler',
    ]);

    sequential.calls.length = 0;
    await sequential.multiUnsubscribe(['a', 'b'], { parallel: false });
    expect(sequential.calls).toEqual([
      'onUnsubscribing:a',
      'internalUnsubscribe:a',
      'onUnsubscribed:a',
      'onUnsubscribing:b',
      'internalUnsubscribe:b',
      'onUnsubscribed:b',
    ]);
  });

  it('runs the hooks in order around the transport work', async () => {
    const subscriber = await memory();
    await subscriber.subscribe('a', recorder('h', []), { concurrency: 2 });
    await subscriber.unsubscribe('a');
    await subscriber.subscribe('b');
    await subscriber.subscribe('c');
    await subscriber.unsubscribe();
    expect(subscriber.calls).toEqual([
      'connect',
      'onSubscribing:a:h',
      'internalSubscribe:a:{"concurrency":2}',
      'onSubscribed:a:h',
      'onUnsubscribing:a',
      'internalUnsubscribe:a',
      'onUnsubscribed:a',
      'onSubscribing:b:none',
      'internalSubscribe:b',
      'onSubscribed:b:none',
      'onSubscribing:c:none',
      'internalSubscribe:c',
      'onSubscribed:c:none',
      'onUnsubscribing:*',
      'internalUnsubscribe:b',
      'internalUnsubscribe:c',
      'onUnsubscribed:*',
    ]);
  });

  it('refuses invalid topic filters, handlers and options', async () => {
    const subscriber = await memory();
    await expect(subscriber.subscribe('a/#/b')).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(subscriber.subscribe('')).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(subscriber.subscribe('a', 42 as never)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(subscriber.subscribe('a', undefined, { concurrency: 0 })).rejects.toThrow(
      /options.concurrency/,
    );
    await expect(subscriber.subscribe('a', undefined, { concurrency: 1.5 })).rejects.toThrow(
      InvalidArgumentError,
    );
    expect(() => new MemorySubscriber({ maxPendingEvents: 0 })).toThrow(/maxPendingEvents/);
    expect(() => new MemorySubscriber({ inboundBufferSize: -1 })).toThrow(/inboundBufferSize/);
    expect(() => new MemorySubscriber({ defaultHandler: 'x' as never })).toThrow(/defaultHandler/);
    expect(subscriber.topics).toEqual([]);
    expect(subscriber.calls).toEqual(['connect']);
  });

  it('forgets a new subscription whose transport subscription failed', async () => {
    class Failing extends MemorySubscriber {
      protected override internalSubscribe(topic: string): void {
        throw new Error(`broker refused ${topic}`);
      }
    }
    const subscriber = new Failing({ logger: recordingLogger() });
    await subscriber.connect();
    const got: string[] = [];
    await expect(subscriber.subscribe('a', recorder('h', got))).rejects.toThrow('broker refused a');
    expect(subscriber.topics).toEqual([]);
    subscriber.emit('a', event());
    expect(got).toEqual([]);
  });
});

describe('Subscriber: before connect', () => {
  it('subscribing before connect() works: connect() makes the transport subscriptions', async () => {
    const subscriber = new MemorySubscriber({ logger: recordingLogger() });
    await subscriber.subscribe('a', () => undefined);
    await subscriber.subscribe('b/#');
    expect(subscriber.calls.filter((c) => c.startsWith('internal'))).toEqual([]);
    await subscriber.connect();
    expect(subscriber.transportTopics).toEqual(new Set(['a', 'b/#']));
  });

  it('a local subscriber subscribed before connect() receives once connected', async () => {
    const eventbus = new AsyncLocalEventBus();
    const subscriber = new LocalSubscriber({ eventbus });
    const publisher = new LocalPublisher({ eventbus });
    await publisher.connect();
    const got: string[] = [];
    await subscriber.subscribe('t', (_topic, e) => {
      got.push(e.identifier);
    });
    await publisher.publish('t', undefined, { identifier: 'before' });
    expect(eventbus.topics).toEqual([]);
    await subscriber.connect();
    await publisher.publish('t', undefined, { identifier: 'after' });
    expect(got).toEqual(['after']);
  });

  it('disconnect() keeps the subscriptions and a later connect() restores them', async () => {
    const eventbus = new AsyncLocalEventBus();
    const subscriber = new LocalSubscriber({ eventbus });
    const publisher = new LocalPublisher({ eventbus });
    await Promise.all([subscriber.connect(), publisher.connect()]);
    const got: string[] = [];
    await subscriber.subscribe('t/+', (topic) => {
      got.push(topic);
    });
    await subscriber.disconnect();
    expect(eventbus.topics).toEqual([]);
    await publisher.publish('t/while-away');
    expect(subscriber.topics).toEqual(['t/+']);
    await subscriber.connect();
    await publisher.publish('t/back');
    expect(got).toEqual(['t/back']);
  });
});

describe('Subscriber: handler registered before the transport subscription', () => {
  it('handles an event the transport delivers from inside internalSubscribe (retained)', async () => {
    const retainedEvent = event('retained');
    const errors: BuslineError[] = [];
    const subscriber = await memory({
      retained: new Map([['status', retainedEvent]]),
      onError: (e) => errors.push(e),
    });
    const handled: Event[] = [];
    const unhandled: string[] = [];
    (async () => {
      for await (const [topic] of subscriber.inboundUnhandledEvents) unhandled.push(topic);
    })();
    await subscriber.subscribe('status', (_topic, e) => {
      handled.push(e);
    });
    expect(handled).toEqual([retainedEvent]);
    expect(unhandled).toEqual([]);
    expect(errors).toEqual([]);
    await subscriber.disconnect();
  });

  it('the same when the subscription is made by connect()', async () => {
    const retainedEvent = event('retained');
    const subscriber = new MemorySubscriber({ retained: new Map([['s', retainedEvent]]) });
    const handled: Event[] = [];
    await subscriber.subscribe('s', (_topic, e) => {
      handled.push(e);
    });
    await subscriber.connect();
    expect(handled).toEqual([retainedEvent]);
  });
});

describe('Subscriber: defaultHandler', () => {
  it('handles topics subscribed without a handler (option, function wrapped)', async () => {
    const got: string[] = [];
    const subscriber = await memory({
      defaultHandler: function fallback(topic, e) {
        got.push(`default:${topic}:${e.identifier}`);
      },
    });
    expect(subscriber.defaultHandler).toBeInstanceOf(CallbackEventHandler);
    expect(subscriber.defaultHandler!.name).toBe('fallback');
    await subscriber.subscribe('a');
    await subscriber.subscribe('b', recorder('own', got));
    subscriber.emit('a', event('1'));
    subscriber.emit('b', event('2'));
    expect(got).toEqual(['default:a:1', 'own:b:2']);
  });

  it('is a writable property, read at delivery time', async () => {
    const got: string[] = [];
    const subscriber = await memory();
    const unhandled: string[] = [];
    (async () => {
      for await (const [, e] of subscriber.inboundUnhandledEvents) unhandled.push(e.identifier);
    })();
    await subscriber.subscribe('a');
    subscriber.emit('a', event('1'));

    const handler = recorder('first', got);
    subscriber.defaultHandler = handler;
    expect(subscriber.defaultHandler).toBe(handler);
    subscriber.emit('a', event('2'));

    subscriber.defaultHandler = (topic, e) => {
      got.push(`fn:${topic}:${e.identifier}`);
    };
    expect(subscriber.defaultHandler).toBeInstanceOf(CallbackEventHandler);
    subscriber.emit('a', event('3'));

    subscriber.defaultHandler = undefined;
    subscriber.emit('a', event('4'));

    await waitFor(() => unhandled.length === 2);
    expect(got).toEqual(['first:a:2', 'fn:a:3']);
    expect(unhandled).toEqual(['1', '4']);
    await subscriber.disconnect();
  });

  it('refuses a value that is not a handler', async () => {
    const subscriber = await memory();
    expect(() => {
      subscriber.defaultHandler = 42 as never;
    }).toThrow(InvalidArgumentError);
  });
});

describe('Subscriber: handlerAlwaysRequired', () => {
  it('subscribe() without handler and without default rejects with HandlerRequiredError', async () => {
    const subscriber = await memory({ handlerAlwaysRequired: true });
    expect(subscriber.handlerAlwaysRequired).toBe(true);
    const error = await subscriber.subscribe('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlerRequiredError);
    expect((error as HandlerRequiredError).topic).toBe('a');
    expect((error as Error).message).toMatch(
      /give subscribe\(\) a handler or set the subscriber's defaultHandler/,
    );
    expect(subscriber.topics).toEqual([]);
    expect(subscriber.transportTopics.size).toBe(0);
  });

  it('a handler or a default handler satisfies it', async () => {
    const subscriber = await memory({
      handlerAlwaysRequired: true,
      defaultHandler: () => undefined,
    });
    await expect(subscriber.subscribe('a')).resolves.toBeInstanceOf(Function);
    subscriber.defaultHandler = undefined;
    await expect(subscriber.subscribe('b', () => undefined)).resolves.toBeInstanceOf(Function);
    expect(subscriber.topics.sort()).toEqual(['a', 'b']);
  });

  it('reports events that arrive without a handler, and iterators still see them', async () => {
    const errors: BuslineError[] = [];
    const subscriber = await memory({
      handlerAlwaysRequired: true,
      defaultHandler: () => undefined,
      onError: (e) => errors.push(e),
    });
    await subscriber.subscribe('a');
    subscriber.defaultHandler = undefined;
    const unhandled: string[] = [];
    (async () => {
      for await (const [topic] of subscriber.inboundUnhandledEvents) unhandled.push(topic);
    })();
    subscriber.emit('a', event());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerRequiredError);
    expect((errors[0] as HandlerRequiredError).topic).toBe('a');
    await waitFor(() => unhandled.length === 1);
    expect(unhandled).toEqual(['a']);
    await subscriber.disconnect();
  });

  it('without it, a handler-less topic is no error', async () => {
    const errors: BuslineError[] = [];
    const subscriber = await memory({ onError: (e) => errors.push(e) });
    await subscriber.subscribe('a');
    subscriber.emit('a', event());
    expect(errors).toEqual([]);
  });
});

describe('Subscriber: topic matching', () => {
  it('dispatches with MQTT wildcards by default, once per matching subscription', async () => {
    const subscriber = await memory();
    const got: string[] = [];
    await subscriber.subscribe('sensors/+/temp', recorder('plus', got));
    await subscriber.subscribe('sensors/#', recorder('hash', got));
    await subscriber.subscribe('sensors/kitchen/temp', recorder('exact', got));
    await subscriber.subscribe('$share/g/sensors/kitchen/+', recorder('shared', got));
    subscriber.emit('sensors/kitchen/temp', event('1'));
    subscriber.emit('sensors/attic/humidity', event('2'));
    subscriber.emit('$SYS/sensors', event('3'));
    expect(got.sort()).toEqual(
      [
        'exact:sensors/kitchen/temp:1',
        'plus:sensors/kitchen/temp:1',
        'hash:sensors/kitchen/temp:1',
        'shared:sensors/kitchen/temp:1',
        'hash:sensors/attic/humidity:2',
      ].sort(),
    );
  });

  it('a custom topicNamesMatcher replaces wildcard matching (Python semantics)', async () => {
    const seen: [string, string][] = [];
    const subscriber = await memory({
      topicNamesMatcher: (topic, subscribed) => {
        seen.push([topic, subscribed]);
        return topic === subscribed;
      },
    });
    expect(subscriber.topicNamesMatcher).toBeDefined();
    const got: string[] = [];
    await subscriber.subscribe('a/+', recorder('plus', got));
    await subscriber.subscribe('a/b', recorder('exact', got));
    subscriber.emit('a/b', event('1'));
    subscriber.emit('a/+', event('2'));
    expect(got).toEqual(['exact:a/b:1', 'plus:a/+:2']);
    expect(seen).toContainEqual(['a/b', 'a/+']);
    expect(seen).toContainEqual(['a/b', 'a/b']);
  });

  it('a prefix matcher', async () => {
    const subscriber = await memory({
      topicNamesMatcher: (topic, subscribed) => topic.startsWith(subscribed),
    });
    const got: string[] = [];
    await subscriber.subscribe('logs', recorder('h', got));
    subscriber.emit('logs-app', event('1'));
    subscriber.emit('app-logs', event('2'));
    expect(got).toEqual(['h:logs-app:1']);
  });
});

describe('Subscriber: changing subscriptions from inside a handler', () => {
  it('an event being dispatched still reaches the subscriptions it matched', async () => {
    const subscriber = await memory();
    const got: string[] = [];
    await subscriber.subscribe('a/+', async (topic, e) => {
      got.push(`plus:${e.identifier}`);
      await subscriber.unsubscribe('a/#');
      await subscriber.subscribe('a/b', recorder('late', got));
    });
    await subscriber.subscribe('a/#', recorder('hash', got));
    subscriber.emit('a/b', event('1'));
    await waitFor(() => subscriber.topics.includes('a/b'));
    subscriber.emit('a/b', event('2'));
    expect(await subscriber.drain()).toBe(true);
    // Order across subscriptions is not a contract; which handlers saw which event is.
    expect(got.sort()).toEqual(['hash:a/b:1', 'late:a/b:2', 'plus:1', 'plus:2']);
    expect(subscriber.topics.sort()).toEqual(['a/+', 'a/b']);
  });
});

describe('Subscriber: notify', () => {
  it('hands an event to the matching handlers as if it had arrived (Python test_mhs)', async () => {
    // Python: busline/local/test.py test_mhs
    let received = 0;
    const callback = (): void => {
      received++;
    };
    const subscriber = new LocalSubscriber({
      defaultHandler: new CallbackEventHandler(callback),
      eventbus: new AsyncLocalEventBus(),
    });
    await subscriber.connect();
    await subscriber.subscribe('t1');
    await subscriber.subscribe('t1');
    await subscriber.subscribe('t2', new CallbackEventHandler(callback));
    await subscriber.subscribe('t2', new CallbackEventHandler(callback));

    await subscriber.notify('t1', event());
    expect(received).toBe(1);
    await subscriber.notify('t2', event());
    expect(received).toBe(2);

    await subscriber.unsubscribe();
    await subscriber.unsubscribe();
    await subscriber.notify('t1', event());
    await subscriber.notify('t2', event());
    expect(received).toBe(2);
  });

  it('resolves once handed over, even while an async handler still runs', async () => {
    const subscriber = await memory();
    let finished = false;
    let release!: () => void;
    await subscriber.subscribe('t', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    await subscriber.notify('t', event());
    expect(finished).toBe(false);
    release();
    expect(await subscriber.drain()).toBe(true);
    expect(finished).toBe(true);
  });

  it('works on a subscriber that is not connected', async () => {
    const subscriber = new MemorySubscriber();
    const got: string[] = [];
    await subscriber.subscribe('t', recorder('h', got));
    await subscriber.notify('t', event('1'));
    await settle(1);
    expect(got).toEqual(['h:t:1']);
  });
});

describe('Subscriber: restoring subscriptions after a reconnection', () => {
  /** A transport that refuses some topics and can be told its session was lost. */
  class RefusingSubscriber extends MemorySubscriber {
    readonly refused = new Set<string>();

    protected override internalSubscribe(topic: string): void {
      if (this.refused.has(topic)) throw new Error(`broker refused ${topic}`);
      super.internalSubscribe(topic);
    }

    /** What a transport does on reconnecting to a broker that kept no session. */
    async sessionLost(): Promise<void> {
      this.transportTopics.clear();
      this.markSubscriptionsInactive();
      await this.restoreSubscriptions(true);
    }
  }

  it('reports a refused topic and still restores the others', async () => {
    const errors: BuslineError[] = [];
    const subscriber = new RefusingSubscriber({ onError: (e) => errors.push(e) });
    await subscriber.connect();
    await subscriber.multiSubscribe(['a', 'b', 'c'], () => undefined, { parallel: false });
    subscriber.refused.add('b');
    await subscriber.sessionLost();
    expect([...subscriber.transportTopics].sort()).toEqual(['a', 'c']);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain("could not restore its subscription to 'b'");
    expect(errors[0].message).toContain('broker refused b');

    // Still inactive, so the next restore tries it again.
    subscriber.refused.clear();
    await subscriber.sessionLost();
    expect([...subscriber.transportTopics].sort()).toEqual(['a', 'b', 'c']);
    await subscriber.disconnect();
  });

  it('fails connect() on the first refused topic subscribed beforehand', async () => {
    const subscriber = new RefusingSubscriber();
    subscriber.refused.add('b');
    await subscriber.subscribe('b', () => undefined);
    await expect(subscriber.connect()).rejects.toThrow('broker refused b');
  });
});
