import { isUtf8 } from 'node:buffer';
import { asBuffer } from '../codec/bytes';
import { EnvelopeDecodeError } from '../errors/envelope-decode.error';
import { hasHeaders, type EventHeaders } from '../event';
import { RegistryPassthroughEvent } from './registry-passthrough.event';

/*
 * The binary envelope, for TypeScript-to-TypeScript traffic (opt-in: Python Busline reads only the
 * JSON envelope). The same six fields as the JSON envelope, as one Avro record, behind two bytes:
 *
 *   0xB5  marker: no JSON text (and no UTF-8 text at all) starts with this byte, so a reader
 *         tells the two envelopes apart by the first byte (see registryPassthroughEventAutoDeserializer)
 *   0x01  version of the layout below
 *   Avro binary of record RegistryPassthroughEvent {
 *     string identifier; string publisher_identifier;
 *     union { null, bytes } serialized_payload;           the payload bytes as they are, no base64
 *     union { null, string } payload_format_type; union { null, string } message_type;
 *     long timestamp;                                      milliseconds since the Unix epoch (UTC)
 *   }
 *
 * Version 0x02 is the same record followed by the event's headers as an Avro `map<string>`
 * (see `Event.headers`); it is written only for an event that has headers, so an event without
 * them is read by every version of this library.
 */

/** First byte of a binary envelope. */
export const BINARY_ENVELOPE_MARKER = 0xb5;
/** Second byte: the layout version of an event without headers. */
export const BINARY_ENVELOPE_VERSION = 1;
/** Second byte: the layout version of an event with headers (the record, then the headers). */
export const BINARY_ENVELOPE_VERSION_WITH_HEADERS = 2;

const HEADER = 2;

/** The Avro schema of the record after the two header bytes. */
export const BINARY_ENVELOPE_SCHEMA = {
  type: 'record',
  name: 'RegistryPassthroughEvent',
  namespace: 'busline',
  fields: [
    { name: 'identifier', type: 'string' },
    { name: 'publisher_identifier', type: 'string' },
    { name: 'serialized_payload', type: ['null', 'bytes'] },
    { name: 'payload_format_type', type: ['null', 'string'] },
    { name: 'message_type', type: ['null', 'string'] },
    { name: 'timestamp', type: 'long' },
  ],
} as const;

/*
 * The record is written and read by hand (the Avro binary encoding of the schema above, checked
 * against avsc in the tests): avsc writes short strings one character at a time and builds an
 * intermediate object, and this runs once per MQTT message.
 *
 * Avro: a long is a zig-zag varint; a string or bytes is its byte length (a long) then the bytes;
 * a union is the branch index (a long) then the value of that branch.
 */

