import type { Event } from '../core/event';
import { EventRegistry } from '../core/event.registry';
import type { MessageClass } from '../core/message';
import { NoSubscriberError } from '../core/errors/no-subscriber.error';
import { Publisher, type PublishOptions, type PublisherOptions } from '../core/publisher';
import type { EventBus } from './event-bus';
import { LocalEventBus } from './local-event-bus';

/** The process-wide registry (`new EventRegistry()` returns it): looked up once, not per event. */
const registry = new EventRegistry();

/** Options of a {@link LocalPublisher}. */
export interface LocalPublisherOptions extends PublisherOptions {
  /** The bus to publish on; the process-wide {@link LocalEventBus} unless given. */
  eventbus?: EventBus;
}

/**
 * Publishes on an in-process event bus; subscribers get the very event object (nothing is
 * serialized). Publishing registers the payload's class in the process-wide registry, as in Python.
 */
export class LocalPublisher extends Publisher {
  /** The bus this publisher puts events on. */
  readonly eventbus: EventBus;

  constructor(options: LocalPublisherOptions = {}) {
    super(options);
    this.eventbus = options.eventbus ?? new LocalEventBus();
  }

  /**
   * Registers the payload's class (as publishing does on every transport, so this process can
   * decode it when it arrives over a broker), then hands the event to the bus as it is. With
   * `requireSubscriber`, an event no subscriber takes is a {@link NoSubscriberError}.
   */
  protected internalPublish(
    topic: string,
    event: Event,
    options?: PublishOptions,
  ): Promise<void> | void {
    if (options?.requireSubscriber === true) this.checkSubscribers(topic);
    const payload = event.payload;
    // The registry answers a class it saw last without a lookup; a payload without a class
    // (made with Object.create(null)) has nothing to register.
    if (payload !== null && typeof payload.constructor === 'function') {
      registry.messageTypeOf(payload.constructor as MessageClass);
    }
    return this.eventbus.putEvent(topic, event);
  }

  /** With `requireSubscriber`: a topic no subscriber takes is a {@link NoSubscriberError}. */
  private checkSubscribers(topic: string): void {
    if (this.eventbus.hasSubscribers(topic) === false) {
      throw new NoSubscriberError(topic, this.toString());
    }
  }

  protected internalConnect(): void {}

  protected internalDisconnect(): void {}
}
