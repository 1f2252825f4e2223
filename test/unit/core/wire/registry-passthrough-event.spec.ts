import { PayloadDecodeError } from '../../../../lib/core/errors/payload-decode.error';
import { Event } from '../../../../lib/core/event';
import { EnvelopeDecodeError } from '../../../../lib/core/errors/envelope-decode.error';
import { MessageTypeNotFoundError } from '../../../../lib/core/errors/message-type-not-found.error';
import { UnsupportedFormatError } from '../../../../lib/core/errors/unsupported-format.error';
import { EventRegistry } from '../../../../lib/core/event.registry';
import type { BuslineMessage } from '../../../../lib/core/message';
import { Float64Message } from '../../../../lib/core/messages/float64.message';
import { Int64Message } from '../../../../lib/core/messages/int64.message';
import { StringMessage } from '../../../../lib/core/messages/string.message';
import { RegistryPassthroughEvent } from '../../../../lib/core/wire/registry-passthrough.event';
import {
  registryPassthroughEventJsonDeserializer as deserialize,
  registryPassthroughEventJsonSerializer as serialize,
} from '../../../../lib/core/wire/registry-passthrough-event.json';

const TIMESTAMP = { __type__: 'datetime', value: '2025-06-01T12:30:45.123456' };
const HELLO = { __type__: 'bytes', value: 'aGVsbG8=' };

/** A valid envelope object (StringMessage "hello") with `changes` applied. */
function envelope(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    identifier: 'id-1',
    publisher_identifier: 'pub-1',
    serialized_payload: HELLO,
    payload_format_type: 'utf-8',
    message_type: 'StringMessage',
    timestamp: TIMESTAMP,
    ...changes,
  };
}
const bytesOf = (value: unknown) => Buffer.from(JSON.stringify(value));
const textOf = (data: Uint8Array) => Buffer.from(data).toString('latin1');

describe('registryPassthroughEventJsonSerializer', () => {
  it('writes the Python envelope layout exactly', () => {
    const data = serialize(
      new RegistryPassthroughEvent({
        identifier: 'évènement-😀 "quoted" \\ /',
        publisherIdentifier: 'éditeur-ü',
        serializedPayload: Buffer.from('hello'),
        payloadFormatType: 'utf-8',
        messageType: 'StringMessage',
        timestamp: new Date('2025-06-01T12:30:45.123Z'),
      }),
    );
    expect(data).toBeInstanceOf(Uint8Array);
    expect(textOf(data)).toBe(
      '{"identifier": "\\u00e9v\\u00e8nement-\\ud83d\\ude00 \\"quoted\\" \\\\ /", ' +
        '"publisher_identifier": "\\u00e9diteur-\\u00fc", ' +
        '"serialized_payload": {"__type__": "bytes", "value": "aGVsbG8="}, ' +
        '"payload_format_type": "utf-8", "message_type": "StringMessage", ' +
        '"timestamp": {"__type__": "datetime", "value": "2025-06-01T12:30:45.123000+00:00"}}',
    );
  });

  it('writes an event without payload with three nulls', () => {
    const data = serialize(
      RegistryPassthroughEvent.fromEvent(
        new Event({
          identifier: 'fixture-no_payload',
          publisherIdentifier: 'py-busline-fixtures',
          timestamp: new Date('2025-06-01T12:30:45Z'),
        }),
      ),
    );
    expect(textOf(data)).toBe(
      '{"identifier": "fixture-no_payload", "publisher_identifier": "py-busline-fixtures", ' +
        '"serialized_payload": null, "payload_format_type": null, "message_type": null, ' +
        '"timestamp": {"__type__": "datetime", "value": "2025-06-01T12:30:45+00:00"}}',
    );
  });

  it('encodes a payload that is a Uint8Array view at an offset, and empty payloads', () => {
    const backing = Uint8Array.of(0, 0, 104, 105, 0);
    const event = (payload: Uint8Array) =>
      new RegistryPassthroughEvent({
        identifier: 'i',
        publisherIdentifier: 'p',
        serializedPayload: payload,
        payloadFormatType: 'utf-8',
        messageType: 'StringMessage',
        timestamp: new Date(0),
      });
    expect(textOf(serialize(event(backing.subarray(2, 4))))).toContain('"value": "aGk="');
    expect(textOf(serialize(event(new Uint8Array(0))))).toContain('"value": ""');
    expect(deserialize(serialize(event(new Uint8Array(0)))).toEvent().payload).toEqual(
      new StringMessage(''),
    );
  });

  it('refuses a timestamp Python cannot hold', () => {
    const event = new RegistryPassthroughEvent({
      identifier: 'i',
      publisherIdentifier: 'p',
      serializedPayload: null,
      payloadFormatType: null,
      messageType: null,
      timestamp: new Date(NaN),
    });
    expect(() => serialize(event)).toThrow(RangeError);
  });
});

