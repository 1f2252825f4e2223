import { Subscriber } from '../core/subscriber';
import type { SubscriberOptions } from '../core/subscriber.options';
import type { EventBus } from './event-bus';
import { LocalEventBus } from './local-event-bus';

/** Options of a {@link LocalSubscriber}. */
export interface LocalSubscriberOptions extends SubscriberOptions {
  /** The bus to listen on; the process-wide {@link LocalEventBus} unless given. */
  eventbus?: EventBus;
}

/** Receives events from an in-process event bus. */
export class LocalSubscriber extends Subscriber {
  /** The bus this subscriber listens on. */
  readonly eventbus: EventBus;

  constructor(options: LocalSubscriberOptions = {}) {
    super(options);
    this.eventbus = options.eventbus ?? new LocalEventBus();
  }

  protected internalSubscribe(topic: string): void {
    this.eventbus.addSubscriber(topic, this);
  }

  protected internalUnsubscribe(topic: string): void {
    this.eventbus.removeSubscriber(this, topic);
  }

  protected internalConnect(): void {}

  protected internalDisconnect(): void {
    this.eventbus.removeSubscriber(this);
  }
}
