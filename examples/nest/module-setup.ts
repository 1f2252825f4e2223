import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Event, type StringMessage } from 'busline';
import { BuslineClient, BuslineModule, Subscribe } from 'busline/nest';
import { startEmbeddedBroker } from 'busline/testing';

@Injectable()
export class OrdersService {
  readonly created: string[] = [];

  @Subscribe('orders/created')
  onCreated(topic: string, event: Event<StringMessage>): void {
    this.created.push(`${topic}: ${event.payload?.value}`);
  }
}

@Module({ providers: [OrdersService] })
export class OrdersModule {}

export async function main(): Promise<void> {
  // An MQTT broker in this process, for the example; yours has a URL like mqtt://127.0.0.1:1883.
  const broker = await startEmbeddedBroker();

  @Module({
    imports: [
      BuslineModule.forRoot({
        mqtt: { url: broker.url, qos: 1 },
      }),
      OrdersModule,
    ],
  })
  class AppModule {}

  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const bus = app.get(BuslineClient); // or PubSubClient: the same client
  console.log(`transports: ${bus.transportNames.join(', ')}`);

  const orders = app.get(OrdersService);
  await bus.publish('orders/created', 'order 42');
  await until(() => orders.created.length === 1); // the broker delivers it a moment later
  console.log(orders.created[0]);

  await app.close();
  await broker.close();
}

/** Resolves once `condition()` holds; rejects after `timeout` ms. */
async function until(condition: () => boolean, timeout = 5_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