describe('RegistryPassthroughEvent.fromEvent / toEvent', () => {
  it('registers the payload class when it publishes, as Python does', () => {
    class FreshMessage implements BuslineMessage {
      serialize(): [string, Uint8Array] {
        return ['raw', Uint8Array.of(7)];
      }
      static deserialize(): FreshMessage {
        return new FreshMessage();
      }
    }
    expect(new EventRegistry().associations.has('FreshMessage')).toBe(false);
    const envelope = RegistryPassthroughEvent.fromEvent(
      new Event({ publisherIdentifier: 'p', payload: new FreshMessage() }),
    );
    expect(envelope.messageType).toBe('FreshMessage');
    expect(envelope.payloadFormatType).toBe('raw');
    expect(new EventRegistry().retrieveClass('FreshMessage')).toBe(FreshMessage);
    expect(deserialize(serialize(envelope)).toEvent().payload).toBeInstanceOf(FreshMessage);
  });

  it('sends under an explicit message type without registering it', () => {
    const envelope = RegistryPassthroughEvent.fromEvent(
      new Event({ publisherIdentifier: 'p', payload: new StringMessage('x') }),
      'text.v2',
    );
    expect(envelope.messageType).toBe('text.v2');
    expect(new EventRegistry().associations.has('text.v2')).toBe(false);
  });

  it('keeps identifier, publisher, timestamp and payload through the wire', () => {
    const event = new Event({
      publisherIdentifier: 'pub',
      payload: new Int64Message(-(2n ** 63n)),
      timestamp: new Date('2025-06-01T12:30:45.678Z'),
    });
    const received = deserialize(serialize(RegistryPassthroughEvent.fromEvent(event))).toEvent();
    expect(received.identifier).toBe(event.identifier);
    expect(received.identifier).toMatch(/^[0-9a-f-]{36}$/);
    expect(received.publisherIdentifier).toBe('pub');
    expect(received.timestamp.toISOString()).toBe('2025-06-01T12:30:45.678Z');
    expect(received.payload).toEqual(new Int64Message(-(2n ** 63n)));
  });

  it('reads a null payload as an event without payload, whatever message_type says', () => {
    const event = deserialize(
      bytesOf(envelope({ serialized_payload: null, payload_format_type: null })),
    ).toEvent();
    expect(event.payload).toBeNull();
  });

  it('refuses a payload without message_type', () => {
    const rpe = deserialize(bytesOf(envelope({ message_type: null })));
    expect(() => rpe.toEvent()).toThrow(EnvelopeDecodeError);
    expect(() => rpe.toEvent()).toThrow(/no message_type/);
  });

  it('reports an unknown message type with MessageTypeNotFoundError', () => {
    const rpe = deserialize(bytesOf(envelope({ message_type: 'NoSuchMessage' })));
    expect(() => rpe.toEvent()).toThrow(MessageTypeNotFoundError);
  });

  it('reports bytes the class cannot decode with the class’s typed errors', () => {
    const badUtf8 = deserialize(
      bytesOf(envelope({ serialized_payload: { __type__: 'bytes', value: '/w==' } })),
    );
    expect(() => badUtf8.toEvent()).toThrow(PayloadDecodeError);
    const badFormat = deserialize(bytesOf(envelope({ payload_format_type: 'bytes' })));
    expect(() => badFormat.toEvent()).toThrow(UnsupportedFormatError);
  });

  it('wraps a plain error from a custom class in a PayloadDecodeError', () => {
    class Fragile implements BuslineMessage {
      serialize(): [string, Uint8Array] {
        return ['raw', new Uint8Array(0)];
      }
      static deserialize(): Fragile {
        throw new Error('cannot read this');
      }
    }
    new EventRegistry().add(Fragile);
    const rpe = deserialize(
      bytesOf(envelope({ message_type: 'Fragile', payload_format_type: 'raw' })),
    );
    expect(() => rpe.toEvent()).toThrow(PayloadDecodeError);
    expect(() => rpe.toEvent()).toThrow(/Fragile.*'raw'.*cannot read this/);
  });

  it('passes a null format on, which the built-in classes read as their default', () => {
    const int64 = deserialize(
      bytesOf(
        envelope({
          message_type: 'Int64Message',
          payload_format_type: null,
          serialized_payload: { __type__: 'bytes', value: 'AAAAAAAAACo=' },
        }),
      ),
    ).toEvent();
    expect(int64.payload).toEqual(new Int64Message(42));
  });
});

