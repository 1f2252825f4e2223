import { InvalidArgumentError } from '../../../lib/core/errors/invalid-argument.error';
import { InvalidTopicError } from '../../../lib/core/errors/invalid-topic.error';
import { NotConnectedError } from '../../../lib/core/errors/not-connected.error';
import { Event } from '../../../lib/core/event';
import type { BuslineMessage } from '../../../lib/core/message';
import { Float64Message } from '../../../lib/core/messages/float64.message';
import { Int64Message } from '../../../lib/core/messages/int64.message';
import { StringMessage } from '../../../lib/core/messages/string.message';
import { toMessage, type Publishable } from '../../../lib/core/publisher';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { deferred, type Deferred } from '../../support/deferred';
import { HookedMemoryPublisher, MemoryPublisher } from '../../support/memory-transport';
import { settle } from '../../support/wait-for';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

class Custom implements BuslineMessage {
  constructor(readonly text: string) {}
  serialize(): [string, Uint8Array] {
    return ['custom', Buffer.from(this.text)];
  }
}

async function connected<P extends MemoryPublisher>(publisher: P): Promise<P> {
  await publisher.connect();
  return publisher;
}

describe('Publisher.publish', () => {
  it('resolves with the event sent: UUID v4, publisher identifier, timestamp of now', async () => {
    const publisher = await connected(new MemoryPublisher({ identifier: 'pub-1' }));
    const before = Date.now();
    const event = await publisher.publish('orders/42', 'hello');
    const after = Date.now();

    expect(event).toBeInstanceOf(Event);
    expect(event.identifier).toMatch(UUID_V4);
    expect(event.publisherIdentifier).toBe('pub-1');
    expect(event.timestamp).toBeInstanceOf(Date);
    expect(event.timestamp.getTime()).toBeGreaterThanOrEqual(before);
    expect(event.timestamp.getTime()).toBeLessThanOrEqual(after);
    expect(publisher.sent).toHaveLength(1);
    expect(publisher.sent[0].topic).toBe('orders/42');
    expect(publisher.sent[0].event).toBe(event);
  });

  it('resolves with the event itself, which no loop over its keys sees a `then` in', async () => {
    const publisher = await connected(new MemoryPublisher());
    const event = await publisher.publish('t', 'x');
    expect(publisher.sent[0].event).toBe(event);
    expect(await Promise.resolve(event)).toBe(event);
    expect(typeof (event as unknown as { then?: unknown }).then).toBe('undefined');
    const keys: string[] = [];
    for (const key in event) keys.push(key);
    expect(keys).not.toContain('then');
    expect(Object.keys(event.toJSON())).not.toContain('then');
  });

  it('gives an event whose identifier and timestamp stay the same on every read', async () => {
    const publisher = await connected(new MemoryPublisher());
    const event = await publisher.publish('t');
    const id = event.identifier;
    const time = event.timestamp;
    expect(event.identifier).toBe(id);
    expect(event.timestamp).toBe(time);
    expect(event.toJSON().identifier).toBe(id);
    expect(event.toJSON().timestamp).toBe(time.toISOString());
  });

  it('gives every event its own identifier (not the time, unlike Python publish)', async () => {
    // DESIGN.md "Parity ... what we fix": Python's publish sets the identifier to the timestamp.
    const publisher = await connected(new MemoryPublisher());
    const events = await Promise.all([1, 2, 3].map(() => publisher.publish('t')));
    const ids = new Set(events.map((e) => e.identifier));
    expect(ids.size).toBe(3);
    for (const e of events) {
      expect(e.identifier).toMatch(UUID_V4);
      expect(e.identifier).not.toBe(e.timestamp.toISOString());
    }
  });

  it('gives each publisher a random identifier unless one is chosen', () => {
    const a = new MemoryPublisher();
    const b = new MemoryPublisher();
    expect(a.identifier).toMatch(UUID_V4);
    expect(a.identifier).not.toBe(b.identifier);
    expect(String(a)).toBe(`MemoryPublisher('${a.identifier}')`);
  });

  it.each<[string, Publishable, (payload: BuslineMessage | null) => void]>([
    [
      'a string in a StringMessage',
      'text',
      (p) => {
        expect(p).toBeInstanceOf(StringMessage);
        expect((p as StringMessage).value).toBe('text');
      },
    ],
    ['the empty string in a StringMessage', '', (p) => expect((p as StringMessage).value).toBe('')],
    [
      'an integer in an Int64Message',
      42,
      (p) => {
        expect(p).toBeInstanceOf(Int64Message);
        expect((p as Int64Message).value).toBe(42);
      },
    ],
    [
      'a negative integer in an Int64Message',
      -7,
      (p) => expect((p as Int64Message).value).toBe(-7),
    ],
    [
      'a bigint in an Int64Message',
      42n,
      (p) => {
        expect(p).toBeInstanceOf(Int64Message);
        expect((p as Int64Message).value).toBe(42);
      },
    ],
    [
      'a large bigint in an Int64Message',
      2n ** 62n,
      (p) => expect((p as Int64Message).value).toBe(2n ** 62n),
    ],
    [
      'a fraction in a Float64Message',
      3.14,
      (p) => {
        expect(p).toBeInstanceOf(Float64Message);
        expect((p as Float64Message).value).toBe(3.14);
      },
    ],
    ['NaN in a Float64Message', NaN, (p) => expect((p as Float64Message).value).toBeNaN()],
    [
      'an integral number beyond the safe range in an exact Int64Message',
      2 ** 60,
      (p) => {
        expect(p).toBeInstanceOf(Int64Message);
        expect((p as Int64Message).value).toBe(2n ** 60n);
      },
    ],
    [
      'an integral number beyond 64 bits in a Float64Message (it cannot be an Int64)',
      1e300,
      (p) => {
        expect(p).toBeInstanceOf(Float64Message);
        expect((p as Float64Message).value).toBe(1e300);
      },
    ],
    [
      'the smallest 64-bit integer in an Int64Message',
      -(2 ** 63),
      (p) => expect((p as Int64Message).value).toBe(-(2n ** 63n)),
    ],
    [
      '2^63 (one past the largest 64-bit integer) in a Float64Message',
      2 ** 63,
      (p) => expect(p).toBeInstanceOf(Float64Message),
    ],
    ['Infinity in a Float64Message', Infinity, (p) => expect(p).toBeInstanceOf(Float64Message)],
    ['undefined as no payload', undefined, (p) => expect(p).toBeNull()],
    ['null as no payload', null, (p) => expect(p).toBeNull()],
  ])('wraps %s', async (_case, value, check) => {
    const publisher = await connected(new MemoryPublisher());
    const event = await publisher.publish('t', value);
    check(event.payload);
    check(toMessage(value));
  });

  it('sends a message object as it is', async () => {
    const publisher = await connected(new MemoryPublisher());
    const message = new Custom('x');
    const event = await publisher.publish('t', message);
    expect(event.payload).toBe(message);
  });

  it('sends no payload when publish(topic) has no message', async () => {
    const publisher = await connected(new MemoryPublisher());
    expect((await publisher.publish('t')).payload).toBeNull();
  });

  it.each<[string, unknown, RegExp]>([
    [
      'a plain object',
      { value: 1 },
      /Expected message to be a BuslineMessage, a string.*got Object/,
    ],
    ['a boolean', true, /Expected message to be a BuslineMessage, a string.*got boolean true/],
    ['a function', () => 'x', /Expected message to be a BuslineMessage, a string/],
    ['a symbol', Symbol('s'), /Expected message to be a BuslineMessage, a string/],
    ['an array', ['a'], /Expected message to be a BuslineMessage, a string.*got Array/],
    ['a bigint beyond 64 bits', 2n ** 63n, /a bigint in the signed 64-bit range/],
    ['a bigint below 64 bits', -(2n ** 63n) - 1n, /a bigint in the signed 64-bit range/],
  ])(
    'rejects %s with an InvalidArgumentError naming the parameter',
    async (_case, value, message) => {
      const publisher = await connected(new MemoryPublisher());
      const error = await publisher.publish('t', value as Publishable).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).parameter).toBe('message');
      expect((error as Error).message).toMatch(message);
      expect(publisher.sent).toHaveLength(0);
    },
  );

  it.each<[string, string]>([
    ['a + wildcard', 'orders/+'],
    ['a # wildcard', 'orders/#'],
    ['the empty topic', ''],
  ])('rejects %s with an InvalidTopicError, sending nothing', async (_case, topic) => {
    const publisher = await connected(new MemoryPublisher());
    await expect(publisher.publish(topic, 'x')).rejects.toBeInstanceOf(InvalidTopicError);
    expect(publisher.sent).toHaveLength(0);
  });

  it('never throws synchronously: bad input is a rejected promise', async () => {
    const publisher = new MemoryPublisher();
    let promise: Promise<Event> | undefined;
    expect(() => {
      promise = publisher.publish('a/#', 'x');
    }).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(InvalidTopicError);
  });

  it('rejects with NotConnectedError before connect() and after disconnect()', async () => {
    const publisher = new MemoryPublisher();
    const before = await publisher.publish('t', 'x').catch((e: unknown) => e);
    expect(before).toBeInstanceOf(NotConnectedError);
    expect((before as Error).message).toMatch(/await connect\(\) first/);
    expect((before as Error).message).toContain(`publish on 't'`);

    await publisher.connect();
    await expect(publisher.publish('t', 'x')).resolves.toBeInstanceOf(Event);
    await publisher.disconnect();
    await expect(publisher.publish('t', 'x')).rejects.toBeInstanceOf(NotConnectedError);
    expect(publisher.sent).toHaveLength(1);
  });

  it('honours options.identifier and options.timestamp, and passes options to the transport', async () => {
    const publisher = await connected(new MemoryPublisher());
    const timestamp = new Date('2025-06-01T12:30:45.123Z');
    const options = { identifier: 'my-id', timestamp };
    const event = await publisher.publish('t', 'x', options);
    expect(event.identifier).toBe('my-id');
    expect(event.timestamp).toBe(timestamp);
    expect(publisher.sent[0].options).toBe(options);

    const onlyId = await publisher.publish('t', 'x', { identifier: 'only-id' });
    expect(onlyId.identifier).toBe('only-id');
    expect(Math.abs(onlyId.timestamp.getTime() - Date.now())).toBeLessThan(60_000);
    const onlyTime = await publisher.publish('t', 'x', { timestamp });
    expect(onlyTime.identifier).toMatch(UUID_V4);
    expect(onlyTime.timestamp).toBe(timestamp);
  });

  it('rejects with the transport error', async () => {
    const publisher = await connected(new MemoryPublisher());
    publisher.failWith = new Error('broker said no');
    await expect(publisher.publish('t')).rejects.toThrow('broker said no');
  });

  it('connect() and disconnect() are idempotent and concurrent calls share one attempt', async () => {
    const publisher = new MemoryPublisher();
    expect(publisher.connected).toBe(false);
    await Promise.all([publisher.connect(), publisher.connect()]);
    await publisher.connect();
    expect(publisher.connected).toBe(true);
    await Promise.all([publisher.disconnect(), publisher.disconnect()]);
    await publisher.disconnect();
    expect(publisher.connected).toBe(false);
    expect(publisher.calls).toEqual(['connect', 'disconnect']);
  });
});

