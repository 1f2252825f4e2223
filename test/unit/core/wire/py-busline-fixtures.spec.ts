import 'reflect-metadata';
import { Type } from 'class-transformer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Event } from '../../../../lib/core/event';
import { addToRegistry, EventRegistry } from '../../../../lib/core/event.registry';
import type { Message, MessageClass } from '../../../../lib/core/message';
import { AvroMessage, type AvroRecordSchema } from '../../../../lib/core/messages/avro.message';
import { Float32Message } from '../../../../lib/core/messages/float32.message';
import { Float64Message } from '../../../../lib/core/messages/float64.message';
import { Int32Message } from '../../../../lib/core/messages/int32.message';
import { Int64Message } from '../../../../lib/core/messages/int64.message';
import { JsonMessage } from '../../../../lib/core/messages/json.message';
import { StringMessage } from '../../../../lib/core/messages/string.message';
import { RegistryPassthroughEvent } from '../../../../lib/core/wire/registry-passthrough.event';
import {
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
} from '../../../../lib/core/wire/registry-passthrough-event.json';

const FIXTURES = path.join(__dirname, '../../../fixtures/py-busline-wire');

interface Tagged {
  __type__: 'datetime' | 'bytes';
  value: string;
}
interface FixtureCase {
  name: string;
  file: string;
  size: number;
  sha256: string;
  kind: 'event' | 'envelope' | 'publish_api';
  deterministic: boolean;
  message_type: string | null;
  payload_format_type: string | null;
  serialized_payload_base64: string | null;
  expected: {
    identifier: string | Tagged;
    publisher_identifier: string;
    timestamp: string | Tagged;
    payload_class: string | null;
    value: Record<string, unknown> | null;
  };
}
const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'manifest.json'), 'utf8')) as {
  cases: FixtureCase[];
  message_classes: Record<string, { avro_schema: AvroRecordSchema }>;
};

// The Python classes of the fixtures, as a TypeScript user writes them.
@addToRegistry
class MockUserCreationMessage extends JsonMessage {
  email = '';
  password = '';
}

class Product {
  name = '';
  price = 0;
}
class Order {
  @Type(() => Product) products: Product[] = [];
  user = '';
}
@addToRegistry
class NewOrderMessage extends AvroMessage {
  static override schema = manifest.message_classes.NewOrderMessage.avro_schema;
  @Type(() => Order) order = new Order();
  _when: Date | null = null;
}

const CLASSES: Record<string, MessageClass> = {
  StringMessage,
  Int64Message,
  Int32Message,
  Float32Message,
  Float64Message,
  MockUserCreationMessage,
  NewOrderMessage,
};

/** The instant a Python isoformat text stands for, in ms (naive = UTC, digits past ms dropped). */
function instantOf(text: string): number {
  const m = /^(.{19})(?:\.(\d{1,6}))?(.*)$/.exec(text)!;
  const millis = ((m[2] ?? '') + '000').slice(0, 3);
  return Date.parse(`${m[1]}.${millis}${m[3] === '' ? 'Z' : m[3]}`);
}

/** What Python's isoformat() writes for that instant as an aware UTC datetime (test oracle). */
function pythonUtcText(ms: number): string {
  const iso = new Date(ms).toISOString();
  const millis = iso.slice(20, 23);
  return `${iso.slice(0, 19)}${millis === '000' ? '' : `.${millis}000`}+00:00`;
}

/** The envelope text with the timestamp member (always last) replaced by a placeholder. */
function withoutTimestamp(text: string): string {
  const at = text.lastIndexOf(', "timestamp": ');
  expect(at).toBeGreaterThan(0);
  return text.slice(0, at) + ', "timestamp": <normalised>}';
}

function expectPayload(fixture: FixtureCase, payload: Message | null): void {
  const { payload_class: payloadClass, value } = fixture.expected;
  if (payloadClass === null) {
    expect(payload).toBeNull();
    return;
  }
  expect(payload).toBeInstanceOf(CLASSES[payloadClass]);
  if (payload instanceof NewOrderMessage) {
    const expected = value as {
      order: { products: Product[]; user: string };
      _when: Tagged;
    };
    expect(payload.order).toBeInstanceOf(Order);
    expect(payload.order.user).toBe(expected.order.user);
    expect(payload.order.products.every((p) => p instanceof Product)).toBe(true);
    expect(payload.order.products.map((p) => ({ ...p }))).toEqual(expected.order.products);
    expect(payload._when?.getTime()).toBe(instantOf(expected._when.value));
  } else {
    expect({ ...payload }).toEqual(value);
  }
}

const allCases = manifest.cases.map((fixture) => [fixture.name, fixture] as const);

