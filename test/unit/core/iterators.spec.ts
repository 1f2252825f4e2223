import type { BuslineError } from '../../../lib/core/errors/busline.error';
import { InboundBufferOverflowError } from '../../../lib/core/errors/inbound-buffer-overflow.error';
import { Event } from '../../../lib/core/event';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber, type LocalSubscriberOptions } from '../../../lib/local/local.subscriber';
import { track } from '../../support/deferred';
import { settle, waitFor } from '../../support/wait-for';

async function pair(
  options: LocalSubscriberOptions = {},
): Promise<{ publisher: LocalPublisher; subscriber: LocalSubscriber }> {
  const eventbus = new AsyncLocalEventBus();
  const publisher = new LocalPublisher({ eventbus });
  const subscriber = new LocalSubscriber({ eventbus, ...options });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  return { publisher, subscriber };
}

/** Collect `[topic, identifier]` from an iterable until it ends; returns the array and the end. */
function collect(iterable: AsyncIterable<[string, Event]>): {
  items: string[];
  ended: Promise<void>;
} {
  const items: string[] = [];
  const ended = (async () => {
    for await (const [topic, event] of iterable) items.push(`${topic}:${event.identifier}`);
  })();
  return { items, ended };
}

const publishId = (publisher: LocalPublisher, topic: string, identifier: string): Promise<Event> =>
  publisher.publish(topic, undefined, { identifier });

