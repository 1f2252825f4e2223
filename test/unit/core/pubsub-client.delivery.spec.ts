import { InvalidArgumentError } from '../../../lib/core/errors/invalid-argument.error';
import { Event } from '../../../lib/core/event';
import type { BuslineEventHandler } from '../../../lib/core/handlers/event-handler';
import { PubSubClient, type ClientSubscribeOptions } from '../../../lib/core/pubsub-client';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import { deferred } from '../../support/deferred';
import { MemoryPublisher, MemorySubscriber } from '../../support/memory-transport';
import { settle } from '../../support/wait-for';

/**
 * A client on two transports, as a local + MQTT one: the local bus delivers at once; the second
 * transport (memory) delivers what was sent through it when the test calls `carry()`, later, as a
 * broker does.
 */
async function twoTransports(): Promise<{
  client: PubSubClient;
  second: MemorySubscriber;
  carry(): Promise<void>;
}> {
  const eventbus = new AsyncLocalEventBus();
  const secondPublisher = new MemoryPublisher();
  const second = new MemorySubscriber();
  const client = new PubSubClient(
    [new LocalPublisher({ eventbus }), secondPublisher],
    [new LocalSubscriber({ eventbus }), second],
  );
  await client.connect();
  const carry = async (): Promise<void> => {
    for (const { topic, event } of secondPublisher.sent.splice(0)) await second.emit(topic, event);
    await client.drain();
  };
  return { client, second, carry };
}

/** A handler function that counts its calls per event identifier. */
function counting(): {
  handler: (topic: string, event: Event) => void;
  counts: Map<string, number>;
} {
  const counts = new Map<string, number>();
  return {
    counts,
    handler: (_topic, event) => {
      counts.set(event.identifier, (counts.get(event.identifier) ?? 0) + 1);
    },
  };
}

