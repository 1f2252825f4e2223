import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Event } from '../../../../lib/core/event';
import { EventRegistry } from '../../../../lib/core/event.registry';
import type { MessageClass } from '../../../../lib/core/message';
import { RegistryPassthroughEvent } from '../../../../lib/core/wire/registry-passthrough.event';
import {
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
} from '../../../../lib/core/wire/registry-passthrough-event.json';
import {
  expectFixturePayload,
  FIXTURES_DIR,
  instantOf,
  manifest,
  pythonUtcText,
  type FixtureCase,
} from '../../../support/python-fixtures';

/** The envelope text with the timestamp member (always last) replaced by a placeholder. */
function withoutTimestamp(text: string): string {
  const at = text.lastIndexOf(', "timestamp": ');
  expect(at).toBeGreaterThan(0);
  return text.slice(0, at) + ', "timestamp": <normalised>}';
}

const allCases = manifest.cases.map((fixture) => [fixture.name, fixture] as const);

describe.each(allCases)('py-busline fixture %s', (_name, fixture) => {
  const bytes = fs.readFileSync(path.join(FIXTURES_DIR, fixture.file));

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
    expectFixturePayload(fixture, event.payload);
  });

  it('re-encodes to an envelope that decodes to the same event', () => {
    const event = registryPassthroughEventJsonDeserializer(bytes).toEvent();
    const again = registryPassthroughEventJsonDeserializer(
      registryPassthroughEventJsonSerializer(reencode(fixture, event)),
    ).toEvent();
    expect(again.identifier).toBe(event.identifier);
    expect(again.publisherIdentifier).toBe(event.publisherIdentifier);
    expect(again.timestamp.getTime()).toBe(event.timestamp.getTime());
    expectFixturePayload(fixture, again.payload);
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
        fs.readFileSync(path.join(FIXTURES_DIR, 'timestamp_whole_second.bin')),
      ).toEvent(),
    );
    expect(Buffer.from(registryPassthroughEventJsonSerializer(event)).toString('latin1')).toBe(
      '{"identifier": "fixture-timestamp_whole_second", "publisher_identifier": "py-busline-fixtures", ' +
        '"serialized_payload": {"__type__": "bytes", "value": "dA=="}, "payload_format_type": "utf-8", ' +
        '"message_type": "StringMessage", "timestamp": {"__type__": "datetime", "value": "2025-06-01T12:30:45+00:00"}}',
    );
  });
});