describe('Publisher hooks', () => {
  it('runs onPublishing, internalPublish, onPublished in that order, for the same event', async () => {
    const publisher = await connected(new HookedMemoryPublisher());
    const event = await publisher.publish('orders', 'x');
    expect(publisher.calls).toEqual([
      'connect',
      `onPublishing:orders:${event.identifier}`,
      'internalPublish:start:orders',
      'internalPublish:end:orders',
      `onPublished:orders:${event.identifier}`,
    ]);
  });

  it('waits for an async internalPublish before onPublished', async () => {
    const publisher = await connected(new HookedMemoryPublisher());
    const gate = deferred();
    publisher.gate = () => gate.promise;
    const published = publisher.publish('t');
    await settle();
    expect(publisher.calls.some((c) => c.startsWith('onPublished'))).toBe(false);
    gate.resolve();
    const event = await published;
    expect(publisher.calls.at(-1)).toBe(`onPublished:t:${event.identifier}`);
  });

  it('skips onPublished when internalPublish fails', async () => {
    const publisher = await connected(new HookedMemoryPublisher());
    publisher.failWith = new Error('down');
    await expect(publisher.publish('t')).rejects.toThrow('down');
    expect(publisher.calls.some((c) => c.startsWith('onPublishing'))).toBe(true);
    expect(publisher.calls.some((c) => c.startsWith('onPublished'))).toBe(false);
  });
});