describe('inboundEvents and inboundUnhandledEvents', () => {
  it('inboundEvents sees every event, handled or not; unhandled only those without handler', async () => {
    const { publisher, subscriber } = await pair();
    const all = collect(subscriber.inboundEvents);
    const unhandled = collect(subscriber.inboundUnhandledEvents);
    const handled: string[] = [];
    await subscriber.subscribe('with-handler', (topic, e) => {
      handled.push(`${topic}:${e.identifier}`);
    });
    await subscriber.subscribe('without-handler');

    await publishId(publisher, 'with-handler', '1');
    await publishId(publisher, 'without-handler', '2');
    await publishId(publisher, 'with-handler', '3');

    await waitFor(() => all.items.length === 3 && unhandled.items.length === 1);
    expect(handled).toEqual(['with-handler:1', 'with-handler:3']);
    expect(all.items).toEqual(['with-handler:1', 'without-handler:2', 'with-handler:3']);
    expect(unhandled.items).toEqual(['without-handler:2']);

    await subscriber.disconnect();
    await Promise.all([all.ended, unhandled.ended]);
  });

  it('yields the very event object that was published', async () => {
    const { publisher, subscriber } = await pair();
    await subscriber.subscribe('t');
    const iterator = subscriber.inboundEvents[Symbol.asyncIterator]();
    const next = iterator.next();
    const published = await publisher.publish('t', 'payload');
    const result = await next;
    expect(result.done).toBe(false);
    expect(result.value[0]).toBe('t');
    expect(result.value[1]).toBe(published);
    await iterator.return!();
  });

  it('every loop gets every event from the moment it starts', async () => {
    const { publisher, subscriber } = await pair();
    await subscriber.subscribe('t');
    const first = collect(subscriber.inboundEvents);
    await publishId(publisher, 't', '1');
    const second = collect(subscriber.inboundEvents);
    await publishId(publisher, 't', '2');
    await waitFor(() => first.items.length === 2 && second.items.length === 1);
    expect(first.items).toEqual(['t:1', 't:2']);
    expect(second.items).toEqual(['t:2']);
    await subscriber.disconnect();
    await Promise.all([first.ended, second.ended]);
  });

  it('ends every loop on disconnect(), after what was buffered', async () => {
    const { publisher, subscriber } = await pair();
    await subscriber.subscribe('t');
    const iterator = subscriber.inboundEvents[Symbol.asyncIterator]();
    await publishId(publisher, 't', '1');
    await publishId(publisher, 't', '2');
    const unhandled = collect(subscriber.inboundUnhandledEvents);
    const ended = track(unhandled.ended);
    await subscriber.disconnect();
    await ended.promise;
    expect(await iterator.next()).toEqual({ done: false, value: ['t', expect.any(Event)] });
    expect((await iterator.next()).value[1].identifier).toBe('2');
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('a loop waiting for an event ends on disconnect()', async () => {
    const { subscriber } = await pair();
    const loop = collect(subscriber.inboundEvents);
    const ended = track(loop.ended);
    await settle();
    expect(ended.done).toBe(false);
    await subscriber.disconnect();
    await ended.promise;
    expect(loop.items).toEqual([]);
  });

  it('break detaches the loop: events after it are not buffered for it', async () => {
    const errors: BuslineError[] = [];
    const { publisher, subscriber } = await pair({
      inboundBufferSize: 2,
      onError: (e) => errors.push(e),
    });
    await subscriber.subscribe('t');
    const seen: string[] = [];
    const loop = (async () => {
      for await (const [, event] of subscriber.inboundEvents) {
        seen.push(event.identifier);
        if (seen.length === 2) break;
      }
    })();
    for (let i = 1; i <= 2; i++) await publishId(publisher, 't', String(i));
    await loop;
    expect(seen).toEqual(['1', '2']);
    // Far more than the buffer holds: were the loop still attached, it would overflow.
    for (let i = 3; i <= 50; i++) await publishId(publisher, 't', String(i));
    expect(errors).toEqual([]);
  });

  it('return() on a loop that is waiting ends that wait', async () => {
    const { subscriber } = await pair();
    const iterator = subscriber.inboundEvents[Symbol.asyncIterator]();
    const waiting = iterator.next();
    await iterator.return!();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it('works for events handed over with notify()', async () => {
    const { subscriber } = await pair();
    await subscriber.subscribe('n');
    const all = collect(subscriber.inboundEvents);
    const unhandled = collect(subscriber.inboundUnhandledEvents);
    await subscriber.notify('n', new Event({ publisherIdentifier: 'p', identifier: 'x' }));
    await waitFor(() => all.items.length === 1 && unhandled.items.length === 1);
    expect(all.items).toEqual(['n:x']);
    expect(unhandled.items).toEqual(['n:x']);
    await subscriber.disconnect();
  });
});

describe('inbound iterator buffers', () => {
  it('a slow consumer: past inboundBufferSize the oldest are dropped, reported once', async () => {
    const errors: BuslineError[] = [];
    const { publisher, subscriber } = await pair({
      inboundBufferSize: 3,
      onError: (e) => errors.push(e),
    });
    await subscriber.subscribe('t');
    // An open loop that does not consume yet.
    const iterator = subscriber.inboundEvents[Symbol.asyncIterator]();
    for (let i = 1; i <= 6; i++) await publishId(publisher, 't', String(i));

    expect(errors).toHaveLength(1);
    const overflow = errors[0] as InboundBufferOverflowError;
    expect(overflow).toBeInstanceOf(InboundBufferOverflowError);
    expect(overflow.bufferSize).toBe(3);
    expect(overflow.stream).toMatch(/inboundEvents$/);
    expect(overflow.message).toMatch(/raise the subscriber's inboundBufferSize/);

    const got: string[] = [];
    for (let i = 0; i < 3; i++) got.push((await iterator.next()).value[1].identifier);
    expect(got).toEqual(['4', '5', '6']);

    // Caught up: a new overflow is reported again.
    for (let i = 7; i <= 10; i++) await publishId(publisher, 't', String(i));
    expect(errors).toHaveLength(2);
    const rest: string[] = [];
    for (let i = 0; i < 3; i++) rest.push((await iterator.next()).value[1].identifier);
    expect(rest).toEqual(['8', '9', '10']);
    await iterator.return!();
  });

  it('an overflowing iterator does not disturb handlers or other iterators', async () => {
    const errors: BuslineError[] = [];
    const { publisher, subscriber } = await pair({
      inboundBufferSize: 2,
      onError: (e) => errors.push(e),
    });
    const handled: string[] = [];
    await subscriber.subscribe('t', (_topic, e) => {
      handled.push(e.identifier);
    });
    const stuck = subscriber.inboundEvents[Symbol.asyncIterator]();
    const live = collect(subscriber.inboundEvents);
    for (let i = 1; i <= 5; i++) await publishId(publisher, 't', String(i));
    await waitFor(() => live.items.length === 5);
    expect(handled).toEqual(['1', '2', '3', '4', '5']);
    expect(live.items).toEqual(['t:1', 't:2', 't:3', 't:4', 't:5']);
    expect(errors).toHaveLength(1);
    await stuck.return!();
    await subscriber.disconnect();
    await live.ended;
  });

  it('nobody iterating: nothing is buffered and nothing overflows', async () => {
    const errors: BuslineError[] = [];
    const { publisher, subscriber } = await pair({
      inboundBufferSize: 2,
      onError: (e) => errors.push(e),
    });
    await subscriber.subscribe('t');
    await subscriber.subscribe('h', () => undefined);
    // Many events, handled and unhandled, while no loop is open...
    for (let i = 0; i < 1_000; i++) {
      await publishId(publisher, i % 2 === 0 ? 't' : 'h', `early-${i}`);
    }
    expect(errors).toEqual([]);
    // ... and getting the iterables is not iterating: still nothing is kept.
    const iterable = subscriber.inboundEvents;
    const unhandledIterable = subscriber.inboundUnhandledEvents;
    for (let i = 0; i < 10; i++) await publishId(publisher, 't', `still-early-${i}`);
    expect(errors).toEqual([]);
    // A loop opened afterwards starts with the next event: none of the earlier ones were kept.
    const all = collect(iterable);
    const unhandled = collect(unhandledIterable);
    await publishId(publisher, 't', 'late');
    await waitFor(() => all.items.length === 1 && unhandled.items.length === 1);
    expect(all.items).toEqual(['t:late']);
    expect(unhandled.items).toEqual(['t:late']);
    await subscriber.disconnect();
    await Promise.all([all.ended, unhandled.ended]);
  });
});

describe('callbacks and iterators together', () => {
  it('Python test_incoming_events_queue: 2 inbound, 1 unhandled', async () => {
    // Python: tests/local_tests.py test_incoming_events_queue
    const { publisher, subscriber } = await pair();
    let inbound = 0;
    let unhandled = 0;
    const gatherInbound = (async () => {
      for await (const _ of subscriber.inboundEvents) inbound++;
    })();
    const gatherUnhandled = (async () => {
      for await (const _ of subscriber.inboundUnhandledEvents) unhandled++;
    })();
    await subscriber.subscribe('test-topic-1');
    await subscriber.subscribe('test-topic-2', () => undefined);
    await publisher.publish('test-topic-1');
    await publisher.publish('test-topic-2');
    await waitFor(() => inbound === 2 && unhandled === 1);
    await subscriber.disconnect();
    await Promise.all([gatherInbound, gatherUnhandled]);
    expect(inbound).toBe(2);
    expect(unhandled).toBe(1);
  });
});
