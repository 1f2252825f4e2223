import type * as avro from 'avsc';
import { asBuffer } from '../codec/bytes';
import { pythonJsonParse } from '../codec/python-json-parse';
import { asDecodeError, PayloadDecodeError } from '../errors/payload-decode.error';
import { compileAvroSchema } from './avro-schema.compiler';
import { AVRO_FORMAT_TYPE, BYTES_FORMAT_TYPE, JSON_FORMAT_TYPE } from './format-types';

/*
 * Pieces the primitive wrappers share (internal): the `{"value": ...}` JSON form, the one-field
 * Avro record form, raw byte lengths, strict UTF-8 and the conversion of failures into
 * PayloadDecodeError.
 */

/** Strict, like Python's `bytes.decode('utf-8')`: invalid bytes fail, a BOM is kept as U+FEFF. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A Buffer view of raw bytes that must number `min` to `max` (exactly `max` when they are
 * equal); a {@link PayloadDecodeError} for `messageType` otherwise.
 */
export function rawBytes(messageType: string, data: Uint8Array, min: number, max: number): Buffer {
  const length = data.byteLength;
  if (length < min || length > max) {
    const expected = min === max ? `${max} bytes` : `${min} to ${max} big-endian bytes`;
    throw new PayloadDecodeError(
      messageType,
      BYTES_FORMAT_TYPE,
      `expected ${expected}, got ${length}`,
    );
  }
  return asBuffer(data);
}

/** `data` as strict UTF-8 text; a {@link PayloadDecodeError} for `messageType` otherwise. */
export function decodeUtf8(messageType: string, formatType: string, data: Uint8Array): string {
  try {
    return utf8.decode(data);
  } catch (error) {
    throw new PayloadDecodeError(messageType, formatType, 'the bytes are not valid UTF-8', {
      cause: error,
    });
  }
}

/** The `{"value": <text>}` JSON payload of a wrapper, `valueText` already in Python's notation. */
export function encodeJsonValue(valueText: string): Uint8Array {
  // Python-compatible JSON text is pure ASCII, so latin1 is the fastest exact encoding.
  return Buffer.from('{"value": ' + valueText + '}', 'latin1');
}

/** The `value` member of a wrapper's JSON payload (any JSON type; the caller checks it). */
export function decodeJsonValue(messageType: string, data: Uint8Array): unknown {
  const text = decodeUtf8(messageType, JSON_FORMAT_TYPE, data);
  let document: unknown;
  try {
    document = pythonJsonParse(text);
  } catch (error) {
    throw new PayloadDecodeError(
      messageType,
      JSON_FORMAT_TYPE,
      `invalid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (
    typeof document !== 'object' ||
    document === null ||
    Array.isArray(document) ||
    !Object.prototype.hasOwnProperty.call(document, 'value')
  ) {
    throw new PayloadDecodeError(
      messageType,
      JSON_FORMAT_TYPE,
      'expected a JSON object with a "value" member',
    );
  }
  return (document as { value: unknown }).value;
}

/** The Avro record type `{ name, fields: [{ name: 'value', type }] }` that Python generates. */
export function compileWrapperAvroType(
  name: string,
  valueType: 'string' | 'long' | 'double',
): avro.Type {
  return compileAvroSchema({ type: 'record', name, fields: [{ name: 'value', type: valueType }] });
}

/** The `value` field of a one-field Avro record datum; a {@link PayloadDecodeError} if truncated. */
export function decodeAvroValue(messageType: string, type: avro.Type, data: Uint8Array): unknown {
  return decodeAvroDatum(messageType, type, data).value as unknown;
}

/**
 * One schemaless Avro datum of `type` from `data`. Like fastavro's `schemaless_reader`, bytes
 * after the datum are ignored; a datum cut short is a {@link PayloadDecodeError}.
 */
export function decodeAvroDatum(
  messageType: string,
  type: avro.Type,
  data: Uint8Array,
): Record<string, unknown> {
  let decoded: { value: unknown; offset: number };
  try {
    decoded = type.decode(asBuffer(data), 0);
  } catch (error) {
    throw new PayloadDecodeError(
      messageType,
      AVRO_FORMAT_TYPE,
      `invalid Avro datum (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (decoded.offset < 0) {
    throw new PayloadDecodeError(
      messageType,
      AVRO_FORMAT_TYPE,
      `the Avro datum is truncated (${data.byteLength} bytes)`,
    );
  }
  return decoded.value as Record<string, unknown>;
}

/**
 * Runs `build` and turns a plain error (a value check that failed) into a
 * {@link PayloadDecodeError} for `messageType`/`formatType`; Busline errors pass through.
 */
export function decoding<T>(messageType: string, formatType: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw asDecodeError(messageType, formatType, error);
  }
}

/** A JSON number as an integer: integral values (`42`, `42.0`, big ints) pass, `42.5` does not. */
export function integral(value: unknown): number | bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new TypeError(`expected an integer "value", got ${describeValue(value)}`);
}

/** A JSON number as a float: any number (Python reads ints into float fields too). */
export function numeric(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new TypeError(`expected a number "value", got ${describeValue(value)}`);
}

/** A short description of a decoded value for error messages. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
