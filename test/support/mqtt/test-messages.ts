import 'reflect-metadata';
import { Type } from 'class-transformer';
import { addToRegistry } from '../../../lib/core/event.registry';
import { AvroMessage, type AvroRecordSchema } from '../../../lib/core/messages/avro.message';
import { JsonMessage } from '../../../lib/core/messages/json.message';

/** A JSON message with a nested class and a date, for round trips over a transport. */
export class Address {
  city = '';
  @Type(() => Date) since = new Date(0);
}

/** See {@link Address}. */
@addToRegistry
export class UserRegistered extends JsonMessage {
  email = '';
  @Type(() => Address) address = new Address();
  tags: string[] = [];
}

/** An item of {@link OrderPlaced}. */
export class LineItem {
  sku = '';
  quantity = 0;
  price = 0;
}

/** An Avro message with a nested record array, a long and a timestamp. */
@addToRegistry
export class OrderPlaced extends AvroMessage {
  static override schema: AvroRecordSchema = {
    type: 'record',
    name: 'OrderPlaced',
    fields: [
      { name: 'orderId', type: 'long' },
      { name: 'customer', type: 'string' },
      {
        name: 'items',
        type: {
          type: 'array',
          items: {
            type: 'record',
            name: 'LineItem',
            fields: [
              { name: 'sku', type: 'string' },
              { name: 'quantity', type: 'int' },
              { name: 'price', type: 'double' },
            ],
          },
        },
      },
      { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    ],
  };

  orderId = 0;
  customer = '';
  @Type(() => LineItem) items: LineItem[] = [];
  placedAt = new Date(0);
}

/** A filled-in {@link UserRegistered}. */
export function sampleUser(): UserRegistered {
  return Object.assign(new UserRegistered(), {
    email: 'ada@example.com',
    address: Object.assign(new Address(), {
      city: 'Zürich',
      since: new Date(Date.UTC(2020, 1, 3)),
    }),
    tags: ['admin', 'beta ✓'],
  });
}

/** A filled-in {@link OrderPlaced}. */
export function sampleOrder(): OrderPlaced {
  return Object.assign(new OrderPlaced(), {
    orderId: 9_007_199_254_740_000,
    customer: 'ada',
    items: [
      Object.assign(new LineItem(), { sku: 'KB-1', quantity: 2, price: 49.99 }),
      Object.assign(new LineItem(), { sku: 'MS-7', quantity: 1, price: 19.99 }),
    ],
    placedAt: new Date(Date.UTC(2025, 5, 1, 12, 30, 45, 123)),
  });
}
