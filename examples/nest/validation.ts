import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsPositive, ValidateNested } from 'class-validator';
import { JsonMessage, Message } from 'busline';
import {
  BuslineClient,
  BuslineModule,
  MessageValidationError,
  Payload,
  Subscribe,
} from 'busline/nest';

export class OrderLine {
  @IsNotEmpty() sku = '';
  @IsInt() @IsPositive() quantity = 1;
}

@Message('orders.OrderCreated')
export class OrderCreated extends JsonMessage {
  @IsNotEmpty() id = '';
  @ValidateNested({ each: true }) @Type(() => OrderLine) lines: OrderLine[] = [];
}

@Message('orders.OrderShipped')
export class OrderShipped extends JsonMessage {
  id = '';
}

@Injectable()
export class OrdersService {
  @Subscribe('orders/created')
  onCreated(@Payload() order: OrderCreated): void {
    console.log(`created: order ${order.id}, ${order.lines.length} line(s)`);
  }

  @Subscribe('orders/+')
  onShipped(@Payload() shipped: OrderShipped): void {
    console.log(`shipped: order ${shipped.id}`);
  }
}

@Module({
  imports: [
    BuslineModule.forRoot({
      local: true,
      onError: (error) => {
        if (error instanceof MessageValidationError) {
          console.log(`invalid, ${error.handler} not called: ${error.violations.join('; ')}`);
        }
      },
    }),
  ],
  providers: [OrdersService],
})
export class AppModule {}

function order(id: string, sku: string, quantity: number): OrderCreated {
  const line = Object.assign(new OrderLine(), { sku, quantity });
  return Object.assign(new OrderCreated(), { id, lines: [line] });
}

export async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const bus = app.get(BuslineClient);

  for (const [topic, message] of [
    ['orders/created', order('1', 'lamp', 2)],
    ['orders/created', order('2', '', 0)],
    ['orders/shipped', Object.assign(new OrderShipped(), { id: '1' })],
  ] as const) {
    await bus.publish(topic, message);
    await bus.drain(); // every handler has finished: the output keeps its order
  }
  await app.close();
}