describe.each(allCases)('py-busline fixture %s', (_name, fixture) => {
  const bytes = fs.readFileSync(path.join(FIXTURES, fixture.file));

  it('is the verbatim file of the manifest', () => {
    expect(bytes.length).toBe(fixture.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(fixture.sha256);
  });

  it('decodes as py-busline decodes it (manifest "expected")', () => {
    const before = Date.now();
    const envelope = registryPassthroughEventJsonDeserializer(bytes);
    const event: Event = envelope.toEvent();
    const after = Date.now();

    const { identifier, publisher_identifier: publisher, timestamp } = fixture.expected;
    // A datetime identifier (Python publish() defect) becomes its ISO text.
    expect(event.identifier).toBe(typeof identifier === 'string' ? identifier : identifier.value);
    expect(event.publisherIdentifier).toBe(publisher);
    expect(event.timestamp).toBeInstanceOf(Date);
    if (typeof timestamp === 'string') {
      // A plain-string timestamp that is no date ('explicit-id', a UUID): the decoding time.
      expect(event.timestamp.getTime()).toBeGreaterThanOrEqual(before);
      expect(event.timestamp.getTime()).toBeLessThanOrEqual(after);
    } else {
      expect(event.timestamp.getTime()).toBe(instantOf(timestamp.value));
    }

    expect(envelope.messageType).toBe(fixture.message_type);
    expect(envelope.payloadFormatType).toBe(fixture.payload_format_type);
    expect(
      envelope.serializedPayload === null
        ? null
        : Buffer.from(envelope.serializedPayload).toString('base64'),
    ).toBe(fixture.serialized_payload_base64);
    expectPayload(fixture, event.payload);
  });

  it('re-encodes to an envelope that decodes to the same event', () => {
    const event = registryPassthroughEventJsonDeserializer(bytes).toEvent();
    const again = registryPassthroughEventJsonDeserializer(
      registryPassthroughEventJsonSerializer(reencode(fixture, event)),
    ).toEvent();
    expect(again.identifier).toBe(event.identifier);
    expect(again.publisherIdentifier).toBe(event.publisherIdentifier);
    expect(again.timestamp.getTime()).toBe(event.timestamp.getTime());
    expectPayload(fixture, again.payload);
  });

  if (fixture.deterministic) {
    it('re-encodes byte for byte, apart from the timestamp text', () => {
      const event = registryPassthroughEventJsonDeserializer(bytes).toEvent();
      const ours = Buffer.from(registryPassthroughEventJsonSerializer(reencode(fixture, event)));
      expect(withoutTimestamp(ours.toString('latin1'))).toBe(
        withoutTimestamp(bytes.toString('latin1')),
      );
      expect(ours.every((byte) => byte < 0x80)).toBe(true);
    });
  }

  const pythonTimestamp = fixture.expected.timestamp;
  if (fixture.deterministic && typeof pythonTimestamp !== 'string') {
    it('re-encodes to the exact bytes Python writes for the same instant as aware UTC', () => {
      const event = registryPassthroughEventJsonDeserializer(bytes).toEvent();
      const ours = registryPassthroughEventJsonSerializer(reencode(fixture, event));
      const expected = bytes
        .toString('latin1')
        .replace(
          `"timestamp": {"__type__": "datetime", "value": "${pythonTimestamp.value}"}}`,
          `"timestamp": {"__type__": "datetime", "value": "${pythonUtcText(instantOf(pythonTimestamp.value))}"}}`,
        );
      expect(expected).not.toBe(bytes.toString('latin1'));
      expect(Buffer.from(ours)).toEqual(Buffer.from(expected, 'latin1'));
    });
  }
});

/**
 * The envelope of `event` as the fixture's generator built it: `fromEvent` for 'event' and
 * 'publish_api' cases, the payload in the fixture's own format for 'envelope' cases.
 */
function reencode(fixture: FixtureCase, event: Event): RegistryPassthroughEvent {
  if (fixture.kind !== 'envelope' || event.payload === null) {
    return RegistryPassthroughEvent.fromEvent(event);
  }
  const [payloadFormatType, serializedPayload] = event.payload.serialize(
    fixture.payload_format_type!,
  );
  return new RegistryPassthroughEvent({
    identifier: event.identifier,
    publisherIdentifier: event.publisherIdentifier,
    serializedPayload,
    payloadFormatType,
    messageType: new EventRegistry().messageTypeOf(event.payload.constructor as MessageClass),
    timestamp: event.timestamp,
  });
}

describe('exact bytes where our timestamp text is Python’s', () => {
  it('writes timestamp_whole_second with an aware UTC instant exactly as Python would', () => {
    const event = RegistryPassthroughEvent.fromEvent(
      // The same event with the timestamp as an aware UTC datetime in Python.
      registryPassthroughEventJsonDeserializer(
        fs.readFileSync(path.join(FIXTURES, 'timestamp_whole_second.bin')),
      ).toEvent(),
    );
    expect(Buffer.from(registryPassthroughEventJsonSerializer(event)).toString('latin1')).toBe(
      '{"identifier": "fixture-timestamp_whole_second", "publisher_identifier": "py-busline-fixtures", ' +
        '"serialized_payload": {"__type__": "bytes", "value": "dA=="}, "payload_format_type": "utf-8", ' +
        '"message_type": "StringMessage", "timestamp": {"__type__": "datetime", "value": "2025-06-01T12:30:45+00:00"}}',
    );
  });
});
