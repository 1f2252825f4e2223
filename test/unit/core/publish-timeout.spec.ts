import { InvalidArgumentError } from '../../../lib/core/errors/invalid-argument.error';
import { PublishTimeoutError } from '../../../lib/core/errors/publish-timeout.error';
import type { Event } from '../../../lib/core/event';
import { PubSubClient } from '../../../lib/core/pubsub-client';
import { deferred } from '../../support/deferred';
import { MemoryPublisher, MemorySubscriber } from '../../support/memory-transport';

/** A publisher that can take back what it still holds, as a transport with an offline queue. */
class QueueingPublisher extends MemoryPublisher {
  readonly held = new Set<Event>();

  protected override internalPublish(topic: string, event: Event): Promise<void> {
    this.held.add(event);
    return new Promise(() => undefined);
  }

  protected override withdraw(event: Event): boolean {
    return this.held.delete(event);
  }
}

describe('publish timeout', () => {
  it('rejects with mayStillBeSent true when the transport cannot take the event back', async () => {
    const publisher = new MemoryPublisher();
    publisher.gate = () => new Promise(() => undefined);
    await publisher.connect();
    const error = await publisher.publish('a/b', 'x', { timeout: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishTimeoutError);
    expect(error).toMatchObject({ topic: 'a/b', timeout: 20, mayStillBeSent: true });
    expect((error as Error).message).toMatch(/may still send it/);
  });

  it('rejects with mayStillBeSent false when the transport withdrew it', async () => {
    const publisher = new QueueingPublisher({ publishTimeout: 20 });
    await publisher.connect();
    const error = await publisher.publish('a/b', 'x').catch((e: unknown) => e);
    expect(error).toMatchObject({ mayStillBeSent: false, timeout: 20 });
    expect(publisher.held.size).toBe(0);
  });

  it('resolves as usual when the publish completes in time, and passes the transport error on', async () => {
    const publisher = new MemoryPublisher({ publishTimeout: 10_000 });
    await publisher.connect();
    const event = await publisher.publish('a/b', 'x');
    expect(publisher.sent.map((s) => s.event)).toEqual([event]);
    publisher.failWith = new Error('refused');
    await expect(publisher.publish('a/b', 'y')).rejects.toThrow('refused');
  });

  it('uses the client-wide default, and a publish option wins over it', async () => {
    const publisher = new MemoryPublisher();
    const release = deferred();
    publisher.gate = () => release.promise;
    const client = new PubSubClient([publisher], [], { publishTimeout: 20 });
    await client.connect();
    await expect(client.publish('a/b', 'x')).rejects.toBeInstanceOf(PublishTimeoutError);
    const patient = client.publish('a/b', 'y', { timeout: 10_000 });
    release.resolve();
    await expect(patient).resolves.toBeDefined();
  });

  it.each([0, -1, Number.NaN, '100', 2 ** 31])('refuses a timeout of %p', async (timeout) => {
    expect(() => new MemoryPublisher({ publishTimeout: timeout as number })).toThrow(
      InvalidArgumentError,
    );
    const publisher = new MemoryPublisher();
    await publisher.connect();
    await expect(publisher.publish('a/b', 'x', { timeout: timeout as number })).rejects.toThrow(
      /options.timeout/,
    );
  });
});

describe('PubSubClient: queued publishes wait for restored subscriptions', () => {
  class RestoringSubscriber extends MemorySubscriber {
    lose(): void {
      this.connectionLost();
    }
    restore(): Promise<void> {
      return this.restoreSubscriptions(true);
    }
  }

  class GatedPublisher extends MemoryPublisher {
    mayGo(): Promise<void> {
      return this.queuedMayGo();
    }
  }

  it('opens the gate once every subscriber restored its subscriptions', async () => {
    const subscriber = new RestoringSubscriber();
    const publisher = new GatedPublisher();
    new PubSubClient([publisher], [subscriber]);
    await subscriber.connect();
    subscriber.lose();
    let open = false;
    const gate = publisher.mayGo().then(() => (open = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(open).toBe(false);
    await subscriber.restore();
    await gate;
    expect(open).toBe(true);
  });

  it('opens at once when nothing was lost, and when a subscriber is disconnected', async () => {
    const subscriber = new RestoringSubscriber();
    const publisher = new GatedPublisher();
    new PubSubClient([publisher], [subscriber]);
    await subscriber.connect();
    await publisher.mayGo();
    subscriber.lose();
    const gate = publisher.mayGo();
    await subscriber.disconnect();
    await gate;
  });
});
