import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JsonMessage, Message, PubSubClient } from 'busline';
import { BuslineClient, BuslineModule, DeadLetterMessage, Payload, Subscribe } from 'busline/nest';

@Message('shop.OrderCreated')
export class OrderCreated extends JsonMessage {
  id = '';
}

@Message('shop.Charge')
export class Charge extends JsonMessage {
  amount = 0;
}

@Injectable()
export class Warehouse {
  stock = 0;

  @Subscribe('orders/created') // the module's retry policy and dead-letter topic
  reserve(@Payload() order: OrderCreated): void {
    if (this.stock === 0) throw new Error('out of stock');
    this.stock--;
    console.log(`reserved order ${order.id}`);
  }
}

@Injectable()
export class Payments {
  private attempts = 0;

  @Subscribe('payments/charge', { retry: { retries: 5, delay: 10, maxDelay: 100 } })
  async charge(@Payload() charge: Charge): Promise<void> {
    if (++this.attempts < 3) throw new Error('gateway timeout');
    console.log(`charged ${charge.amount} at attempt ${this.attempts}`);
  }

  @Subscribe('metrics/#', { retry: false, deadLetter: false })
  record(): void {
    throw new Error('metrics store down');
  }
}

@Injectable()
export class DeadLetters {
  private readonly letters: DeadLetterMessage[] = [];

  constructor(private readonly bus: PubSubClient) {}

  @Subscribe('dead-letter/#')
  onDeadLetter(@Payload() letter: DeadLetterMessage): void {
    this.letters.push(letter);
    console.log(`dead letter: ${letter.topic}, ${letter.handler}, attempts: ${letter.attempts}`);
  }

  async replay(): Promise<void> {
    for (const letter of this.letters.splice(0)) {
      const original = letter.originalPayload(); // an OrderCreated
      await this.bus.publish(letter.topic, original!);
    }
  }
}

@Module({
  imports: [
    BuslineModule.forRoot({
      local: true,
      retry: { retries: 2, delay: 10 },
      deadLetter: { topic: (topic) => `dead-letter/${topic}`, transport: 'local' },
      onError: (error, context) =>
        console.log(`onError: ${error.name} in ${context.binding}, attempts: ${context.attempts}`),
    }),
  ],
  providers: [Warehouse, Payments, DeadLetters],
})
export class AppModule {}

export async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const bus = app.get(BuslineClient);

  await bus.publish('payments/charge', Object.assign(new Charge(), { amount: 30 }));
  await bus.drain(); // resolves once every handler has finished, retries included
  await bus.publish('metrics/cpu', 0.5);
  await bus.drain();
  await bus.publish('orders/created', Object.assign(new OrderCreated(), { id: '42' }));
  await bus.drain();

  app.get(Warehouse).stock = 1; // the stock arrived: replay what failed
  await app.get(DeadLetters).replay();
  await bus.drain();
  await app.close();
}
