import 'reflect-metadata';
import { Type } from 'class-transformer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PayloadDecodeError } from '../../../../lib/core/errors/payload-decode.error';
import { EventRegistry } from '../../../../lib/core/event.registry';
import { UnsupportedFormatError } from '../../../../lib/core/errors/unsupported-format.error';
import { JsonFloat } from '../../../../lib/core/messages/json-float.decorator';
import { JsonMessage } from '../../../../lib/core/messages/json.message';

interface ManifestCase {
  name: string;
  serialized_payload_base64: string | null;
}
const manifest = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../fixtures/py-busline-wire/manifest.json'), 'utf8'),
) as { cases: ManifestCase[] };
const payloadOf = (name: string) =>
  Buffer.from(manifest.cases.find((c) => c.name === name)!.serialized_payload_base64!, 'base64');

/** The TypeScript mirror of tests/event_tests.py's MockUserCreationMessage: no toJson/fromJson. */
class MockUserCreationMessage extends JsonMessage {
  email = '';
  password = '';

  static of(email: string, password: string): MockUserCreationMessage {
    return Object.assign(new MockUserCreationMessage(), { email, password });
  }
}

class Product {
  name = '';
  @JsonFloat() price = 0;
}

class Order {
  @Type(() => Product) products: Product[] = [];
  user = '';
  @Type(() => Date) placedAt: Date = new Date(0);
}

class OrderPlaced extends JsonMessage {
  @Type(() => Order) order = new Order();
  @JsonFloat() weights: number[] = [];
  quantity = 0;
  big: bigint | number = 0;
  note: string | null = null;
}

describe('JsonMessage', () => {
  it('writes the fixture payload of json_custom_user byte for byte', () => {
    const [formatType, data] = MockUserCreationMessage.of(
      'john.doe@email.com',
      's3cr3t!',
    ).serialize();
    expect(formatType).toBe('json');
    expect(Buffer.from(data)).toEqual(payloadOf('json_custom_user'));
  });

  it('writes the fixture payload of json_custom_user_non_ascii byte for byte', () => {
    const [, data] = MockUserCreationMessage.of('jürgen@example.com', 'pässwörd😀').serialize(
      'json',
    );
    expect(Buffer.from(data)).toEqual(payloadOf('json_custom_user_non_ascii'));
  });

  it('reads the fixture payloads into instances', () => {
    const message = MockUserCreationMessage.deserialize(
      'json',
      payloadOf('json_custom_user_non_ascii'),
    );
    expect(message).toBeInstanceOf(MockUserCreationMessage);
    expect(message.email).toBe('jürgen@example.com');
    expect(message.password).toBe('pässwörd😀');
  });

  // tests/event_tests.py: test_json_payload
  it('round-trips through serialize/deserialize (test_json_payload)', () => {
    const message = MockUserCreationMessage.of('email', 'password');
    const [formatType, serialized] = message.serialize();
    expect(serialized).toBeInstanceOf(Uint8Array);
    expect(formatType).toBe('json');
    const received = MockUserCreationMessage.deserialize(formatType, serialized);
    expect(received.email).toBe(message.email);
    expect(received.password).toBe(message.password);
  });

  it('maps nested classes, arrays, dates, floats and big ints both ways', () => {
    const message = new OrderPlaced();
    message.order.products = [
      Object.assign(new Product(), { name: 'Keyboard', price: 49.99 }),
      Object.assign(new Product(), { name: 'Mouse', price: 20 }),
    ];
    message.order.user = 'john.doe@email.com';
    message.order.placedAt = new Date('2025-06-01T12:30:45.123Z');
    message.weights = [1, 2.5];
    message.quantity = 2;
    message.big = 9007199254740993n;

    expect(message.toJson()).toBe(
      '{"order": {"products": [{"name": "Keyboard", "price": 49.99}, {"name": "Mouse", "price": 20.0}], ' +
        '"user": "john.doe@email.com", "placedAt": "2025-06-01T12:30:45.123000+00:00"}, ' +
        '"weights": [1.0, 2.5], "quantity": 2, "big": 9007199254740993, "note": null}',
    );

    const back = OrderPlaced.deserialize('json', message.serialize()[1]);
    expect(back).toBeInstanceOf(OrderPlaced);
    expect(back.order).toBeInstanceOf(Order);
    expect(back.order.products[1]).toBeInstanceOf(Product);
    expect(back.order.products.map((p) => p.price)).toEqual([49.99, 20]);
    expect(back.order.placedAt).toBeInstanceOf(Date);
    expect(back.order.placedAt.toISOString()).toBe('2025-06-01T12:30:45.123Z');
    expect(back.weights).toEqual([1, 2.5]);
    expect(back.big).toBe(9007199254740993n);
    expect(back.note).toBeNull();
  });

  it('inherits @JsonFloat marks', () => {
    class Priced extends JsonMessage {
      @JsonFloat() price = 1;
    }
    class Discounted extends Priced {
      @JsonFloat() discount = 0;
      count = 3;
    }
    expect(new Discounted().toJson()).toBe('{"price": 1.0, "discount": 0.0, "count": 3}');
  });

  it('lets a subclass override toJson and fromJson', () => {
    class Upper extends JsonMessage {
      text = '';
      override toJson(): string {
        return JSON.stringify({ t: this.text.toUpperCase() });
      }
      static override fromJson(json: string): Upper {
        return Object.assign(new Upper(), { text: (JSON.parse(json) as { t: string }).t });
      }
    }
    const message = Object.assign(new Upper(), { text: 'abc' });
    const [, data] = message.serialize();
    expect(Buffer.from(data).toString()).toBe('{"t":"ABC"}');
    expect(Upper.deserialize('json', data).text).toBe('ABC');
  });

  it('supports only the json format', () => {
    expect(() => MockUserCreationMessage.of('a', 'b').serialize('avro')).toThrow(
      UnsupportedFormatError,
    );
    expect(() => MockUserCreationMessage.deserialize('utf-8', Buffer.from('{}'))).toThrow(
      UnsupportedFormatError,
    );
    expect(MockUserCreationMessage.deserialize(null, Buffer.from('{"email": "x"}')).email).toBe(
      'x',
    );
  });

  it.each<[string, Buffer, RegExp]>([
    ['invalid UTF-8', Buffer.from('ff', 'hex'), /not valid UTF-8/],
    ['invalid JSON', Buffer.from('{"email": '), /MockUserCreationMessage.*'json'/],
    ['a JSON array', Buffer.from('["x"]'), /expected a JSON object, got an array/],
    ['JSON null', Buffer.from('null'), /expected a JSON object, got null/],
  ])('refuses %s with a PayloadDecodeError', (_case, data, reason) => {
    expect(() => MockUserCreationMessage.deserialize('json', data)).toThrow(PayloadDecodeError);
    expect(() => MockUserCreationMessage.deserialize('json', data)).toThrow(reason);
  });

  it('wraps an error thrown by a custom fromJson in a PayloadDecodeError', () => {
    class Picky extends JsonMessage {
      static override fromJson(): Picky {
        throw new RangeError('not today');
      }
    }
    expect(() => Picky.deserialize('json', Buffer.from('{}'))).toThrow(PayloadDecodeError);
    expect(() => Picky.deserialize('json', Buffer.from('{}'))).toThrow(/Picky.*not today/);
  });

  it('registers under its class name when published, as any message', () => {
    expect(new EventRegistry().messageTypeOf(MockUserCreationMessage)).toBe(
      'MockUserCreationMessage',
    );
  });
});
