import type { ConnectorOptions } from '../core/connector';
import type { Event } from '../core/event';
import { Publisher } from '../core/publisher';
import type { EventBus } from './event-bus';
import { LocalEventBus } from './local-event-bus';

/** Options of a {@link LocalPublisher}. */
export interface LocalPublisherOptions extends ConnectorOptions {
  /** The bus to publish on; the process-wide {@link LocalEventBus} unless given. */
  eventbus?: EventBus;
}

/** Publishes on an in-process event bus; subscribers get the very event object. */
export class LocalPublisher extends Publisher {
  /** The bus this publisher puts events on. */
  readonly eventbus: EventBus;

  constructor(options: LocalPublisherOptions = {}) {
    super(options);
    this.eventbus = options.eventbus ?? new LocalEventBus();
  }

  protected internalPublish(topic: string, event: Event): Promise<void> | void {
    return this.eventbus.putEvent(topic, event);
  }

  protected internalConnect(): void {}

  protected internalDisconnect(): void {}
}
