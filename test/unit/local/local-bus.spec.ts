import { Event } from '../../../lib/core/event';
import type { BuslineMessage } from '../../../lib/core/message';
import { StringMessage } from '../../../lib/core/messages/string.message';
import type { Subscriber } from '../../../lib/core/subscriber';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { EventBus } from '../../../lib/local/event-bus';
import { LocalEventBus } from '../../../lib/local/local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import { MemorySubscriber } from '../../support/memory-transport';
import { waitFor } from '../../support/wait-for';

/** A message class a serializer would choke on: the local path must never call serialize(). */
class Unserializable implements BuslineMessage {
  readonly self: this = this;
  constructor(readonly items: number[]) {}
  serialize(): [string, Uint8Array] {
    throw new Error('the local bus must not serialize');
  }
}

describe('LocalEventBus', () => {
  it('new LocalEventBus() is always the same process-wide bus', () => {
    const a = new LocalEventBus();
    const b = new LocalEventBus();
    expect(a).toBe(b);
    expect(a).toBeInstanceOf(AsyncLocalEventBus);
    expect(a).toBeInstanceOf(EventBus);
  });

  it('local publishers and subscribers use it unless given a bus', () => {
    expect(new LocalPublisher().eventbus).toBe(new LocalEventBus());
    expect(new LocalSubscriber().eventbus).toBe(new LocalEventBus());
    const own = new AsyncLocalEventBus();
    expect(new LocalPublisher({ eventbus: own }).eventbus).toBe(own);
    expect(new LocalSubscriber({ eventbus: own }).eventbus).toBe(own);
  });

  it('carries events between a default publisher and a default subscriber', async () => {
    const publisher = new LocalPublisher();
    const subscriber = new LocalSubscriber();
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const got: Event[] = [];
    await subscriber.subscribe('local-bus-spec/default', (_topic, e) => {
      got.push(e);
    });
    const sent = await publisher.publish('local-bus-spec/default', 'hi');
    expect(got).toEqual([sent]);
    await subscriber.disconnect();
    expect(new LocalEventBus().topics).not.toContain('local-bus-spec/default');
  });
});

