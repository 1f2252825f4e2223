import { Type } from 'class-transformer';
import {
  AvroMessage,
  type AvroRecordSchema,
  Float32Message,
  Int64Message,
  JsonMessage,
  Message,
  StringMessage,
} from 'busline';

// JSON: declare the fields; nested classes and dates need @Type to come back as instances.
class Address {
  city = '';
  @Type(() => Date) since = new Date(0);
}

@Message()
class UserCreated extends JsonMessage {
  email = '';
  @Type(() => Address) address = new Address();
}

// Avro: declare the schema once; it is compiled once per class.
class Product {
  name = '';
  price = 0;
}

@Message('new_order')
class NewOrder extends AvroMessage {
  static override schema: AvroRecordSchema = {
    type: 'record',
    name: 'NewOrder',
    fields: [
      { name: 'user', type: 'string' },
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
        },
      },
    ],
  };

  user = '';
  @Type(() => Product) products: Product[] = [];
}

export async function main(): Promise<void> {
  // Primitive wrappers: raw bytes by default, JSON and Avro on request.
  const [format, bytes] = new StringMessage('hello').serialize();
  console.log(format, Buffer.from(bytes).toString()); // utf-8 hello
  console.log(Buffer.from(new Int64Message(42).serialize('json')[1]).toString()); // {"value": 42}
  const big = Int64Message.deserialize('bytes', new Int64Message(2n ** 62n).serialize()[1]);
  console.log(big.value === 2n ** 62n); // beyond the safe integers: a bigint, exact
  console.log(Float32Message.deserialize('bytes', new Float32Message(0.5).serialize()[1]).value);

  const user = Object.assign(new UserCreated(), {
    email: 'ada@example.com',
    address: Object.assign(new Address(), { city: 'London', since: new Date('2020-01-01') }),
  });
  const back = UserCreated.deserialize('json', user.serialize()[1]);
  console.log(back.address instanceof Address, back.address.since.getUTCFullYear()); // true 2020

  const order = Object.assign(new NewOrder(), {
    user: 'ada',
    products: [Object.assign(new Product(), { name: 'lamp', price: 19.9 })],
  });
  const decoded = NewOrder.deserialize('avro', order.serialize()[1]);
  console.log(decoded.products[0] instanceof Product, decoded.products[0].price); // true 19.9
}