describe('registryPassthroughEventJsonDeserializer: lenient where Python is', () => {
  const hello = new StringMessage('hello');

  it.each<[string, Buffer]>([
    ['compact separators', bytesOf(envelope())],
    [
      'raw UTF-8 instead of \\u escapes',
      Buffer.from(JSON.stringify(envelope({ identifier: 'évènement-😀' }))),
    ],
    [
      'members in another order and an extra member',
      bytesOf({ timestamp: TIMESTAMP, extra: [1, 2], ...envelope(), identifier: 'id-1' }),
    ],
    ['whitespace around', Buffer.from(`\n ${JSON.stringify(envelope(), null, 2)} \n`)],
  ])('%s', (_case, data) => {
    const event = deserialize(data).toEvent();
    expect(event.publisherIdentifier).toBe('pub-1');
    expect(event.payload).toEqual(hello);
    expect(event.timestamp.toISOString()).toBe('2025-06-01T12:30:45.123Z');
  });

  it.each<[string, unknown, string]>([
    [
      'datetime with Z',
      { __type__: 'datetime', value: '2025-06-01T12:30:45.123Z' },
      '2025-06-01T12:30:45.123Z',
    ],
    [
      'datetime with +00:00',
      { __type__: 'datetime', value: '2025-06-01T12:30:45.123+00:00' },
      '2025-06-01T12:30:45.123Z',
    ],
    [
      'whole seconds with Z',
      { __type__: 'datetime', value: '2025-06-01T12:30:45Z' },
      '2025-06-01T12:30:45.000Z',
    ],
    [
      'an offset',
      { __type__: 'datetime', value: '2025-06-01T14:30:45.005000+02:00' },
      '2025-06-01T12:30:45.005Z',
    ],
    ['a plain ISO string', '2025-06-01T12:30:45.123456', '2025-06-01T12:30:45.123Z'],
    ['a number (Unix seconds)', 1748781045.5, '2025-06-01T12:30:45.500Z'],
  ])('timestamp as %s', (_case, timestamp, expected) => {
    expect(deserialize(bytesOf(envelope({ timestamp }))).timestamp.toISOString()).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['a UUID string (publish() defect)', '279a2ccd-2122-42b2-8b75-e260b98eafd7'],
    ['the identifier string (publish() defect)', 'explicit-id'],
    ['null', null],
    ['an object without tag', { when: 'now' }],
    ['a bytes-tagged object', HELLO],
    ['a non-finite number', 1e300],
  ])('timestamp as %s falls back to the decoding time', (_case, timestamp) => {
    const before = Date.now();
    const decoded = deserialize(bytesOf(envelope({ timestamp }))).timestamp.getTime();
    expect(decoded).toBeGreaterThanOrEqual(before);
    expect(decoded).toBeLessThanOrEqual(Date.now());
  });

  it('reads a datetime identifier (publish() defect) as its ISO text', () => {
    const rpe = deserialize(
      bytesOf(
        envelope({ identifier: { __type__: 'datetime', value: '2026-11-25T13:06:24.001281' } }),
      ),
    );
    expect(rpe.identifier).toBe('2026-11-25T13:06:24.001281');
  });

  it('reads base64 with characters outside the alphabet dropped, as b64decode does', () => {
    const rpe = deserialize(
      bytesOf(envelope({ serialized_payload: { __type__: 'bytes', value: 'aGVs\nbG8=' } })),
    );
    expect(Buffer.from(rpe.serializedPayload!).toString()).toBe('hello');
  });

  it('reads an Int64Message of only 4 bytes and a JSON 9007199254740993 exactly', () => {
    const short = deserialize(
      bytesOf(
        envelope({
          message_type: 'Int64Message',
          payload_format_type: 'bytes',
          serialized_payload: { __type__: 'bytes', value: 'AAAAKg==' },
        }),
      ),
    ).toEvent();
    expect(short.payload).toEqual(new Int64Message(42));
    const big = deserialize(
      bytesOf(
        envelope({
          message_type: 'Int64Message',
          payload_format_type: 'json',
          serialized_payload: {
            __type__: 'bytes',
            value: Buffer.from('{"value": 9007199254740993}').toString('base64'),
          },
        }),
      ),
    ).toEvent();
    expect((big.payload as Int64Message).value).toBe(9007199254740993n);
  });

  it('accepts a Uint8Array view at an offset', () => {
    const data = bytesOf(
      envelope({
        message_type: 'Float64Message',
        payload_format_type: 'bytes',
        serialized_payload: { __type__: 'bytes', value: 'QAkeuFHrhR8=' },
      }),
    );
    const padded = new Uint8Array(data.length + 5);
    padded.set(data, 5);
    expect(deserialize(padded.subarray(5)).toEvent().payload).toEqual(new Float64Message(3.14));
  });
});

