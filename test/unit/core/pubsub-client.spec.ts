import { InvalidTopicError } from '../../../lib/core/errors/invalid-topic.error';
import type { Event } from '../../../lib/core/event';
import type { Int64Message } from '../../../lib/core/messages/int64.message';
import type { StringMessage } from '../../../lib/core/messages/string.message';
import type { Publisher } from '../../../lib/core/publisher';
import { NoTransportError } from '../../../lib/core/errors/no-transport.error';
import { PubSubClient, PubSubClientBuilder } from '../../../lib/core/pubsub-client';
import type { Subscriber } from '../../../lib/core/subscriber';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalEventBus } from '../../../lib/local/local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import { MemoryPublisher, MemorySubscriber } from '../../support/memory-transport';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('PubSubClientBuilder', () => {
  it('builds a client with the publishers and subscribers added, in order', () => {
    const [p1, p2, p3] = [new MemoryPublisher(), new MemoryPublisher(), new MemoryPublisher()];
    const [s1, s2, s3] = [new MemorySubscriber(), new MemorySubscriber(), new MemorySubscriber()];
    const builder = new PubSubClientBuilder()
      .withPublisher(p1)
      .withPublishers([p2, p3])
      .withSubscriber(s1)
      .withSubscribers([s2, s3]);
    const client = builder.build();
    expect(client).toBeInstanceOf(PubSubClient);
    expect(client.publishers).toEqual([p1, p2, p3]);
    expect(client.subscribers).toEqual([s1, s2, s3]);
    expect(client.identifier).toMatch(UUID_V4);
    // Building again does not share the lists with the first client.
    builder.withPublisher(new MemoryPublisher());
    expect(client.publishers).toHaveLength(3);
    expect(builder.build().publishers).toHaveLength(4);
  });

  it('withIdentifier sets the publisher identifier of the events the client builds', async () => {
    const publisher = new MemoryPublisher();
    const client = new PubSubClientBuilder()
      .withIdentifier('client-1')
      .withPublisher(publisher)
      .build();
    await client.connect();
    const event = await client.publish('t');
    expect(client.identifier).toBe('client-1');
    expect(event.publisherIdentifier).toBe('client-1');
  });
});