/** Bytes of the varint of the non-negative (zig-zagged) `n`. */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeVarint(buffer: Buffer, at: number, n: number): number {
  while (n >= 128) {
    buffer[at++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  buffer[at++] = n;
  return at;
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** Reads the record after the header; `at` is the position, advanced as fields are read. */
class Reader {
  at = HEADER;
  constructor(private readonly buffer: Buffer) {}

  long(field: string): number {
    const buffer = this.buffer;
    let n = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= buffer.length) throw truncated(field);
      const byte = buffer[this.at++];
      n += (byte & 127) * scale;
      if (byte < 128) break;
      scale *= 128;
      if (scale > 2 ** 63)
        throw new EnvelopeDecodeError(`"${field}" holds an invalid varint`, field);
    }
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  length(field: string): number {
    const length = this.long(field);
    if (length < 0 || this.at + length > this.buffer.length) throw truncated(field);
    return length;
  }

  string(field: string): string {
    return this.text(field, this.length(field));
  }

  /** The next `length` bytes, as UTF-8 text. */
  private text(field: string, length: number): string {
    const start = this.at;
    this.at += length;
    const text = this.buffer.toString('utf8', start, this.at);
    // Decoding turns invalid UTF-8 into U+FFFD: only then is the full check worth its cost.
    if (text.includes('\uFFFD') && !isUtf8(this.buffer.subarray(start, this.at))) {
      throw new EnvelopeDecodeError(`"${field}" is not valid UTF-8`, field);
    }
    return text;
  }

  /**
   * A string field whose value mostly repeats from one message to the next (who published, the
   * format, the message type): `last` holds the value read there before. When the bytes spell it
   * again it is returned as it is, without decoding them (issue 14: decoding is a call into
   * Node's C++ side, ~1,000 instructions for a short field; comparing takes a few per byte).
   */
  repeated(field: string, last: LastValue): string {
    const length = this.length(field);
    const { buffer, at } = this;
    const known = last.text;
    if (known.length === length) {
      let i = 0;
      while (i < length && buffer[at + i] === known.charCodeAt(i)) i++;
      if (i === length) {
        this.at += length;
        return known;
      }
    }
    const text = this.text(field, length);
    // Only an ASCII text (as many characters as bytes) can be compared byte by character.
    if (text.length === length) last.text = text;
    return text;
  }

  /** The branch of a `['null', X]` union: false for null, true for X. */
  present(field: string): boolean {
    const branch = this.long(field);
    if (branch !== 0 && branch !== 1) {
      throw new EnvelopeDecodeError(`"${field}" has no union branch ${branch}`, field);
    }
    return branch === 1;
  }

  bytes(field: string): Buffer {
    const length = this.length(field);
    const start = this.at;
    this.at += length;
    return this.buffer.subarray(start, this.at);
  }
}

/** The text a field held in the message read before (see {@link Reader.repeated}). */
interface LastValue {
  text: string;
}

const lastPublisher: LastValue = { text: '' };
const lastFormat: LastValue = { text: '' };
const lastType: LastValue = { text: '' };

function truncated(field: string): EnvelopeDecodeError {
  return new EnvelopeDecodeError(`the binary envelope is truncated (in "${field}")`, field);
}

/**
 * The binary envelope of `event` (see the layout above): the payload bytes go as they are, so a
 * 10 KB payload costs 10 KB, not the 13.7 KB of base64 inside JSON. Opt in on a publisher with
 * `new MqttPublisher({ ..., serializer: registryPassthroughEventBinarySerializer })`; only
 * Busline for TypeScript reads it (with the default deserializer, which reads both envelopes).
 */
export function registryPassthroughEventBinarySerializer(
  event: RegistryPassthroughEvent,
): Uint8Array {
  return writeBinaryEnvelope(event, event.serializedPayload);
}

/** The fields of a binary envelope besides its payload. */
type EnvelopeFields = Pick<
  RegistryPassthroughEvent,
  | 'identifier'
  | 'publisherIdentifier'
  | 'payloadFormatType'
  | 'messageType'
  | 'timestamp'
  | 'headers'
>;

/**
 * @internal The binary envelope of `fields` with `text` as its payload, the text's UTF-8 bytes
 * written straight into the envelope: the same bytes as serializing a `StringMessage` (format
 * `'utf-8'`) and then the envelope, without the payload's own buffer and its copy (issue 14).
 */
export function binaryEnvelopeOfText(fields: EnvelopeFields, text: string): Buffer {
  return writeBinaryEnvelope(fields, text);
}

/** The envelope of `fields` with `payload` as bytes, or as text to write in UTF-8. */
function writeBinaryEnvelope(fields: EnvelopeFields, payload: Uint8Array | string | null): Buffer {
  const { identifier, publisherIdentifier, payloadFormatType, messageType } = fields;
  const time = fields.timestamp.getTime();
  const idBytes = Buffer.byteLength(identifier);
  const publisherBytes = Buffer.byteLength(publisherIdentifier);
  const formatBytes = payloadFormatType === null ? 0 : Buffer.byteLength(payloadFormatType);
  const typeBytes = messageType === null ? 0 : Buffer.byteLength(messageType);
  const payloadBytes =
    payload === null
      ? 0
      : typeof payload === 'string'
        ? Buffer.byteLength(payload)
        : payload.byteLength;
  const size =
    HEADER +
    varintSize(idBytes * 2) +
    idBytes +
    varintSize(publisherBytes * 2) +
    publisherBytes +
    1 +
    (payload === null ? 0 : varintSize(payloadBytes * 2) + payloadBytes) +
    1 +
    (payloadFormatType === null ? 0 : varintSize(formatBytes * 2) + formatBytes) +
    1 +
    (messageType === null ? 0 : varintSize(typeBytes * 2) + typeBytes) +
    varintSize(zigzag(time));
  const headers = hasHeaders(fields.headers) ? encodeHeaders(fields.headers) : undefined;
  const buffer = Buffer.allocUnsafe(size + (headers?.length ?? 0));
  buffer[0] = BINARY_ENVELOPE_MARKER;
  buffer[1] =
    headers === undefined ? BINARY_ENVELOPE_VERSION : BINARY_ENVELOPE_VERSION_WITH_HEADERS;
  let at = writeVarint(buffer, HEADER, idBytes * 2);
  at += buffer.write(identifier, at, 'utf8');
  at = writeVarint(buffer, at, publisherBytes * 2);
  at += buffer.write(publisherIdentifier, at, 'utf8');
  if (payload === null) buffer[at++] = 0;
  else {
    buffer[at++] = 2;
    at = writeVarint(buffer, at, payloadBytes * 2);
    at +=
      typeof payload === 'string'
        ? buffer.write(payload, at, payloadBytes, 'utf8')
        : asBuffer(payload).copy(buffer, at);
  }
  if (payloadFormatType === null) buffer[at++] = 0;
  else {
    buffer[at++] = 2;
    at = writeVarint(buffer, at, formatBytes * 2);
    at += buffer.write(payloadFormatType, at, 'utf8');
  }
  if (messageType === null) buffer[at++] = 0;
  else {
    buffer[at++] = 2;
    at = writeVarint(buffer, at, typeBytes * 2);
    at += buffer.write(messageType, at, 'utf8');
  }
  at = writeVarint(buffer, at, zigzag(time));
  headers?.copy(buffer, at);
  return buffer;
}

/** The Avro `map<string>` of `headers`: one block with every entry, then the empty block. */
function encodeHeaders(headers: EventHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [];
  const count = Buffer.allocUnsafe(10);
  parts.push(count.subarray(0, writeVarint(count, 0, zigzag(entries.length))));
  for (const [name, value] of entries) {
    for (const text of [name, value]) {
      const bytes = Buffer.from(text, 'utf8');
      const length = Buffer.allocUnsafe(10);
      parts.push(length.subarray(0, writeVarint(length, 0, zigzag(bytes.length))), bytes);
    }
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** Reads the Avro `map<string>` of the headers (blocks until the empty one). */
function readHeaders(read: Reader): Record<string, string> {
  const headers: Record<string, string> = {};
  for (;;) {
    let count = read.long('headers');
    if (count === 0) return headers;
    // A negative count is followed by the block's size in bytes, which a reader may skip.
    if (count < 0) {
      count = -count;
      read.long('headers');
    }
    for (let i = 0; i < count; i++) {
      const name = read.string('headers');
      headers[name] = read.string('headers');
    }
  }
}

/**
 * Reads a binary envelope (from {@link registryPassthroughEventBinarySerializer}) into a
 * {@link RegistryPassthroughEvent}; its payload is a view of `bytes`, not a copy. Throws
 * {@link EnvelopeDecodeError} for bytes that are not one (wrong marker or version, truncated,
 * trailing bytes, invalid Avro, a string field that is not valid UTF-8).
 */
export function registryPassthroughEventBinaryDeserializer(
  bytes: Uint8Array,
): RegistryPassthroughEvent {
  const buffer = asBuffer(bytes);
  if (buffer.length < HEADER || buffer[0] !== BINARY_ENVELOPE_MARKER) {
    throw new EnvelopeDecodeError(
      `a binary envelope starts with the byte 0x${BINARY_ENVELOPE_MARKER.toString(16)}`,
    );
  }
  const version = buffer[1];
  if (version !== BINARY_ENVELOPE_VERSION && version !== BINARY_ENVELOPE_VERSION_WITH_HEADERS) {
    throw new EnvelopeDecodeError(
      `binary envelope version ${version} is not supported (this library reads versions ${BINARY_ENVELOPE_VERSION} and ${BINARY_ENVELOPE_VERSION_WITH_HEADERS}); upgrade Busline`,
    );
  }
  const read = new Reader(buffer);
  const identifier = read.string('identifier');
  const publisherIdentifier = read.repeated('publisher_identifier', lastPublisher);
  const serializedPayload = read.present('serialized_payload')
    ? read.bytes('serialized_payload')
    : null;
  const payloadFormatType = read.present('payload_format_type')
    ? read.repeated('payload_format_type', lastFormat)
    : null;
  const messageType = read.present('message_type') ? read.repeated('message_type', lastType) : null;
  const millis = read.long('timestamp');
  const headers = version === BINARY_ENVELOPE_VERSION ? undefined : readHeaders(read);
  if (read.at !== buffer.length) {
    throw new EnvelopeDecodeError(
      `the binary envelope has ${buffer.length - read.at} bytes after its end`,
    );
  }
  const timestamp = new Date(millis);
  if (Number.isNaN(timestamp.getTime())) {
    throw new EnvelopeDecodeError(`"timestamp" ${millis} is out of range`, 'timestamp');
  }
  return new RegistryPassthroughEvent({
    identifier,
    publisherIdentifier,
    serializedPayload,
    payloadFormatType,
    messageType,
    timestamp,
    headers,
  });
}
