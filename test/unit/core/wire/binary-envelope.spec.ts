import * as avro from 'avsc';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Event } from '../../../../lib/core/event';
import type { BuslineMessage } from '../../../../lib/core/message';
import { Float32Message } from '../../../../lib/core/messages/float32.message';
import { Float64Message } from '../../../../lib/core/messages/float64.message';
import { Int32Message } from '../../../../lib/core/messages/int32.message';
import { Int64Message } from '../../../../lib/core/messages/int64.message';
import { StringMessage } from '../../../../lib/core/messages/string.message';
import { EnvelopeDecodeError } from '../../../../lib/core/errors/envelope-decode.error';
import { registryPassthroughEventAutoDeserializer } from '../../../../lib/core/wire/registry-passthrough-event.auto';
import {
  BINARY_ENVELOPE_MARKER,
  BINARY_ENVELOPE_SCHEMA,
  BINARY_ENVELOPE_VERSION,
  registryPassthroughEventBinaryDeserializer,
  registryPassthroughEventBinarySerializer,
} from '../../../../lib/core/wire/registry-passthrough-event.binary';
import {
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
} from '../../../../lib/core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../../../../lib/core/wire/registry-passthrough.event';

const FIXTURES = path.join(__dirname, '../../../fixtures/py-busline-wire');

/** A payload carried as raw bytes, as a user's own message class would. */
class BlobMessage implements BuslineMessage {
  constructor(readonly data: Buffer) {}
  serialize(): [string, Uint8Array] {
    return ['bytes', this.data];
  }
  static deserialize(_formatType: string, data: Uint8Array): BlobMessage {
    return new BlobMessage(Buffer.from(data));
  }
}

function envelope(overrides: Partial<ConstructorParameters<typeof RegistryPassthroughEvent>[0]>) {
  return new RegistryPassthroughEvent({
    identifier: '2f1e0c9a-5f55-4a4c-9d8f-0a7a3f0e9b11',
    publisherIdentifier: 'publisher-1',
    serializedPayload: Buffer.from('payload'),
    payloadFormatType: 'bytes',
    messageType: 'BlobMessage',
    timestamp: new Date('2025-06-01T12:30:45.123Z'),
    ...overrides,
  });
}

function fields(event: RegistryPassthroughEvent): Record<string, unknown> {
  return {
    identifier: event.identifier,
    publisherIdentifier: event.publisherIdentifier,
    serializedPayload:
      event.serializedPayload === null
        ? null
        : Buffer.from(event.serializedPayload).toString('hex'),
    payloadFormatType: event.payloadFormatType,
    messageType: event.messageType,
    timestamp: event.timestamp.toISOString(),
  };
}

const roundTrip = (event: RegistryPassthroughEvent): RegistryPassthroughEvent =>
  registryPassthroughEventBinaryDeserializer(registryPassthroughEventBinarySerializer(event));