describe('PubSubClient', () => {
  async function twoOfEach(): Promise<{
    client: PubSubClient;
    publishers: MemoryPublisher[];
    subscribers: MemorySubscriber[];
  }> {
    const publishers = [
      new MemoryPublisher({ identifier: 'p0' }),
      new MemoryPublisher({ identifier: 'p1' }),
    ];
    const subscribers = [
      new MemorySubscriber({ identifier: 's0' }),
      new MemorySubscriber({ identifier: 's1' }),
    ];
    const client = new PubSubClient(publishers, subscribers);
    await client.connect();
    return { client, publishers, subscribers };
  }

  it('connect() and disconnect() reach every publisher and subscriber', async () => {
    const { client, publishers, subscribers } = await twoOfEach();
    for (const c of [...publishers, ...subscribers]) expect(c.connected).toBe(true);
    await client.disconnect();
    for (const c of [...publishers, ...subscribers]) expect(c.connected).toBe(false);
  });

  it('publishes ONE event through every publisher: same identifier, timestamp and payload', async () => {
    const { client, publishers } = await twoOfEach();
    const event = await client.publish('orders', 'x');
    expect(publishers.map((p) => p.sent.length)).toEqual([1, 1]);
    expect(publishers[0].sent[0].event).toBe(event);
    expect(publishers[1].sent[0].event).toBe(event);
    expect(event.identifier).toMatch(UUID_V4);
    expect(event.publisherIdentifier).toBe(client.identifier);
    expect((event.payload as StringMessage).value).toBe('x');
  });

  it('honours identifier and timestamp options', async () => {
    const { client, publishers } = await twoOfEach();
    const timestamp = new Date('2024-01-02T03:04:05.006Z');
    const event = await client.publish('t', 1, { identifier: 'fixed', timestamp });
    expect(event.identifier).toBe('fixed');
    expect(event.timestamp).toBe(timestamp);
    expect(publishers[1].sent[0].event.identifier).toBe('fixed');
  });

  it('with one publisher resolves with the event that publisher sent', async () => {
    const publisher = new MemoryPublisher();
    const client = new PubSubClient([publisher], []);
    await client.connect();
    const event = await client.publish('t', 2);
    expect(publisher.sent[0].event).toBe(event);
  });

  it('`via` picks the publishers to use', async () => {
    const { client, publishers } = await twoOfEach();
    await client.publish('t', 'only p1', { via: (p: Publisher) => p.identifier === 'p1' });
    expect(publishers.map((p) => p.sent.length)).toEqual([0, 1]);
  });

  it('rejects with NoTransportError when there is no publisher to use', async () => {
    const empty = new PubSubClient();
    const error = await empty.publish('t').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoTransportError);
    expect((error as Error).message).toMatch(
      /no publisher; add one with PubSubClientBuilder.withPublisher\(\)/,
    );

    const { client, publishers } = await twoOfEach();
    await expect(client.publish('t', 'x', { via: () => false })).rejects.toThrow(
      /no publisher that `via` accepts/,
    );
    expect(publishers.map((p) => p.sent.length)).toEqual([0, 0]);
  });

  it('rejects an invalid topic or message before any publisher sends', async () => {
    const { client, publishers } = await twoOfEach();
    await expect(client.publish('a/+', 'x')).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(client.publish('a', {} as never)).rejects.toThrow(/Expected message/);
    expect(publishers.map((p) => p.sent.length)).toEqual([0, 0]);
  });

  it('multiPublish publishes on every topic through every publisher, one event per topic', async () => {
    const { client, publishers } = await twoOfEach();
    const events = await client.multiPublish(['a', 'b'], 7);
    expect(events).toHaveLength(2);
    expect(events[0].identifier).not.toBe(events[1].identifier);
    for (const p of publishers) {
      expect(p.sent.map((s) => s.topic).sort()).toEqual(['a', 'b']);
      expect(
        p.sent.map((s) => s.event).sort((x, y) => (x.identifier < y.identifier ? -1 : 1)),
      ).toEqual([...events].sort((x, y) => (x.identifier < y.identifier ? -1 : 1)));
    }
    const sequential = await client.multiPublish(['c', 'd'], 8, { parallel: false });
    expect(publishers[0].sent.slice(2).map((s) => s.topic)).toEqual(['c', 'd']);
    expect(sequential.map((e) => (e.payload as Int64Message).value)).toEqual([8, 8]);
  });

  it('subscribes every subscriber, and the returned function undoes it on all', async () => {
    const { client, subscribers } = await twoOfEach();
    const got: string[] = [];
    const undo = await client.subscribe('t/+', (topic) => {
      got.push(topic);
    });
    expect(subscribers.map((s) => s.topics)).toEqual([['t/+'], ['t/+']]);
    subscribers[0].emit('t/a', (await client.publish('x')) as Event);
    subscribers[1].emit('t/b', (await client.publish('x')) as Event);
    expect(got).toEqual(['t/a', 't/b']);
    await undo();
    expect(subscribers.map((s) => s.topics)).toEqual([[], []]);
  });

  it('`via` picks the subscribers to use', async () => {
    const { client, subscribers } = await twoOfEach();
    await client.subscribe('t', undefined, { via: (s: Subscriber) => s.identifier === 's0' });
    expect(subscribers.map((s) => s.topics)).toEqual([['t'], []]);
    await expect(client.subscribe('t', undefined, { via: () => false })).rejects.toBeInstanceOf(
      NoTransportError,
    );
    await expect(new PubSubClient().subscribe('t')).rejects.toThrow(
      /no subscriber; add one with PubSubClientBuilder.withSubscriber\(\)/,
    );
  });

  it('unsubscribe(topic) and unsubscribe() reach every subscriber', async () => {
    const { client, subscribers } = await twoOfEach();
    await client.subscribe('a');
    await client.subscribe('b');
    await client.unsubscribe('a');
    expect(subscribers.map((s) => s.topics)).toEqual([['b'], ['b']]);
    await client.unsubscribe();
    expect(subscribers.map((s) => s.topics)).toEqual([[], []]);
  });

  it('multiSubscribe and multiUnsubscribe reach every subscriber', async () => {
    const { client, subscribers } = await twoOfEach();
    await client.multiSubscribe(['a', 'b', 'c'], () => undefined);
    expect(subscribers.map((s) => s.topics.sort())).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ]);
    await client.multiUnsubscribe(['a', 'c'], { parallel: false });
    expect(subscribers.map((s) => s.topics)).toEqual([['b'], ['b']]);
  });

  it('multiSubscribe honours `via` as subscribe does', async () => {
    const { client, subscribers } = await twoOfEach();
    await client.multiSubscribe(['a', 'b'], undefined, {
      via: (s: Subscriber) => s.identifier === 's1',
    });
    expect(subscribers.map((s) => s.topics.sort())).toEqual([[], ['a', 'b']]);
    await expect(
      client.multiSubscribe(['a'], undefined, { via: () => false }),
    ).rejects.toBeInstanceOf(NoTransportError);
  });

  it('mixes transports: two independent local buses get the same event object', async () => {
    const busA = new AsyncLocalEventBus();
    const busB = new AsyncLocalEventBus();
    const client = new PubSubClientBuilder()
      .withPublishers([
        new LocalPublisher({ eventbus: busA }),
        new LocalPublisher({ eventbus: busB }),
      ])
      .build();
    const subA = new LocalSubscriber({ eventbus: busA });
    const subB = new LocalSubscriber({ eventbus: busB });
    await Promise.all([client.connect(), subA.connect(), subB.connect()]);
    const received: Event[] = [];
    await subA.subscribe('t', (_topic, e) => void received.push(e));
    await subB.subscribe('t', (_topic, e) => void received.push(e));
    const event = await client.publish('t', 'both');
    expect(received).toHaveLength(2);
    expect(received[0]).toBe(event);
    expect(received[1]).toBe(event);
  });
});