describe('Publisher.multiPublish', () => {
  function gated(publisher: MemoryPublisher): Map<string, Deferred> {
    const gates = new Map<string, Deferred>();
    publisher.gate = (topic) => {
      const gate = deferred();
      gates.set(topic, gate);
      return gate.promise;
    };
    return gates;
  }

  it('publishes on every topic at once by default, one event each, in topic order', async () => {
    const publisher = await connected(new MemoryPublisher());
    const gates = gated(publisher);
    const done = publisher.multiPublish(['a', 'b', 'c'], 'x');
    await settle();
    // All three started before any finished.
    expect(publisher.calls.slice(1)).toEqual([
      'internalPublish:start:a',
      'internalPublish:start:b',
      'internalPublish:start:c',
    ]);
    gates.get('c')!.resolve();
    gates.get('b')!.resolve();
    gates.get('a')!.resolve();
    const events = await done;
    expect(events).toHaveLength(3);
    expect(new Set(events.map((e) => e.identifier)).size).toBe(3);
    expect(publisher.sent.map((s) => s.topic).sort()).toEqual(['a', 'b', 'c']);
    expect(events.map((e) => publisher.sent.find((s) => s.event === e)!.topic)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('publishes one topic after the other with parallel: false', async () => {
    const publisher = await connected(new MemoryPublisher());
    const gates = gated(publisher);
    const done = publisher.multiPublish(['a', 'b'], 42, { parallel: false });
    await settle();
    expect(publisher.calls.slice(1)).toEqual(['internalPublish:start:a']);
    gates.get('a')!.resolve();
    await settle();
    expect(publisher.calls.slice(1)).toEqual([
      'internalPublish:start:a',
      'internalPublish:end:a',
      'internalPublish:start:b',
    ]);
    gates.get('b')!.resolve();
    const events = await done;
    expect(events.map((e) => (e.payload as Int64Message).value)).toEqual([42, 42]);
    expect(publisher.sent.map((s) => s.topic)).toEqual(['a', 'b']);
  });

  it('rejects when a topic is invalid', async () => {
    const publisher = await connected(new MemoryPublisher());
    await expect(publisher.multiPublish(['ok', 'bad/#'])).rejects.toBeInstanceOf(InvalidTopicError);
  });
});

describe('LocalPublisher', () => {
  it('publishes on its bus even with nobody subscribed', async () => {
    const publisher = new LocalPublisher({ eventbus: new AsyncLocalEventBus() });
    await publisher.connect();
    const event = await publisher.publish('nobody/listens', 1.5);
    expect((event.payload as Float64Message).value).toBe(1.5);
  });
});
