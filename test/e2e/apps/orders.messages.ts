import 'reflect-metadata'; // class-transformer's @Type reads decorator metadata through it
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsPositive, IsString, ValidateNested } from 'class-validator';
import { Message } from '../../../lib/core/message.decorator';
import { JsonMessage } from '../../../lib/core/messages/json.message';

/** An order line; validated as part of {@link OrderCreated}. */
export class OrderLine {
  @IsString()
  @IsNotEmpty()
  sku = '';

  @IsInt()
  @IsPositive()
  quantity = 1;
}

/** A message with class-validator constraints, nested ones included. */
@Message('e2e.OrderCreated')
export class OrderCreated extends JsonMessage {
  @IsString()
  @IsNotEmpty()
  id = '';

  @ValidateNested({ each: true })
  @Type(() => OrderLine)
  lines: OrderLine[] = [];

  static of(id: string, ...lines: [sku: string, quantity: number][]): OrderCreated {
    const order = new OrderCreated();
    order.id = id;
    order.lines = lines.map(([sku, quantity]) => Object.assign(new OrderLine(), { sku, quantity }));
    return order;
  }
}

/** A message without constraints. */
@Message('e2e.OrderShipped')
export class OrderShipped extends JsonMessage {
  id = '';
  carrier = '';

  static of(id: string, carrier = 'post'): OrderShipped {
    return Object.assign(new OrderShipped(), { id, carrier });
  }
}
