import { Controller, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Event, JsonMessage, Message, PubSubClient } from 'busline';
import { BuslineModule, Envelope, Payload, Subscribe, Topic, TopicParams } from 'busline/nest';

@Message('orders.OrderCreated')
export class OrderCreated extends JsonMessage {
  id = '';
}

@Message('orders.OrderStatus')
export class OrderStatus extends JsonMessage {
  status = '';
}

@Message('orders.OrderShipped')
export class OrderShipped extends JsonMessage {
  carrier = '';
}

@Injectable()
export class OrdersRepository {
  readonly orders = new Map<string, OrderCreated>();

  async save(order: OrderCreated): Promise<void> {
    this.orders.set(order.id, order);
  }
}

@Injectable()
export class OrdersService {
  constructor(private readonly repository: OrdersRepository) {}

  // Default arguments: (topic, event).
  @Subscribe('orders/created')
  async onCreated(topic: string, event: Event<OrderCreated>): Promise<void> {
    await this.repository.save(event.payload!);
    console.log(`onCreated: saved order ${event.payload!.id} from ${topic}`);
  }

  // Or ask for what the handler needs; '+id' is a named wildcard.
  @Subscribe('orders/+id/status')
  onStatus(
    @Payload() status: OrderStatus,
    @TopicParams('id') id: string,
    @Topic() topic: string,
    @Envelope() event: Event,
  ): void {
    const same = event.payload === status; // the envelope carries the payload
    console.log(`onStatus: order ${id} is ${status.status} (topic ${topic}, same: ${same})`);
  }

  // Several topics, several decorators: every one counts.
  @Subscribe(['orders/cancelled', 'orders/refunded'])
  @Subscribe('legacy/orders/#rest', { group: 'billing' })
  onClosed(@Payload('id') id: string, @TopicParams() params: Record<string, string>): void {
    // params.rest is the rest of the topic, for the legacy topics
    console.log(`onClosed: order ${id}, params ${JSON.stringify(params)}`);
  }
}

@Controller('orders')
export class OrdersController {
  @Subscribe('orders/shipped') // controllers subscribe too
  onShipped(@Payload() shipped: OrderShipped): void {
    console.log(`onShipped: by ${shipped.carrier}`);
  }
}

@Module({
  imports: [BuslineModule.forRoot({ local: true })],
  controllers: [OrdersController],
  providers: [OrdersRepository, OrdersService],
})
export class AppModule {}

export async function main(): Promise<void> {
  // logger: false keeps the output to the example's own lines.
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const bus = app.get(PubSubClient);

  await bus.publish('orders/created', Object.assign(new OrderCreated(), { id: '42' }));
  await bus.publish('orders/42/status', Object.assign(new OrderStatus(), { status: 'paid' }));
  await bus.publish('orders/cancelled', Object.assign(new OrderCreated(), { id: '43' }));
  await bus.publish('legacy/orders/44/refund', Object.assign(new OrderCreated(), { id: '44' }));
  await bus.publish('orders/shipped', Object.assign(new OrderShipped(), { carrier: 'post' }));

  await app.close(); // lets the handlers finish
  console.log(`stored: ${[...app.get(OrdersRepository).orders.keys()].join(', ')}`);
}
