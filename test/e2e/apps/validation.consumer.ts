import { Injectable, Module } from '@nestjs/common';
import type { Event } from '../../../lib/core/event';
import { Payload } from '../../../lib/nest/decorators/payload.decorator';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { OrderCreated, OrderShipped } from './orders.messages';
import { TOPICS } from './topics';

/** Handlers that must only ever see valid messages of their class. */
@Injectable()
export class ValidationConsumer {
  readonly created: OrderCreated[] = [];
  readonly shipped: OrderShipped[] = [];
  readonly unchecked: Event[] = [];

  @Subscribe(TOPICS.created)
  onCreated(@Payload() order: OrderCreated): void {
    if (!(order instanceof OrderCreated) || order.id === '') {
      throw new Error('an invalid order reached the handler');
    }
    this.created.push(order);
  }

  /** Every shipment topic, but only OrderShipped payloads. */
  @Subscribe(TOPICS.anyShipment)
  onShipped(@Payload() shipped: OrderShipped): void {
    if (!(shipped instanceof OrderShipped)) throw new Error('a wrong payload reached the handler');
    this.shipped.push(shipped);
  }

  /** Validation turned off for this handler. */
  @Subscribe(TOPICS.created, { validate: false })
  onCreatedUnchecked(_topic: string, event: Event): void {
    this.unchecked.push(event);
  }
}

@Module({ providers: [ValidationConsumer] })
export class ValidationConsumerModule {}
