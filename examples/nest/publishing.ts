import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Event, type Int64Message, JsonMessage, Message } from 'busline';
import { BuslineClient, BuslineModule, Subscribe, Topic } from 'busline/nest';
import { startEmbeddedBroker } from 'busline/testing';

@Message('checkout.OrderCreated')
export class OrderCreated extends JsonMessage {
  id = '';
  total = 0;
}

@Injectable()
export class CheckoutService {
  // PubSubClient works too; BuslineClient, the same client, has the `transport` option typed.
  constructor(private readonly bus: BuslineClient) {}

  async checkout(id: string, total: number): Promise<void> {
    // Through every publisher of the module:
    const order = Object.assign(new OrderCreated(), { id, total });
    await this.bus.publish(`orders/${id}/created`, order);
    // Through some of them, by name, with MQTT options:
    await this.bus.publish('telemetry/checkout', 1, { transport: 'telemetry', qos: 0 });
  }
}

@Injectable()
export class Listeners {
  readonly seen: string[] = [];

  @Subscribe('orders/+/created', { transport: 'local' })
  onLocal(@Topic() topic: string): void {
    this.seen.push(`local: ${topic}`);
  }

  @Subscribe('orders/+/created', { transport: 'orders' })
  onOrdersBroker(@Topic() topic: string): void {
    this.seen.push(`orders broker: ${topic}`);
  }

  @Subscribe('telemetry/#', { transport: 'telemetry' })
  onTelemetry(topic: string, event: Event<Int64Message>): void {
    this.seen.push(`telemetry broker: ${topic} = ${event.payload?.value}`);
  }

  // No transport named: every subscriber, and each event once, whichever carried it first.
  @Subscribe('orders/+/created')
  onAny(@Topic() topic: string): void {
    this.seen.push(`any transport: ${topic}`);
  }
}

export async function main(): Promise<void> {
  // Two MQTT brokers in this process, for the example.
  const [ordersBroker, telemetryBroker] = await Promise.all([
    startEmbeddedBroker(),
    startEmbeddedBroker(),
  ]);

  @Module({
    imports: [
      BuslineModule.forRoot({
        local: true,
        mqtt: [
          { name: 'orders', url: ordersBroker.url, qos: 1 },
          { name: 'telemetry', hostname: telemetryBroker.host, port: telemetryBroker.port },
        ],
      }),
    ],
    providers: [CheckoutService, Listeners],
  })
  class AppModule {}

  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  console.log(app.get(BuslineClient).transportNames.join(', '));

  await app.get(CheckoutService).checkout('7', 19.9);
  const { seen } = app.get(Listeners);
  await until(() => seen.length === 4); // over a broker, events arrive a moment later
  console.log(seen.sort().join('\n'));

  await app.close();
  await Promise.all([ordersBroker.close(), telemetryBroker.close()]);
}

/** Resolves once `condition()` holds; rejects after `timeout` ms. */
async function until(condition: () => boolean, timeout = 5_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
