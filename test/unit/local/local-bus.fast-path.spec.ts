/*
 * The local bus matches a topic once and hands each subscriber the subscriptions ("routes") of the
 * filters that matched. These cases pin down that the routes it holds never go stale.
 */
import { Event } from '../../../lib/core/event';
import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import { MemorySubscriber } from '../../support/memory-transport';

async function pair(): Promise<{
  eventbus: AsyncLocalEventBus;
  publisher: LocalPublisher;
  subscriber: LocalSubscriber;
}> {
  const eventbus = new AsyncLocalEventBus();
  const publisher = new LocalPublisher({ eventbus });
  const subscriber = new LocalSubscriber({ eventbus });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  return { eventbus, publisher, subscriber };
}

describe('AsyncLocalEventBus routes', () => {
  it('a filter unsubscribed and subscribed again gets events with its new handler', async () => {
    const { publisher, subscriber } = await pair();
    const got: string[] = [];
    await subscriber.subscribe('a/+', () => void got.push('first'));
    await publisher.publish('a/1');
    await subscriber.unsubscribe('a/+');
    await publisher.publish('a/2');
    await subscriber.subscribe('a/+', () => void got.push('second'));
    await publisher.publish('a/3');
    expect(got).toEqual(['first', 'second']);
  });

  it("'$share/<group>/x' and 'x' on one subscriber: dropping and adding one keeps both right", async () => {
    const { publisher, subscriber } = await pair();
    const got: string[] = [];
    await subscriber.subscribe('$share/g/x', () => void got.push('shared'));
    await subscriber.subscribe('x', () => void got.push('plain'));
    await publisher.publish('x');
    await subscriber.unsubscribe('x');
    await publisher.publish('x');
    await subscriber.subscribe('x', () => void got.push('plain again'));
    await publisher.publish('x');
    expect(got).toEqual(['shared', 'plain', 'shared', 'shared', 'plain again']);
  });

  it('a subscriber put on the bus by hand follows its own subscriptions coming and going', async () => {
    const eventbus = new AsyncLocalEventBus();
    const subscriber = new MemorySubscriber();
    const got: string[] = [];
    eventbus.addSubscriber('s/#', subscriber);
    const put = (): Promise<void> | void =>
      eventbus.putEvent('s/1', new Event({ publisherIdentifier: 'p' }));
    await put(); // no subscription yet: nothing to run
    await subscriber.subscribe('s/#', () => void got.push('one'));
    await put();
    await subscriber.unsubscribe('s/#');
    await put();
    await subscriber.subscribe('s/#', () => void got.push('two'));
    await put();
    expect(got).toEqual(['one', 'two']);
  });

  it('a subscriber matched by several wildcard filters runs each subscription once per event', async () => {
    const { publisher, subscriber } = await pair();
    const other = new LocalSubscriber({ eventbus: publisher.eventbus });
    await other.connect();
    const got: string[] = [];
    for (const filter of ['a/b', 'a/+', 'a/#', '+/b']) {
      await subscriber.subscribe(filter, () => void got.push(filter));
    }
    await other.subscribe('#', () => void got.push('other'));
    await publisher.publish('a/b');
    expect(got.sort()).toEqual(['+/b', 'a/#', 'a/+', 'a/b', 'other']);
  });

  it('a handler that subscribes and unsubscribes while an event is delivered does not disturb it', async () => {
    const { publisher, subscriber } = await pair();
    const got: string[] = [];
    await subscriber.subscribe('t/+', async () => {
      got.push('plus');
      await subscriber.unsubscribe('t/#');
      await subscriber.subscribe('t/1', () => void got.push('late'));
    });
    await subscriber.subscribe('t/#', () => void got.push('hash'));
    await publisher.publish('t/1');
    await subscriber.drain();
    expect(got.splice(0).sort()).toEqual(['hash', 'plus']);
    await publisher.publish('t/1');
    await subscriber.drain();
    expect(got.sort()).toEqual(['late', 'plus']);
  });

  it('matches a topic once: the subscriber does not look its subscriptions up again', async () => {
    const { publisher, subscriber } = await pair();
    const got: string[] = [];
    await subscriber.subscribe('m/+', () => void got.push('plus'));
    await subscriber.subscribe('m/#', () => void got.push('hash'));
    await subscriber.subscribe('m/1', () => void got.push('exact'));
    const deliver = jest.spyOn(subscriber, 'deliver');
    const match = jest.spyOn(subscriber.subscriptionIndex, 'match');
    await publisher.publish('m/1');
    await publisher.publish('m/2');
    expect(got.sort()).toEqual(['exact', 'hash', 'hash', 'plus', 'plus']);
    expect(deliver).not.toHaveBeenCalled();
    expect(match).not.toHaveBeenCalled();
  });

  it('a subscriber with a topicNamesMatcher gets every event through its own matching', async () => {
    const eventbus = new AsyncLocalEventBus();
    const publisher = new LocalPublisher({ eventbus });
    const subscriber = new LocalSubscriber({
      eventbus,
      topicNamesMatcher: (topic, subscribed) => topic.toLowerCase() === subscribed.toLowerCase(),
    });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const got: string[] = [];
    await subscriber.subscribe('Caps', () => void got.push('caps'));
    await subscriber.subscribe('+', () => void got.push('plus, never: the matcher decides'));
    await publisher.publish('Caps');
    expect(got).toEqual(['caps']);
  });
});
