import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Type } from 'class-transformer';
import { IsEmail, IsEnum, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { JsonMessage, Message } from 'busline';
import {
  BuslineModule,
  Payload,
  Publishes,
  Subscribe,
  TopicParams,
  asyncApiToYaml,
  createAsyncApiDocument,
} from 'busline/nest';

export enum Priority {
  Normal = 'normal',
  Express = 'express',
}

export class Line {
  @IsString() sku = '';
  @IsInt() @Min(1) quantity = 1;
}

@Message('shop.OrderPlaced')
export class OrderPlaced extends JsonMessage {
  @IsEmail() customer = '';
  @IsEnum(Priority) priority = Priority.Normal;
  @ValidateNested({ each: true }) @Type(() => Line) lines: Line[] = [];
  @IsOptional() @IsString() note?: string;
}

@Injectable()
export class Checkout {
  // Publish calls cannot be discovered: @Publishes declares them for the document.
  @Publishes('orders/+id/placed', OrderPlaced, { qos: 1 })
  place(): void {}
}

@Injectable()
export class Shipping {
  @Subscribe('orders/+id/placed', { qos: 1, group: 'shipping' })
  onPlaced(@Payload() _order: OrderPlaced, @TopicParams('id') _id: string): void {}
}

@Module({
  imports: [
    BuslineModule.forRoot({ identifier: 'shop', mqtt: { url: 'mqtt://broker.example:1883' } }),
  ],
  providers: [Checkout, Shipping],
})
export class ShopModule {}

export async function main(): Promise<void> {
  // Preview mode: nothing is instantiated, nothing connects to the broker.
  const app = await NestFactory.createApplicationContext(ShopModule, {
    preview: true,
    logger: false,
  });
  const document = createAsyncApiDocument(app, { title: 'Shop', version: '2.1.0' });

  const channel = document.channels['orders.id.placed'];
  console.log(
    `channel ${channel.address} with parameters ${Object.keys(channel.parameters ?? {})}`,
  );
  for (const [id, operation] of Object.entries(document.operations)) {
    console.log(`${id}: ${operation.action} by ${operation['x-busline-handler']}`);
  }
  const order = document.components.schemas!.OrderPlaced;
  console.log(`OrderPlaced requires ${order.required}`);
  console.log(asyncApiToYaml(document).split('\n')[0]);
}

if (require.main === module) void main();