describe('README quick start', () => {
  it('a client with a local publisher and subscriber; a standalone local subscriber gets 0..9', async () => {
    const client = new PubSubClientBuilder()
      .withPublisher(new LocalPublisher({ eventbus: new LocalEventBus() }))
      .withSubscriber(new LocalSubscriber({ eventbus: new LocalEventBus() }))
      .build();
    const standalone = new LocalSubscriber({ eventbus: new LocalEventBus() });
    await Promise.all([client.connect(), standalone.connect()]);

    const printed: string[] = [];
    await standalone.subscribe('quick-start/numbers', (topic, event: Event<Int64Message>) => {
      printed.push(`${topic} -> ${event.payload?.value}`);
    });
    const viaClient: number[] = [];
    await client.subscribe('quick-start/numbers', async (_topic, event: Event<Int64Message>) => {
      await new Promise((resolve) => setImmediate(resolve));
      viaClient.push(Number(event.payload!.value));
    });

    for (let n = 0; n < 10; n++) await client.publish('quick-start/numbers', n);
    await Promise.all([client.disconnect(), standalone.disconnect()]);

    // disconnect() let the client's async handler finish every event.
    expect(viaClient).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(printed).toEqual([...Array(10).keys()].map((n) => `quick-start/numbers -> ${n}`));
    expect(new LocalEventBus().topics).not.toContain('quick-start/numbers');
  });
});

describe('PubSubClient.subscribe, all or nothing', () => {
  class RefusingSubscriber extends LocalSubscriber {
    protected override internalSubscribe(): void {
      throw new Error('broker said no');
    }
  }

  it('undoes the subscriptions made when one subscriber fails, and rejects', async () => {
    const eventbus = new AsyncLocalEventBus();
    const good = new LocalSubscriber({ eventbus });
    const bad = new RefusingSubscriber({ eventbus });
    const client = new PubSubClient([], [good, bad]);
    await client.connect();
    await expect(client.subscribe('orders', () => undefined)).rejects.toThrow('broker said no');
    expect(good.topics).toEqual([]);
    expect(bad.topics).toEqual([]);
    expect(eventbus.topics).toEqual([]);
    await client.disconnect();
  });
});

describe('PubSubClient.drain', () => {
  it('resolves true once every subscriber has finished its handlers', async () => {
    const eventbus = new AsyncLocalEventBus();
    const slow = new LocalSubscriber({ eventbus });
    const fast = new LocalSubscriber({ eventbus });
    const client = new PubSubClient([new LocalPublisher({ eventbus })], [slow, fast]);
    await client.connect();
    const done: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await slow.subscribe('t', async () => {
      await gate;
      done.push('slow');
    });
    await fast.subscribe('t', () => void done.push('fast'));
    await client.publish('t');
    const drained = client.drain(5_000);
    expect(done).toEqual(['fast']);
    release();
    await expect(drained).resolves.toBe(true);
    expect(done).toEqual(['fast', 'slow']);
    await client.disconnect();
  });

  it('resolves false when a handler outlasts the timeout', async () => {
    const eventbus = new AsyncLocalEventBus();
    const subscriber = new LocalSubscriber({ eventbus, drainTimeout: 50 });
    const client = new PubSubClient([new LocalPublisher({ eventbus })], [subscriber]);
    await client.connect();
    let release!: () => void;
    await subscriber.subscribe('t', () => new Promise<void>((resolve) => (release = resolve)));
    await client.publish('t');
    await expect(client.drain(20)).resolves.toBe(false);
    release();
    await client.disconnect();
  });
});
