import 'reflect-metadata';
import { Type } from 'class-transformer';
import { AvroMessage, type AvroRecordSchema } from '../../../lib/core/messages/avro.message';
import { JsonMessage } from '../../../lib/core/messages/json.message';

/** One line of an order. */
export class OrderLine {
  sku = '';
  name = '';
  price = 0;
  quantity = 0;
}

/** The e-commerce order as a JSON message (class-transformer maps the fields). */
export class JsonOrder extends JsonMessage {
  id = '';
  user = '';
  @Type(() => OrderLine) lines: OrderLine[] = [];
  total = 0;
  currency = '';
}

/** The same order as an Avro message (schema compiled once per class). */
export class AvroOrder extends AvroMessage {
  static override schema: AvroRecordSchema = {
    type: 'record',
    name: 'AvroOrder',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'user', type: 'string' },
      {
        name: 'lines',
        type: {
          type: 'array',
          items: {
            type: 'record',
            name: 'OrderLine',
            fields: [
              { name: 'sku', type: 'string' },
              { name: 'name', type: 'string' },
              { name: 'price', type: 'double' },
              { name: 'quantity', type: 'int' },
            ],
          },
        },
      },
      { name: 'total', type: 'double' },
      { name: 'currency', type: 'string' },
    ],
  };

  id = '';
  user = '';
  @Type(() => OrderLine) lines: OrderLine[] = [];
  total = 0;
  currency = '';
}

/** The fields of the order every contender carries. */
export function orderFields(): Omit<JsonOrder, keyof JsonMessage> {
  const lines = [
    { sku: 'LAMP-01', name: 'Desk lamp', price: 19.9, quantity: 2 },
    { sku: 'BULB-E27', name: 'LED bulb E27 (warm white)', price: 4.25, quantity: 6 },
    { sku: 'CABLE-3M', name: 'Extension cable, 3 m', price: 12.5, quantity: 1 },
  ].map((line) => Object.assign(new OrderLine(), line));
  return {
    id: 'ord-2025-000042',
    user: 'ada@example.com',
    lines,
    total: lines.reduce((sum, line) => sum + line.price * line.quantity, 0),
    currency: 'EUR',
  };
}
