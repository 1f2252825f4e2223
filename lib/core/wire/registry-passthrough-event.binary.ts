import * as avro from 'avsc';
import { EnvelopeDecodeError } from './envelope-decode.error';
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
 */

/** First byte of a binary envelope. */
export const BINARY_ENVELOPE_MARKER = 0xb5;
/** Second byte: the layout version this library writes and reads. */
export const BINARY_ENVELOPE_VERSION = 1;

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

interface EnvelopeRecord {
  identifier: string;
  publisher_identifier: string;
  serialized_payload: Buffer | null;
  payload_format_type: string | null;
  message_type: string | null;
  timestamp: number;
}

// Compiled once: avsc generates the reader and writer of this exact record.
const envelopeType = avro.Type.forSchema(BINARY_ENVELOPE_SCHEMA as unknown as avro.Schema);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
  const payload = event.serializedPayload;
  const record: EnvelopeRecord = {
    identifier: event.identifier,
    publisher_identifier: event.publisherIdentifier,
    serialized_payload: payload === null ? null : asBuffer(payload),
    payload_format_type: event.payloadFormatType,
    message_type: event.messageType,
    timestamp: event.timestamp.getTime(),
  };
  // Room for the worst case (3 UTF-8 bytes per UTF-16 unit, 10 bytes per varint): one write, no
  // resize; the unused tail is never sent.
  const size =
    HEADER +
    60 +
    3 *
      (record.identifier.length +
        record.publisher_identifier.length +
        (record.payload_format_type?.length ?? 0) +
        (record.message_type?.length ?? 0)) +
    (payload?.byteLength ?? 0);
  const buffer = Buffer.allocUnsafe(size);
  buffer[0] = BINARY_ENVELOPE_MARKER;
  buffer[1] = BINARY_ENVELOPE_VERSION;
  const end = envelopeType.encode(record, buffer, HEADER);
  if (end < 0) {
    // Cannot happen with the bound above; kept so a mistake there costs a copy, not a failure.
    return Buffer.concat([buffer.subarray(0, HEADER), envelopeType.toBuffer(record)]);
  }
  return buffer.subarray(0, end);
}

/**
 * Reads a binary envelope (from {@link registryPassthroughEventBinarySerializer}) into a
 * {@link RegistryPassthroughEvent}; its payload is a view of `bytes`, not a copy. Throws
 * {@link EnvelopeDecodeError} for bytes that are not one (wrong marker or version, truncated,
 * trailing bytes, invalid Avro).
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
  if (buffer[1] !== BINARY_ENVELOPE_VERSION) {
    throw new EnvelopeDecodeError(
      `binary envelope version ${buffer[1]} is not supported (this library reads version ${BINARY_ENVELOPE_VERSION}); upgrade Busline`,
    );
  }
  let decoded: { value: EnvelopeRecord | undefined; offset: number };
  try {
    decoded = envelopeType.decode(buffer, HEADER) as typeof decoded;
  } catch (error) {
    throw new EnvelopeDecodeError(
      `the binary envelope is not valid Avro (${(error as Error).message})`,
      undefined,
      { cause: error },
    );
  }
  const record = decoded.value;
  if (record === undefined || decoded.offset < 0) {
    throw new EnvelopeDecodeError('the binary envelope is truncated');
  }
  if (decoded.offset !== buffer.length) {
    throw new EnvelopeDecodeError(
      `the binary envelope has ${buffer.length - decoded.offset} bytes after its end`,
    );
  }
  const timestamp = new Date(record.timestamp);
  if (Number.isNaN(timestamp.getTime())) {
    throw new EnvelopeDecodeError(`"timestamp" ${record.timestamp} is out of range`, 'timestamp');
  }
  return new RegistryPassthroughEvent({
    identifier: record.identifier,
    publisherIdentifier: record.publisher_identifier,
    serializedPayload: record.serialized_payload,
    payloadFormatType: record.payload_format_type,
    messageType: record.message_type,
    timestamp,
  });
}
