import 'reflect-metadata';
import * as avsc from 'avsc';
import { Type } from 'class-transformer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PayloadDecodeError } from '../../../../lib/core/errors/payload-decode.error';
import { UnsupportedFormatError } from '../../../../lib/core/errors/unsupported-format.error';
import {
  AvroMessage,
  AvroSchema,
  avroTypeOf,
  type AvroRecordSchema,
} from '../../../../lib/core/messages/avro.message';

interface ManifestCase {
  name: string;
  serialized_payload_base64: string | null;
}
const manifest = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../fixtures/py-busline-wire/manifest.json'), 'utf8'),
) as {
  cases: ManifestCase[];
  message_classes: Record<string, { avro_schema: AvroRecordSchema }>;
};
const newOrderPayload = Buffer.from(
  manifest.cases.find((c) => c.name === 'avro_custom_new_order')!.serialized_payload_base64!,
  'base64',
);

// examples/ecommerce/order.py, with the schema dataclasses-avroschema generates for it.
class Product {
  constructor(
    public name = '',
    public price = 0,
  ) {}
}

class Order {
  @Type(() => Product) products: Product[] = [];
  user = '';
}

class NewOrderMessage extends AvroMessage {
  static override schema = manifest.message_classes.NewOrderMessage.avro_schema;
  @Type(() => Order) order = new Order();
  _when: Date | null = null;
}

// tests/event_tests.py: MockUserCreationAvroPayload
class MockUserCreationAvroPayload extends AvroMessage {
  static override schema: AvroRecordSchema = {
    type: 'record',
    name: 'MockUserCreationAvroPayload',
    fields: [
      { name: 'email', type: 'string' },
      { name: 'password', type: 'string' },
    ],
  };
  email = '';
  password = '';
}

@AvroSchema({
  type: 'record',
  name: 'Measurement',
  fields: [
    { name: 'sensor', type: 'string' },
    { name: 'count', type: 'long' },
    { name: 'values', type: { type: 'array', items: 'double' } },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
  ],
})
class Measurement extends AvroMessage {
  sensor = '';
  count: number | bigint = 0;
  values: number[] = [];
  note: string | null = null;
  at = new Date(0);
}

