import { Controller, Injectable, Module } from '@nestjs/common';
import type { Event } from '../../../lib/core/event';
import { EventHandler } from '../../../lib/core/handlers/event-handler.decorator';
import { Envelope } from '../../../lib/nest/decorators/envelope.decorator';
import { Payload } from '../../../lib/nest/decorators/payload.decorator';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { TopicParams } from '../../../lib/nest/decorators/topic-params.decorator';
import { Topic } from '../../../lib/nest/decorators/topic.decorator';
import { OrderCreated } from './orders.messages';
import { TOPICS } from './topics';

/** One call of a fixture handler: which method, with what, on which `this`. */
export interface HandlerCall {
  method: string;
  args: unknown[];
  self: unknown;
}

/** Handlers of every shape the decorators allow; records each call. */
@Injectable()
export class OrdersConsumer {
  readonly calls: HandlerCall[] = [];

  /** Default arguments: (topic, event). */
  @Subscribe(TOPICS.created)
  onCreated(topic: string, event: Event): void {
    this.record('onCreated', [topic, event]);
  }

  /** Parameter decorators, in an order unlike the default one. */
  @Subscribe(TOPICS.created)
  async onCreatedPayload(
    @Payload() order: OrderCreated,
    @Topic() topic: string,
    @Payload('id') id: string,
    @Envelope() event: Event,
  ): Promise<void> {
    await Promise.resolve();
    this.record('onCreatedPayload', [order, topic, id, event]);
  }

  /** Named wildcards. */
  @Subscribe(TOPICS.byId)
  onStatus(@TopicParams() params: Record<string, string>, @TopicParams('id') id: string): void {
    this.record('onStatus', [params, id]);
  }

  /** Two stacked decorators, one with two topics: three subscriptions. */
  @Subscribe(TOPICS.shipped)
  @Subscribe([TOPICS.cancelled, TOPICS.notes])
  onStacked(topic: string): void {
    this.record('onStacked', [topic]);
  }

  /** An `@EventHandler()` method that is also subscribed. */
  @Subscribe(TOPICS.audit)
  @EventHandler()
  onAudit(topic: string): void {
    this.record('onAudit', [topic]);
  }

  calledWith(method: string): HandlerCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args, self: this });
  }
}

/** A controller can subscribe too. */
@Controller()
export class OrdersEventsController {
  readonly topics: string[] = [];

  @Subscribe(TOPICS.created)
  onCreated(topic: string): void {
    this.topics.push(topic);
  }
}

/** The consumer side of the orders app, with an alias of the consumer (bound once). */
@Module({
  controllers: [OrdersEventsController],
  providers: [OrdersConsumer, { provide: 'ORDERS_CONSUMER_ALIAS', useExisting: OrdersConsumer }],
  exports: [OrdersConsumer],
})
export class OrdersConsumerModule {}
