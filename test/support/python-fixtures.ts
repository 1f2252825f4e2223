import 'reflect-metadata';
import { Type } from 'class-transformer';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addToRegistry } from '../../lib/core/event.registry';
import type { BuslineMessage, MessageClass } from '../../lib/core/message';
import { AvroMessage, type AvroRecordSchema } from '../../lib/core/messages/avro.message';
import { Float32Message } from '../../lib/core/messages/float32.message';
import { Float64Message } from '../../lib/core/messages/float64.message';
import { Int32Message } from '../../lib/core/messages/int32.message';
import { Int64Message } from '../../lib/core/messages/int64.message';
import { JsonMessage } from '../../lib/core/messages/json.message';
import { StringMessage } from '../../lib/core/messages/string.message';

/*
 * The py-busline wire fixtures (test/fixtures/py-busline-wire, produced by the Python library on a
 * live Mosquitto) and the Python message classes they use, written as a TypeScript user would.
 */

/** Where the fixture files are. */
export const FIXTURES_DIR = join(__dirname, '../fixtures/py-busline-wire');

/** `{"__type__": ..., "value": ...}` as in the manifest. */
export interface Tagged {
  __type__: 'datetime' | 'bytes';
  value: string;
}

/** One case of the manifest. */
export interface FixtureCase {
  name: string;
  file: string;
  size: number;
  sha256: string;
  serialized_payload_base64: string | null;
  kind: 'event' | 'envelope' | 'publish_api';
  deterministic: boolean;
  message_type: string | null;
  payload_format_type: string | null;
  expected: {
    identifier: string | Tagged;
    publisher_identifier: string;
    timestamp: string | Tagged;
    payload_class: string | null;
    value: Record<string, unknown> | null;
  };
}

/** The manifest. */
export const manifest = JSON.parse(readFileSync(join(FIXTURES_DIR, 'manifest.json'), 'utf8')) as {
  cases: FixtureCase[];
  message_classes: Record<string, { avro_schema: AvroRecordSchema }>;
};

/** The bytes of a fixture file. */
export function fixtureBytes(fixture: FixtureCase): Buffer {
  return readFileSync(join(FIXTURES_DIR, fixture.file));
}

/** Every `.bin` file next to the manifest (to check the manifest lists them all). */
export function fixtureFiles(): string[] {
  return readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.bin'));
}

/** py-busline's tests/event_tests.py `MockUserCreationMessage`. */
@addToRegistry
export class MockUserCreationMessage extends JsonMessage {
  email = '';
  password = '';
}

/** examples/ecommerce/order.py `Product`. */
export class Product {
  name = '';
  price = 0;
}

/** examples/ecommerce/order.py `Order`. */
export class Order {
  @Type(() => Product) products: Product[] = [];
  user = '';
}

/** examples/ecommerce/order.py `NewOrderMessage`, with the schema Python generates. */
@addToRegistry
export class NewOrderMessage extends AvroMessage {
  static override schema = manifest.message_classes.NewOrderMessage.avro_schema;
  @Type(() => Order) order = new Order();
  _when: Date | null = null;
}

/** Message classes by the names the fixtures use. */
export const FIXTURE_CLASSES: Record<string, MessageClass> = {
  StringMessage,
  Int64Message,
  Int32Message,
  Float32Message,
  Float64Message,
  MockUserCreationMessage,
  NewOrderMessage,
};

/** The instant a Python isoformat text stands for, in ms (naive = UTC, digits past ms dropped). */
export function instantOf(text: string): number {
  const m = /^(.{19})(?:\.(\d{1,6}))?(.*)$/.exec(text)!;
  const millis = ((m[2] ?? '') + '000').slice(0, 3);
  return Date.parse(`${m[1]}.${millis}${m[3] === '' ? 'Z' : m[3]}`);
}

/** What Python's isoformat() writes for that instant as an aware UTC datetime. */
export function pythonUtcText(ms: number): string {
  const iso = new Date(ms).toISOString();
  const millis = iso.slice(20, 23);
  return `${iso.slice(0, 19)}${millis === '000' ? '' : `.${millis}000`}+00:00`;
}

/** The envelope text with its timestamp member (always last) cut off, and the timestamp text. */
export function splitTimestamp(text: string): { rest: string; timestamp: string | undefined } {
  const at = text.lastIndexOf(', "timestamp": ');
  const tagged = /^, "timestamp": \{"__type__": "datetime", "value": "([^"]*)"\}\}$/.exec(
    text.slice(at),
  );
  return { rest: text.slice(0, at), timestamp: tagged?.[1] };
}

/** The message a fixture's `event` case carries, rebuilt from the manifest. */
export function fixturePayload(fixture: FixtureCase): InstanceType<MessageClass> | null {
  const { payload_class: payloadClass, value } = fixture.expected;
  if (payloadClass === null || value === null) return null;
  switch (payloadClass) {
    case 'StringMessage':
      return new StringMessage(value.value as string);
    case 'Float64Message':
      return new Float64Message(value.value as number);
    case 'Float32Message':
      return new Float32Message(value.value as number);
    case 'MockUserCreationMessage':
      return Object.assign(new MockUserCreationMessage(), value);
    case 'NewOrderMessage': {
      const expected = value as {
        order: { products: { name: string; price: number }[]; user: string };
        _when: Tagged;
      };
      const order = Object.assign(new Order(), {
        products: expected.order.products.map((p) => Object.assign(new Product(), p)),
        user: expected.order.user,
      });
      return Object.assign(new NewOrderMessage(), {
        order,
        _when: new Date(instantOf(expected._when.value)),
      });
    }
  }
  throw new Error(`No rebuild for ${payloadClass}`);
}

/** Expect `payload` to be what the fixture's manifest says py-busline decodes. */
export function expectFixturePayload(fixture: FixtureCase, payload: BuslineMessage | null): void {
  const { payload_class: payloadClass, value } = fixture.expected;
  if (payloadClass === null) {
    expect(payload).toBeNull();
    return;
  }
  expect(payload).toBeInstanceOf(FIXTURE_CLASSES[payloadClass]);
  if (payload instanceof NewOrderMessage) {
    const expected = value as { order: { products: Product[]; user: string }; _when: Tagged };
    expect(payload.order).toBeInstanceOf(Order);
    expect(payload.order.products.every((p) => p instanceof Product)).toBe(true);
    expect(payload.order.products.map((p) => ({ ...p }))).toEqual(expected.order.products);
    expect(payload.order.user).toBe(expected.order.user);
    expect(payload._when?.getTime()).toBe(instantOf(expected._when.value));
    return;
  }
  const fields = { ...(payload as unknown as Record<string, unknown>) };
  if (typeof fields.value === 'bigint') fields.value = Number(fields.value);
  expect({ fixture: fixture.name, ...fields }).toEqual({ fixture: fixture.name, ...value });
}
