import {
  type Event,
  EventBus,
  LocalPublisher,
  LocalSubscriber,
  Publisher,
  type PublishOptions,
  type Subscriber,
} from 'busline';

/** A publisher that only prints: implement internalPublish (and connect/disconnect). */
class ConsolePublisher extends Publisher {
  protected internalConnect(): void {}
  protected internalDisconnect(): void {}

  protected internalPublish(topic: string, event: Event): void {
    console.log(`[console] ${topic} <- ${event.payload ?? '(no payload)'}`);
  }

  // Hooks run around internalPublish when overridden.
  protected override onPublished(topic: string, event: Event, _options?: PublishOptions): void {
    console.log(`[console] published ${event.identifier.length}-character id on ${topic}`);
  }
}

/** An event bus that keeps one subscriber per topic, matched by equality only. */
class TinyEventBus extends EventBus {
  private readonly subscribers = new Map<string, Subscriber>();

  addSubscriber(topic: string, subscriber: Subscriber): void {
    this.subscribers.set(topic, subscriber);
  }

  removeSubscriber(subscriber: Subscriber, topic?: string): void {
    for (const [t, s] of this.subscribers) {
      if (s === subscriber && (topic === undefined || topic === t)) this.subscribers.delete(t);
    }
  }

  putEvent(topic: string, event: Event): Promise<void> | void {
    return this.subscribers.get(topic)?.deliver(topic, event);
  }

  get topics(): string[] {
    return [...this.subscribers.keys()];
  }
}

export async function main(): Promise<void> {
  const printer = new ConsolePublisher();
  await printer.connect();
  await printer.publish('orders/1', 'created');

  const eventbus = new TinyEventBus();
  const publisher = new LocalPublisher({ eventbus });
  const subscriber = new LocalSubscriber({ eventbus });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe('pings', (topic) => console.log(`[tiny] ${topic}`));
  await publisher.publish('pings');
  await Promise.all([publisher.disconnect(), subscriber.disconnect(), printer.disconnect()]);
}