describe('AsyncLocalEventBus', () => {
  it('each instance is an independent bus', async () => {
    const one = new AsyncLocalEventBus();
    const two = new AsyncLocalEventBus();
    expect(one).not.toBe(two);
    expect(one).not.toBe(new LocalEventBus());
    const subscriber = new LocalSubscriber({ eventbus: one });
    const publisherOnTwo = new LocalPublisher({ eventbus: two });
    const publisherOnDefault = new LocalPublisher();
    await Promise.all([
      subscriber.connect(),
      publisherOnTwo.connect(),
      publisherOnDefault.connect(),
    ]);
    const got: string[] = [];
    await subscriber.subscribe('iso', (topic) => {
      got.push(topic);
    });
    await publisherOnTwo.publish('iso');
    await publisherOnDefault.publish('iso');
    expect(got).toEqual([]);
    expect(two.topics).toEqual([]);
  });

  it('hands the subscriber the very event and payload object (no serialization)', async () => {
    const eventbus = new AsyncLocalEventBus();
    const publisher = new LocalPublisher({ eventbus });
    const subscriber = new LocalSubscriber({ eventbus });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    let received: Event | undefined;
    await subscriber.subscribe('t', (_topic, e) => {
      received = e;
    });
    const message = new Unserializable([1, 2, 3]);
    const sent = await publisher.publish('t', message);
    expect(received).toBe(sent);
    expect(received!.payload).toBe(message);
  });

  it('delivers to every subscriber of a topic (fan-out)', async () => {
    const eventbus = new AsyncLocalEventBus();
    const publisher = new LocalPublisher({ eventbus });
    const subscribers = [0, 1, 2].map(() => new LocalSubscriber({ eventbus }));
    await Promise.all([publisher, ...subscribers].map((c) => c.connect()));
    const got: string[] = [];
    await subscribers[0].subscribe('a/b', () => void got.push('exact'));
    await subscribers[1].subscribe('a/+', () => void got.push('plus'));
    await subscribers[2].subscribe('#', () => void got.push('hash'));
    await publisher.publish('a/b');
    expect(got.sort()).toEqual(['exact', 'hash', 'plus']);
  });

  it('delivers once per subscriber even when several of its filters match', async () => {
    const eventbus = new AsyncLocalEventBus();
    const subscriber = new LocalSubscriber({ eventbus });
    await subscriber.connect();
    // inboundEvents yields an event once per delivery to the subscriber.
    const delivered: string[] = [];
    const iterator = subscriber.inboundEvents[Symbol.asyncIterator]();
    for (const filter of ['a/b', 'a/+', 'a/#', '#', '+/b']) await subscriber.subscribe(filter);
    const event = new Event({ publisherIdentifier: 'p', identifier: 'once' });
    await eventbus.putEvent('a/b', event);
    await eventbus.putEvent('a/c', new Event({ publisherIdentifier: 'p', identifier: 'next' }));
    await subscriber.disconnect();
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      delivered.push(`${r.value[0]}:${r.value[1].identifier}`);
    }
    expect(delivered).toEqual(['a/b:once', 'a/c:next']);
  });

  it('a local subscriber with overlapping filters runs each matching subscription once', async () => {
    const eventbus = new AsyncLocalEventBus();
    const publisher = new LocalPublisher({ eventbus });
    const subscriber = new LocalSubscriber({ eventbus });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const got: string[] = [];
    await subscriber.subscribe('a/+', () => void got.push('plus'));
    await subscriber.subscribe('a/#', () => void got.push('hash'));
    await subscriber.subscribe('a/b', () => void got.push('exact'));
    await publisher.publish('a/b');
    expect(got.sort()).toEqual(['exact', 'hash', 'plus']);
  });

  it('matches $-topics and $share filters the MQTT way', async () => {
    const eventbus = new AsyncLocalEventBus();
    const publisher = new LocalPublisher({ eventbus });
    const subscriber = new LocalSubscriber({ eventbus });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const got: string[] = [];
    await subscriber.subscribe('#', (topic) => void got.push(`hash:${topic}`));
    await subscriber.subscribe('$SYS/#', (topic) => void got.push(`sys:${topic}`));
    await subscriber.subscribe('$share/g/jobs/+', (topic) => void got.push(`shared:${topic}`));
    await publisher.publish('$SYS/uptime');
    await publisher.publish('jobs/1');
    expect(got.sort()).toEqual(['hash:jobs/1', 'shared:jobs/1', 'sys:$SYS/uptime']);
  });

  it('lists the topic filters someone is subscribed to, each once', async () => {
    const eventbus = new AsyncLocalEventBus();
    const a = new LocalSubscriber({ eventbus });
    const b = new LocalSubscriber({ eventbus });
    await Promise.all([a.connect(), b.connect()]);
    expect(eventbus.topics).toEqual([]);
    await a.subscribe('x');
    await a.subscribe('y/#');
    await b.subscribe('x');
    expect(eventbus.topics.sort()).toEqual(['x', 'y/#']);
    await a.unsubscribe('x');
    expect(eventbus.topics.sort()).toEqual(['x', 'y/#']);
    await b.unsubscribe('x');
    expect(eventbus.topics).toEqual(['y/#']);
    await a.disconnect();
    expect(eventbus.topics).toEqual([]);
  });

  it('removeSubscriber(subscriber, topic) and removeSubscriber(subscriber)', async () => {
    const eventbus = new AsyncLocalEventBus();
    const got: string[] = [];
    const subscriber = new MemorySubscriber();
    const other = new MemorySubscriber();
    await subscriber.subscribe('a', () => void got.push('s:a'));
    await subscriber.subscribe('b/+', () => void got.push('s:b'));
    await other.subscribe('a', () => void got.push('o:a'));
    eventbus.addSubscriber('a', subscriber);
    eventbus.addSubscriber('b/+', subscriber);
    eventbus.addSubscriber('a', other);
    const put = async (topic: string): Promise<void> => {
      await eventbus.putEvent(topic, new Event({ publisherIdentifier: 'p' }));
    };

    eventbus.removeSubscriber(subscriber, 'a');
    await put('a');
    await put('b/1');
    expect(got).toEqual(['o:a', 's:b']);

    eventbus.removeSubscriber(subscriber);
    eventbus.removeSubscriber(subscriber); // twice: nothing to do
    eventbus.removeSubscriber(subscriber, 'never');
    got.length = 0;
    await put('a');
    await put('b/1');
    expect(got).toEqual(['o:a']);
    expect(eventbus.topics).toEqual(['a']);
  });

  it('a subscriber keeps a filter it still has when another filter sharing its matching filter goes', async () => {
    // '$share/g/a' and 'a' match the same topics; dropping one must not silence the other.
    const eventbus = new AsyncLocalEventBus();
    const subscriber = new LocalSubscriber({ eventbus });
    const publisher = new LocalPublisher({ eventbus });
    await Promise.all([subscriber.connect(), publisher.connect()]);
    const got: string[] = [];
    await subscriber.subscribe('a', () => void got.push('plain'));
    await subscriber.subscribe('$share/g/a', () => void got.push('shared'));
    await subscriber.unsubscribe('a');
    await publisher.publish('a');
    expect(got).toEqual(['shared']);
    expect(eventbus.topics).toEqual(['$share/g/a']);
  });

  it('a subscriber of its own: extending EventBus', async () => {
    // The abstract EventBus is the extension point for another in-process bus.
    class RecordingBus extends EventBus {
      readonly log: string[] = [];
      private readonly subs = new Map<string, Subscriber>();
      addSubscriber(topic: string, subscriber: Subscriber): void {
        this.log.push(`add:${topic}`);
        this.subs.set(topic, subscriber);
      }
      removeSubscriber(_subscriber: Subscriber, topic?: string): void {
        this.log.push(`remove:${topic ?? '*'}`);
        if (topic) this.subs.delete(topic);
        else this.subs.clear();
      }
      putEvent(topic: string, event: Event): void {
        this.log.push(`put:${topic}`);
        this.subs.get(topic)?.deliver(topic, event);
      }
      get topics(): string[] {
        return [...this.subs.keys()];
      }
    }
    const eventbus = new RecordingBus();
    const publisher = new LocalPublisher({ eventbus });
    const subscriber = new LocalSubscriber({ eventbus });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const got: string[] = [];
    await subscriber.subscribe(
      't',
      (_topic, e) => void got.push((e.payload as StringMessage).value),
    );
    await publisher.publish('t', 'via custom bus');
    await subscriber.disconnect();
    await waitFor(() => got.length === 1);
    expect(got).toEqual(['via custom bus']);
    expect(eventbus.log).toEqual(['add:t', 'put:t', 'remove:*']);
  });
});
