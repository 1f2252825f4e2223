import {
  Inject,
  Injectable,
  Module,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { PubSubClient } from '../../../lib/core/pubsub-client';
import { OrderCreated } from './orders.messages';
import { TOPICS } from './topics';

/** When the producer publishes by itself: in its own lifecycle hooks, or never. */
export const PRODUCER_HOOKS = 'PRODUCER_HOOKS';

/** Publishes orders through the injected client. */
@Injectable()
export class OrdersProducer implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly bus: PubSubClient,
    @Optional() @Inject(PRODUCER_HOOKS) private readonly hooks: readonly string[] = [],
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.hooks.includes('onModuleInit')) {
      await this.bus.publish(TOPICS.init, OrderCreated.of('from-init', ['a', 1]));
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.hooks.includes('onApplicationBootstrap')) {
      await this.bus.publish(TOPICS.boot, OrderCreated.of('from-bootstrap', ['a', 1]));
    }
  }

  created(id: string, ...lines: [string, number][]): Promise<unknown> {
    return this.bus.publish(TOPICS.created, OrderCreated.of(id, ...lines));
  }
}

/** The producer side of the orders app. */
@Module({ providers: [OrdersProducer], exports: [OrdersProducer] })
export class OrdersProducerModule {}