describe('binary envelope', () => {
  describe('layout', () => {
    it('starts with the marker byte and the version', () => {
      const bytes = registryPassthroughEventBinarySerializer(envelope({}));
      expect(bytes[0]).toBe(BINARY_ENVELOPE_MARKER);
      expect(bytes[1]).toBe(BINARY_ENVELOPE_VERSION);
      expect(BINARY_ENVELOPE_MARKER).toBe(0xb5);
    });

    it('no JSON envelope starts with the marker (every py-busline fixture starts with "{")', () => {
      const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.bin'));
      expect(files.length).toBeGreaterThan(20);
      for (const file of files) {
        expect(fs.readFileSync(path.join(FIXTURES, file))[0]).toBe('{'.charCodeAt(0));
      }
      // A UTF-8 continuation byte: it cannot start any UTF-8 text, JSON included.
      expect(BINARY_ENVELOPE_MARKER & 0xc0).toBe(0x80);
    });

    it('carries the payload bytes as they are, not in base64', () => {
      const payload = Buffer.alloc(10_240, 0xab);
      const event = envelope({ serializedPayload: payload });
      const binary = Buffer.from(registryPassthroughEventBinarySerializer(event));
      const json = registryPassthroughEventJsonSerializer(event);
      expect(binary.includes(payload)).toBe(true);
      expect(binary.length).toBeLessThan(payload.length + 150);
      expect(json.length).toBeGreaterThan((payload.length * 4) / 3);
    });
  });

  describe('is Avro: the record after the header is what avsc writes for the schema', () => {
    const type = avro.Type.forSchema(BINARY_ENVELOPE_SCHEMA as unknown as avro.Schema);
    const record = (event: RegistryPassthroughEvent): Record<string, unknown> => ({
      identifier: event.identifier,
      publisher_identifier: event.publisherIdentifier,
      serialized_payload:
        event.serializedPayload === null ? null : Buffer.from(event.serializedPayload),
      payload_format_type: event.payloadFormatType,
      message_type: event.messageType,
      timestamp: event.timestamp.getTime(),
    });
    const events: [string, RegistryPassthroughEvent][] = [
      ['a payload', envelope({})],
      [
        'no payload',
        envelope({ serializedPayload: null, payloadFormatType: null, messageType: null }),
      ],
      ['non-ASCII', envelope({ identifier: 'é✓𝄞', messageType: 'Commande→créée' })],
      ['a long identifier', envelope({ identifier: 'x'.repeat(300) })],
      ['a 200 KB payload', envelope({ serializedPayload: Buffer.alloc(200_000, 3) })],
      ['a negative timestamp', envelope({ timestamp: new Date(-1) })],
      ['timestamp 0', envelope({ timestamp: new Date(0) })],
      ['a large timestamp', envelope({ timestamp: new Date(8.64e15) })],
    ];

    it.each(events)('writes what avsc writes: %s', (_name, event) => {
      const bytes = Buffer.from(registryPassthroughEventBinarySerializer(event));
      expect(bytes.subarray(2).equals(type.toBuffer(record(event)))).toBe(true);
    });

    it.each(events)('reads what avsc writes: %s', (_name, event) => {
      const bytes = Buffer.concat([
        Buffer.from([BINARY_ENVELOPE_MARKER, BINARY_ENVELOPE_VERSION]),
        type.toBuffer(record(event)),
      ]);
      expect(fields(registryPassthroughEventBinaryDeserializer(bytes))).toEqual(fields(event));
    });
  });

  describe('round trip', () => {
    it.each([
      ['a payload', envelope({})],
      [
        'no payload',
        envelope({ serializedPayload: null, payloadFormatType: null, messageType: null }),
      ],
      ['an empty payload', envelope({ serializedPayload: new Uint8Array(0) })],
      [
        'a payload as a plain Uint8Array',
        envelope({ serializedPayload: new Uint8Array([0, 1, 255]) }),
      ],
      ['a format without a message type', envelope({ messageType: null })],
      [
        'non-ASCII identifiers and names',
        envelope({
          identifier: 'évènement-✓-𝄞',
          publisherIdentifier: 'éditeur',
          messageType: 'Commande→créée',
          payloadFormatType: 'utf-8',
        }),
      ],
      ['a timestamp before 1970', envelope({ timestamp: new Date(-86_400_000 * 365 * 30 - 7) })],
      ['a timestamp far ahead', envelope({ timestamp: new Date('2999-12-31T23:59:59.999Z') })],
      ['a large payload', envelope({ serializedPayload: Buffer.alloc(1_000_000, 7) })],
    ])('keeps every field: %s', (_name, event) => {
      expect(fields(roundTrip(event))).toEqual(fields(event));
    });

    it('gives the same fields as the JSON envelope of the same event', () => {
      const event = envelope({});
      const viaJson = registryPassthroughEventJsonDeserializer(
        registryPassthroughEventJsonSerializer(event),
      );
      expect(fields(roundTrip(event))).toEqual(fields(viaJson));
    });

    it.each([
      ['StringMessage', new StringMessage('grüße, 世界')],
      ['Int64Message', new Int64Message(-(2n ** 62n))],
      ['Int32Message', new Int32Message(-42)],
      ['Float32Message', new Float32Message(0.5)],
      ['Float64Message', new Float64Message(3.14)],
      ['no payload', null],
    ])('an event with %s comes back as the same event', (_name, payload) => {
      const event = new Event({ publisherIdentifier: 'p', payload });
      const back = roundTrip(RegistryPassthroughEvent.fromEvent(event)).toEvent();
      expect(back.identifier).toBe(event.identifier);
      expect(back.publisherIdentifier).toBe('p');
      expect(back.timestamp.getTime()).toBe(event.timestamp.getTime());
      if (payload === null) expect(back.payload).toBeNull();
      else {
        expect(back.payload).toBeInstanceOf(payload.constructor);
        expect({ ...back.payload }).toEqual({ ...payload });
      }
    });

    it("decodes a user's message class registered by name", () => {
      const data = Buffer.from([1, 2, 3, 250]);
      const event = new Event({ publisherIdentifier: 'p', payload: new BlobMessage(data) });
      const back = roundTrip(RegistryPassthroughEvent.fromEvent(event)).toEvent();
      expect(back.payload).toBeInstanceOf(BlobMessage);
      expect((back.payload as BlobMessage).data.equals(data)).toBe(true);
    });
  });

  describe('the auto-detecting deserializer', () => {
    it('reads a binary envelope', () => {
      const event = envelope({});
      const bytes = registryPassthroughEventBinarySerializer(event);
      expect(fields(registryPassthroughEventAutoDeserializer(bytes))).toEqual(fields(event));
    });

    it('reads a JSON envelope written here', () => {
      const event = envelope({});
      const bytes = registryPassthroughEventJsonSerializer(event);
      expect(fields(registryPassthroughEventAutoDeserializer(bytes))).toEqual(fields(event));
    });

    it.each(fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.bin')))(
      'reads the py-busline fixture %s as the JSON deserializer does',
      (file) => {
        const bytes = fs.readFileSync(path.join(FIXTURES, file));
        const viaJson = (): RegistryPassthroughEvent =>
          registryPassthroughEventJsonDeserializer(bytes);
        let expected: Record<string, unknown> | Error;
        try {
          expected = fields(viaJson());
        } catch (error) {
          expected = error as Error;
        }
        if (expected instanceof Error) {
          expect(() => registryPassthroughEventAutoDeserializer(bytes)).toThrow(
            expected.constructor as new () => Error,
          );
          return;
        }
        // Fixtures without a timestamp fall back to the time of decoding: compare the rest.
        const got = fields(registryPassthroughEventAutoDeserializer(bytes));
        expect({ ...got, timestamp: 0 }).toEqual({ ...expected, timestamp: 0 });
      },
    );

    it('reports what is neither as the JSON deserializer does', () => {
      expect(() => registryPassthroughEventAutoDeserializer(Buffer.from('not json'))).toThrow(
        EnvelopeDecodeError,
      );
      expect(() => registryPassthroughEventAutoDeserializer(new Uint8Array(0))).toThrow(
        EnvelopeDecodeError,
      );
    });
  });

  describe('bad input is an EnvelopeDecodeError', () => {
    const good = Buffer.from(registryPassthroughEventBinarySerializer(envelope({})));

    it.each([
      ['empty bytes', Buffer.alloc(0)],
      ['the marker alone', Buffer.from([BINARY_ENVELOPE_MARKER])],
      ['a JSON envelope', Buffer.from(registryPassthroughEventJsonSerializer(envelope({})))],
      [
        'another version',
        Buffer.concat([Buffer.from([BINARY_ENVELOPE_MARKER, 99]), good.subarray(2)]),
      ],
      ['a truncated envelope', good.subarray(0, good.length - 3)],
      ['only the header', good.subarray(0, 2)],
      ['trailing bytes', Buffer.concat([good, Buffer.from([0])])],
      // Union branch 5 of serialized_payload does not exist.
      [
        'an invalid union branch',
        (() => {
          const bytes = Buffer.from(good);
          const at = 2 + 1 + 36 + 1 + 'publisher-1'.length;
          bytes[at] = 10;
          return bytes;
        })(),
      ],
    ])('%s', (_name, bytes) => {
      expect(() => registryPassthroughEventBinaryDeserializer(bytes)).toThrow(EnvelopeDecodeError);
    });

    /**
     * The binary envelope of an event whose `field` holds `bytes` as they are (valid UTF-8 or
     * not): written with a same-length ASCII placeholder, which is then overwritten.
     */
    function withRawString(field: string, bytes: Buffer): Buffer {
      const placeholder = '#'.repeat(bytes.length);
      const overrides = {
        identifier: { identifier: placeholder },
        publisher_identifier: { publisherIdentifier: placeholder },
        payload_format_type: { payloadFormatType: placeholder },
        message_type: { messageType: placeholder },
      }[field];
      const encoded = Buffer.from(registryPassthroughEventBinarySerializer(envelope(overrides!)));
      const at = encoded.indexOf(placeholder);
      expect(at).toBeGreaterThan(0);
      expect(encoded.indexOf(placeholder, at + 1)).toBe(-1);
      bytes.copy(encoded, at);
      return encoded;
    }

    const stringFields = [
      'identifier',
      'publisher_identifier',
      'payload_format_type',
      'message_type',
    ];
    const invalidUtf8: [string, Buffer][] = [
      ['a byte that never starts UTF-8 (0xFF)', Buffer.from([0xff])],
      ['a lone continuation byte', Buffer.from([0x41, 0x80, 0x42])],
      ['a sequence cut short', Buffer.from([0xe2, 0x82])],
      ['an overlong encoding of "/"', Buffer.from([0xc0, 0xaf])],
      ['an encoded UTF-16 surrogate', Buffer.from([0xed, 0xa0, 0x80])],
    ];

    describe.each(stringFields)('invalid UTF-8 in "%s"', (field) => {
      it.each(invalidUtf8)('refuses %s, naming the field', (_name, bytes) => {
        // The check is made where decoding gave U+FFFD: the real character still decodes.
        const real = registryPassthroughEventBinaryDeserializer(
          withRawString(field, Buffer.from('\uFFFD', 'utf8')),
        );
        expect(JSON.stringify(fields(real))).toContain('\uFFFD');
        const encoded = withRawString(field, bytes);
        let error: unknown;
        try {
          registryPassthroughEventBinaryDeserializer(encoded);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(EnvelopeDecodeError);
        expect((error as EnvelopeDecodeError).member).toBe(field);
        expect((error as Error).message).toContain(`"${field}" is not valid UTF-8`);
        expect(() => registryPassthroughEventAutoDeserializer(encoded)).toThrow(
          EnvelopeDecodeError,
        );
      });
    });

    // Who published, the format and the message type repeat from one message to the next, and the
    // reader returns the text it read there before when the bytes spell it again: these attack that.
    describe.each(stringFields.slice(1))('"%s" read after another message', (field) => {
      const member = {
        publisher_identifier: 'publisherIdentifier',
        payload_format_type: 'payloadFormatType',
        message_type: 'messageType',
      }[field] as 'publisherIdentifier' | 'payloadFormatType' | 'messageType';
      const read = (text: string): string | null =>
        registryPassthroughEventBinaryDeserializer(
          registryPassthroughEventBinarySerializer(envelope({ [member]: text })),
        )[member];

      it('is what this message carries, whatever came before', () => {
        const texts = ['sender-a', 'sender-b', 'sender-a', 'sender-ab', '', 'sender-a', 'Sender-a'];
        expect(texts.map(read)).toEqual(texts);
      });

      it('is refused when invalid after a valid text of the same length', () => {
        expect(read('ab\u00e9')).toBe('ab\u00e9');
        expect(read('abc')).toBe('abc');
        expect(() =>
          registryPassthroughEventBinaryDeserializer(
            withRawString(field, Buffer.from([0x61, 0x62, 0xff])),
          ),
        ).toThrow(EnvelopeDecodeError);
      });

      it('is refused when its bytes are the character codes of a non-ASCII text read before', () => {
        // 'éditeur' is 7 characters; its Latin-1 bytes (0xE9 then 'diteur') are not UTF-8.
        const text = '\u00e9diteur';
        const latin1 = Buffer.from(text, 'latin1');
        expect(read(text)).toBe(text);
        expect(() =>
          registryPassthroughEventBinaryDeserializer(withRawString(field, latin1)),
        ).toThrow(EnvelopeDecodeError);
        expect(read(text)).toBe(text);
      });
    });

    it('names the version it reads when given another one', () => {
      const other = Buffer.concat([Buffer.from([BINARY_ENVELOPE_MARKER, 3]), good.subarray(2)]);
      expect(() => registryPassthroughEventBinaryDeserializer(other)).toThrow(/version 3/);
    });
  });
});
