import { Injectable } from '@nestjs/common';
import type { Event } from '../../../lib/core/event';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { NS } from './topics';

/** Topics of the delivery fixtures: `DELIVERY_TOPICS.order(n)` matches both filters. */
export const DELIVERY_TOPICS = {
  orders: `${NS}/delivery/orders/+`,
  all: `${NS}/delivery/#`,
  order: (n: number | string): string => `${NS}/delivery/orders/${n}`,
} as const;

/** How many times a handler got each event, by event identifier. */
export class Deliveries {
  readonly byEvent = new Map<string, number>();
  total = 0;

  add(event: Event): void {
    this.byEvent.set(event.identifier, (this.byEvent.get(event.identifier) ?? 0) + 1);
    this.total++;
  }

  /** The count of each of `events`, in order. */
  of(events: readonly Event[]): (number | undefined)[] {
    return events.map((e) => this.byEvent.get(e.identifier));
  }
}

/**
 * Handlers of an application with a local and an MQTT transport: some name no transport (each
 * event once), some name theirs (what each transport carries).
 */
@Injectable()
export class DeliveryConsumer {
  readonly unnamed = new Deliveries();
  readonly unnamedToo = new Deliveries();
  readonly wildcard = new Deliveries();
  readonly both = new Deliveries();
  readonly mqtt = new Deliveries();

  @Subscribe(DELIVERY_TOPICS.orders)
  onOrder(_topic: string, event: Event): void {
    this.unnamed.add(event);
  }

  /** A second method on the same filter: it shares the subscription, not the first's events. */
  @Subscribe(DELIVERY_TOPICS.orders)
  async onOrderToo(_topic: string, event: Event): Promise<void> {
    await Promise.resolve();
    this.unnamedToo.add(event);
  }

  @Subscribe(DELIVERY_TOPICS.all)
  onAnything(_topic: string, event: Event): void {
    this.wildcard.add(event);
  }

  @Subscribe(DELIVERY_TOPICS.orders, { transport: ['local', 'mqtt'] })
  onOrderFromEach(_topic: string, event: Event): void {
    this.both.add(event);
  }

  @Subscribe(DELIVERY_TOPICS.orders, { transport: 'mqtt' })
  onOrderFromMqtt(_topic: string, event: Event): void {
    this.mqtt.add(event);
  }
}