describe('PubSubClient delivery across transports', () => {
  it("keeps the Python library's rule by default (once per subscriber); deliver: 'once' opts out", async () => {
    const { client, carry } = await twoTransports();
    const byDefault = counting();
    const perSubscriber = counting();
    const once = counting();
    // Three filters: subscribing to one filter again would replace its handler.
    await client.subscribe('orders/+', byDefault.handler);
    await client.subscribe('orders/#', perSubscriber.handler, { deliver: 'per-subscriber' });
    await client.subscribe('+/1', once.handler, { deliver: 'once' });
    const event = await client.publish('orders/1', 'created');
    await carry();
    expect(byDefault.counts.get(event.identifier)).toBe(2);
    expect(perSubscriber.counts.get(event.identifier)).toBe(2);
    expect(once.counts.get(event.identifier)).toBe(1);
  });

  it("with deliver: 'once', runs the handler once per event whichever transports carried it", async () => {
    const { client, carry } = await twoTransports();
    const { handler, counts } = counting();
    await client.subscribe('orders/+', handler, { deliver: 'once' });
    const events = [];
    for (let i = 0; i < 5; i++) events.push(await client.publish(`orders/${i}`, 'created'));
    // The local copies ran at once; the second transport's come later and run nothing.
    expect(events.map((e) => counts.get(e.identifier))).toEqual([1, 1, 1, 1, 1]);
    await carry();
    expect(events.map((e) => counts.get(e.identifier))).toEqual([1, 1, 1, 1, 1]);
    expect(counts.size).toBe(5);
  });

  it("with deliver: 'once', runs it for an event that comes through one transport only", async () => {
    const { client, second, carry } = await twoTransports();
    const { handler, counts } = counting();
    await client.subscribe('orders/+', handler, { deliver: 'once' });
    // From another process: its own identifier, through the second transport only.
    const foreign = new Event({ publisherIdentifier: 'other-process' });
    await second.emit('orders/9', foreign);
    const own = await client.publish('orders/1', 'created');
    await carry();
    expect(counts).toEqual(
      new Map([
        [foreign.identifier, 1],
        [own.identifier, 1],
      ]),
    );
  });

  it("with deliver: 'once', a copy that arrives first wins and the local one runs nothing", async () => {
    const { client, second } = await twoTransports();
    const { handler, counts } = counting();
    await client.subscribe('orders/+', handler, { deliver: 'once' });
    const event = new Event({ publisherIdentifier: client.identifier });
    await second.emit('orders/1', event);
    await client.publishers[0].publishEvent('orders/1', event);
    await client.drain();
    expect(counts.get(event.identifier)).toBe(1);
  });

  it("with deliver: 'once', holds a copy until the first delivery's handler finished", async () => {
    const { client, second } = await twoTransports();
    const gate = deferred<void>();
    let runs = 0;
    await client.subscribe(
      'orders/+',
      async () => {
        runs++;
        await gate.promise;
      },
      { deliver: 'once' },
    );
    const event = await client.publish('orders/1', 'created');
    // The second transport's copy: its subscriber stays busy until the local copy was handled.
    await second.emit('orders/1', event);
    await settle();
    expect(await second.drain(0)).toBe(false);
    gate.resolve();
    await expect(second.drain(1_000)).resolves.toBe(true);
    expect(runs).toBe(1);
  });

  it("applies deliver: 'once' per call: another subscribe of the same handler counts apart", async () => {
    const { client, carry } = await twoTransports();
    const { handler, counts } = counting();
    await client.subscribe('orders/+', handler, { deliver: 'once' });
    await client.subscribe('orders/#', handler, { deliver: 'once' });
    const event = await client.publish('orders/1', 'created');
    await carry();
    expect(counts.get(event.identifier)).toBe(2);
  });

  it("multiSubscribe with deliver: 'once' runs the handler once per event on each topic", async () => {
    const { client, carry } = await twoTransports();
    const { handler, counts } = counting();
    await client.multiSubscribe(['orders/created', 'orders/shipped'], handler, {
      deliver: 'once',
    });
    const created = await client.publish('orders/created', 'a');
    const shipped = await client.publish('orders/shipped', 'b');
    await carry();
    expect(counts).toEqual(
      new Map([
        [created.identifier, 1],
        [shipped.identifier, 1],
      ]),
    );
  });

  it('forgets an event after deduplicationWindow others, so memory stays bounded', async () => {
    const { client, second: transport, carry } = await twoTransports();
    const { handler, counts } = counting();
    await client.subscribe('orders/+', handler, { deliver: 'once', deduplicationWindow: 2 });
    const first = await client.publish('orders/1', 'a');
    const second = await client.publish('orders/2', 'b');
    await carry();
    expect([first, second].map((e) => counts.get(e.identifier))).toEqual([1, 1]);
    const events = [];
    for (let i = 3; i <= 5; i++) events.push(await client.publish(`orders/${i}`, 'c'));
    const [third, fourth, fifth] = events;
    // The window holds the last two (fourth, fifth): a late copy of the third runs again.
    await transport.emit('orders/5', fifth);
    await transport.emit('orders/3', third);
    expect([third, fourth, fifth].map((e) => counts.get(e.identifier))).toEqual([2, 1, 1]);
  });

  it('gives the subscribers neither deliver nor deduplicationWindow', async () => {
    const { client, second } = await twoTransports();
    await client.subscribe('a', () => {}, { deliver: 'once', deduplicationWindow: 10, qos: 1 });
    await client.subscribe('b', () => {}, { deliver: 'per-subscriber', concurrency: 2 });
    expect(second.calls.filter((c) => c.startsWith('internalSubscribe'))).toEqual([
      'internalSubscribe:a:{"qos":1}',
      'internalSubscribe:b:{"concurrency":2}',
    ]);
  });

  it('hands the subscribers the handler itself unless deliver is once with several of them', async () => {
    const handlers: (BuslineEventHandler | undefined)[] = [];
    class Recording extends MemorySubscriber {
      protected override onSubscribing(
        _topic: string,
        handler: BuslineEventHandler | undefined,
      ): void {
        handlers.push(handler);
      }
    }
    const handler: BuslineEventHandler = { name: 'mine', handle: () => {} };
    const one = new PubSubClient([], [new Recording()]);
    await one.subscribe('a', handler, { deliver: 'once' });
    const two = new PubSubClient([], [new Recording(), new Recording()]);
    await two.subscribe('a', handler);
    await two.subscribe('a', handler, { deliver: 'once' });
    expect(handlers.slice(0, 3)).toEqual([handler, handler, handler]);
    // The two subscribers of the 'once' call share one wrapper, named as the handler.
    expect(handlers[3]).not.toBe(handler);
    expect(handlers[3]).toBe(handlers[4]);
    expect(handlers[3]?.name).toBe('mine');
  });

  it.each<[string, ClientSubscribeOptions, unknown, InvalidArgumentError]>([
    [
      'an unknown deliver',
      { deliver: 'twice' as never },
      () => {},
      new InvalidArgumentError('options.deliver', "'per-subscriber' or 'once'", 'twice'),
    ],
    [
      'a window without once',
      { deduplicationWindow: 5 },
      () => {},
      new InvalidArgumentError(
        'options.deduplicationWindow',
        "left out unless options.deliver is 'once'",
        5,
      ),
    ],
    [
      'a bad window',
      { deliver: 'once', deduplicationWindow: 0 },
      () => {},
      new InvalidArgumentError('options.deduplicationWindow', 'a whole number of at least 1', 0),
    ],
    [
      'once without a handler',
      { deliver: 'once' },
      undefined,
      new InvalidArgumentError(
        'handler',
        "a handler when options.deliver is 'once' (it applies to the handler, not a default one)",
        undefined,
      ),
    ],
  ])('refuses %s, subscribing nothing', async (_case, options, handler, error) => {
    const { client, second } = await twoTransports();
    await expect(
      client.subscribe('a', handler as BuslineEventHandler | undefined, options),
    ).rejects.toThrow(error);
    await expect(
      client.multiSubscribe(['a', 'b'], handler as BuslineEventHandler | undefined, options),
    ).rejects.toThrow(error);
    expect(second.topics).toEqual([]);
  });
});