describe('AvroMessage', () => {
  it('reads the e-commerce NewOrderMessage fixture into real class instances', () => {
    const message = NewOrderMessage.deserialize('avro', newOrderPayload);
    expect(message).toBeInstanceOf(NewOrderMessage);
    expect(message.order).toBeInstanceOf(Order);
    expect(message.order.user).toBe('john.doe@email.com');
    expect(message.order.products).toHaveLength(2);
    expect(message.order.products[0]).toBeInstanceOf(Product);
    expect(message.order.products.map((p) => [p.name, p.price])).toEqual([
      ['Keyboard', 49.99],
      ['Mouse', 19.99],
    ]);
    expect(message._when).toBeInstanceOf(Date);
    expect(message._when!.toISOString()).toBe('2025-06-01T12:30:45.123Z');
  });

  it('writes the NewOrderMessage fixture payload byte for byte', () => {
    const message = new NewOrderMessage();
    message.order.products = [new Product('Keyboard', 49.99), new Product('Mouse', 19.99)];
    message.order.user = 'john.doe@email.com';
    message._when = new Date('2025-06-01T12:30:45.123+00:00');
    const [formatType, data] = message.serialize();
    expect(formatType).toBe('avro');
    expect(Buffer.from(data)).toEqual(newOrderPayload);
    expect(Buffer.from(NewOrderMessage.deserialize('avro', data).serialize()[1])).toEqual(
      newOrderPayload,
    );
  });

  it('writes a null _when (the union null branch)', () => {
    const message = new NewOrderMessage();
    message.order.user = 'u';
    const back = NewOrderMessage.deserialize('avro', message.serialize()[1]);
    expect(back._when).toBeNull();
    expect(back.order.products).toEqual([]);
  });

  // tests/event_tests.py: test_avro_payload
  it('round-trips a flat record (test_avro_payload)', () => {
    const message = Object.assign(new MockUserCreationAvroPayload(), {
      email: 'email',
      password: 'password',
    });
    const [formatType, serialized] = message.serialize();
    expect(serialized).toBeInstanceOf(Uint8Array);
    expect(formatType).toBe('avro');
    const received = MockUserCreationAvroPayload.deserialize(formatType, serialized);
    expect(received).toBeInstanceOf(MockUserCreationAvroPayload);
    expect(received.email).toBe(message.email);
    expect(received.password).toBe(message.password);
  });

  it('takes the schema from @AvroSchema; longs, arrays, unions and timestamp-micros work', () => {
    const message: Measurement = Object.assign(new Measurement(), {
      sensor: 'thermo',
      count: 2n ** 62n,
      values: [1.5, -2],
      note: 'ok',
      at: new Date('2025-06-01T12:30:45.123Z'),
    });
    const back = Measurement.deserialize('avro', message.serialize()[1]);
    expect(back).toBeInstanceOf(Measurement);
    expect(back.count).toBe(2n ** 62n);
    expect(back.values).toEqual([1.5, -2]);
    expect(back.note).toBe('ok');
    expect(back.at.toISOString()).toBe('2025-06-01T12:30:45.123Z');
    message.count = 7;
    message.note = null;
    const again = Measurement.deserialize(null, message.serialize('avro')[1]);
    expect(again.count).toBe(7);
    expect(again.note).toBeNull();
  });

  it('compiles the schema once per class, never per message', () => {
    class Counted extends AvroMessage {
      static override schema: AvroRecordSchema = {
        type: 'record',
        name: 'Counted',
        fields: [{ name: 'n', type: 'long' }],
      };
      n = 1;
    }
    const forSchema = jest.spyOn(avsc.Type, 'forSchema');
    try {
      for (let i = 0; i < 50; i++) {
        const message = Object.assign(new Counted(), { n: i });
        expect(Counted.deserialize('avro', message.serialize()[1]).n).toBe(i);
      }
      // avsc calls forSchema recursively for the fields: count the top-level calls.
      const topLevel = forSchema.mock.calls.filter(
        ([schema]) => (schema as { name?: string }).name === 'Counted',
      );
      expect(topLevel).toHaveLength(1);
      expect(avroTypeOf(Counted)).toBe(avroTypeOf(Counted));
    } finally {
      forSchema.mockRestore();
    }
  });

  it('supports only the avro format', () => {
    expect(() => new MockUserCreationAvroPayload().serialize('json')).toThrow(
      UnsupportedFormatError,
    );
    expect(() => MockUserCreationAvroPayload.deserialize('json', Buffer.from('00', 'hex'))).toThrow(
      UnsupportedFormatError,
    );
  });

  it('refuses a value that does not match the schema, naming the field', () => {
    const message = new MockUserCreationAvroPayload();
    (message as unknown as { email: number }).email = 42;
    expect(() => message.serialize()).toThrow(TypeError);
    expect(() => message.serialize()).toThrow(/MockUserCreationAvroPayload.*email = 42/);
  });

  it('refuses a class without a schema', () => {
    class NoSchema extends AvroMessage {}
    expect(() => new NoSchema().serialize()).toThrow(/NoSchema needs an Avro record schema/);
  });

  it.each<[string, Buffer]>([
    ['an empty payload', Buffer.alloc(0)],
    ['a truncated payload', newOrderPayload.subarray(0, 20)],
    ['a payload cut inside the timestamp', newOrderPayload.subarray(0, newOrderPayload.length - 2)],
  ])('refuses %s with a PayloadDecodeError', (_case, data) => {
    expect(() => NewOrderMessage.deserialize('avro', data)).toThrow(PayloadDecodeError);
    expect(() => NewOrderMessage.deserialize('avro', data)).toThrow(/NewOrderMessage.*'avro'/);
  });
});
