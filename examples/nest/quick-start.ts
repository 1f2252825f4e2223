import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JsonMessage, Message, PubSubClient } from 'busline';
import { BuslineModule, Payload, Subscribe, Topic } from 'busline/nest';

@Message('orders.OrderCreated')
class OrderCreated extends JsonMessage {
  id = '';
  total = 0;
}

@Injectable()
class OrdersService {
  // Found at startup, on any provider or controller; '+' is a one-level wildcard.
  @Subscribe('orders/+/created')
  onCreated(@Payload() order: OrderCreated, @Topic() topic: string): void {
    console.log(`${topic}: order ${order.id}, total ${order.total}`);
  }
}

@Module({
  imports: [BuslineModule.forRoot({ local: true })], // or mqtt: { url: 'mqtt://...' }, or both
  providers: [OrdersService],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule);
  const bus = app.get(PubSubClient); // injectable anywhere in the application

  await bus.publish(
    'orders/42/created',
    Object.assign(new OrderCreated(), { id: '42', total: 19.9 }),
  );
  await app.close(); // lets running handlers finish, then disconnects
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
