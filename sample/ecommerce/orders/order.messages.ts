import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsDate,
  IsEmail,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  ValidateNested,
} from 'class-validator';
import { AvroMessage, type AvroRecordSchema, Message } from 'busline';

/** A product in an order. Also the shape `POST /orders` takes. */
export class Product {
  @IsString()
  @IsNotEmpty()
  name = '';

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  price = 0;

  static of(name: string, price: number): Product {
    return Object.assign(new Product(), { name, price });
  }
}

/** What a user buys: the body of `POST /orders`, and the heart of a {@link NewOrderMessage}. */
export class Order {
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => Product)
  products: Product[] = [];

  @IsEmail()
  user = '';

  static of(user: string, products: readonly Product[]): Order {
    return Object.assign(new Order(), { user, products: [...products] });
  }

  /** The order's total price. */
  get total(): number {
    return this.products.reduce((sum, product) => sum + product.price, 0);
  }
}

/**
 * A new order, as the backend publishes it on `new_order`. The Avro schema is the one Python's
 * `dataclasses_avroschema` generates for the Python example's `NewOrderMessage`, field order
 * included, so both libraries read each other's orders byte for byte.
 */
@Message()
export class NewOrderMessage extends AvroMessage {
  static override schema: AvroRecordSchema = {
    type: 'record',
    name: 'NewOrderMessage',
    fields: [
      {
        name: 'order',
        type: {
          type: 'record',
          name: 'Order',
          fields: [
            {
              name: 'products',
              type: {
                type: 'array',
                items: {
                  type: 'record',
                  name: 'Product',
                  fields: [
                    { name: 'name', type: 'string' },
                    { name: 'price', type: 'double' },
                  ],
                },
                name: 'product',
              },
            },
            { name: 'user', type: 'string' },
          ],
        },
      },
      // When the order was placed; null is allowed, as in Python.
      {
        name: '_when',
        type: ['null', { type: 'long', logicalType: 'timestamp-millis' }],
        default: null,
      },
    ],
  };

  @ValidateNested()
  @Type(() => Order)
  order = new Order();

  @IsOptional()
  @IsDate()
  _when: Date | null = null;

  /** A message for `order`, placed now. */
  static of(order: Order, when: Date = new Date()): NewOrderMessage {
    return Object.assign(new NewOrderMessage(), { order, _when: when });
  }
}