describe('registryPassthroughEventJsonDeserializer: strict where Python is', () => {
  it.each<[string, Uint8Array, RegExp, string | undefined]>([
    ['invalid UTF-8', Buffer.from('7bff7d', 'hex'), /not valid UTF-8/, undefined],
    [
      'a UTF-8 BOM',
      Buffer.concat([Buffer.from('efbbbf', 'hex'), bytesOf(envelope())]),
      /not JSON/,
      undefined,
    ],
    ['not JSON', Buffer.from('hello'), /not JSON/, undefined],
    ['empty bytes', new Uint8Array(0), /not JSON/, undefined],
    ['a JSON array', bytesOf([envelope()]), /expected a JSON object, got an array/, undefined],
    ['a JSON string', bytesOf('x'), /expected a JSON object/, undefined],
    ['JSON null', bytesOf(null), /expected a JSON object, got null/, undefined],
    [
      'no identifier',
      bytesOf({ ...envelope(), identifier: undefined }),
      /"identifier" is missing/,
      'identifier',
    ],
    [
      'no publisher_identifier',
      bytesOf({ ...envelope(), publisher_identifier: undefined }),
      /missing/,
      'publisher_identifier',
    ],
    [
      'no serialized_payload',
      bytesOf({ ...envelope(), serialized_payload: undefined }),
      /missing/,
      'serialized_payload',
    ],
    [
      'no payload_format_type',
      bytesOf({ ...envelope(), payload_format_type: undefined }),
      /missing/,
      'payload_format_type',
    ],
    [
      'no message_type',
      bytesOf({ ...envelope(), message_type: undefined }),
      /missing/,
      'message_type',
    ],
    ['no timestamp', bytesOf({ ...envelope(), timestamp: undefined }), /missing/, 'timestamp'],
    [
      'a numeric identifier',
      bytesOf(envelope({ identifier: 42 })),
      /"identifier" must be a string/,
      'identifier',
    ],
    [
      'a null publisher_identifier',
      bytesOf(envelope({ publisher_identifier: null })),
      /must be a string/,
      'publisher_identifier',
    ],
    [
      'a numeric message_type',
      bytesOf(envelope({ message_type: 1 })),
      /string or null/,
      'message_type',
    ],
    [
      'an object payload_format_type',
      bytesOf(envelope({ payload_format_type: {} })),
      /string or null/,
      'payload_format_type',
    ],
    [
      'an untagged base64 payload',
      bytesOf(envelope({ serialized_payload: 'aGVsbG8=' })),
      /must be null or/,
      'serialized_payload',
    ],
    [
      'a datetime-tagged payload',
      bytesOf(envelope({ serialized_payload: TIMESTAMP })),
      /must be null or/,
      'serialized_payload',
    ],
    [
      'base64 without padding',
      bytesOf(envelope({ serialized_payload: { __type__: 'bytes', value: 'aGVsbG8' } })),
      /padding/,
      'serialized_payload',
    ],
    [
      'URL-safe base64',
      bytesOf(envelope({ serialized_payload: { __type__: 'bytes', value: '_-8=' } })),
      /not base64 that Python reads/,
      'serialized_payload',
    ],
    [
      'a bytes tag without value',
      bytesOf(envelope({ serialized_payload: { __type__: 'bytes' } })),
      /not a string/,
      'serialized_payload',
    ],
    [
      'an invalid tagged datetime',
      bytesOf(envelope({ timestamp: { __type__: 'datetime', value: 'yesterday' } })),
      /invalid datetime "yesterday"/,
      'timestamp',
    ],
    [
      'a datetime tag with a number',
      bytesOf(envelope({ timestamp: { __type__: 'datetime', value: 5 } })),
      /not a string/,
      'timestamp',
    ],
    [
      'an invalid datetime identifier',
      bytesOf(envelope({ identifier: { __type__: 'datetime', value: 'soon' } })),
      /invalid datetime/,
      'identifier',
    ],
  ])('refuses %s with an EnvelopeDecodeError', (_case, data, reason, member) => {
    let error: unknown;
    try {
      deserialize(data);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvelopeDecodeError);
    expect((error as EnvelopeDecodeError).name).toBe('EnvelopeDecodeError');
    expect((error as EnvelopeDecodeError).message).toMatch(reason);
    expect((error as EnvelopeDecodeError).member).toBe(member);
  });
});
