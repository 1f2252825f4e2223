import { PayloadDecodeError } from '../errors/payload-decode.error';
import { EventRegistry } from '../event.registry';
import { UnsupportedFormatError, type Message } from '../message';
import { pythonIntRepr } from '../wire/python-json';
import { isInt64, normalizeInt64 } from './avro-schema.compiler';
import { AVRO_FORMAT_TYPE, BYTES_FORMAT_TYPE, JSON_FORMAT_TYPE } from './format-types';
import {
  asBuffer,
  compileWrapperAvroType,
  decodeAvroValue,
  decodeJsonValue,
  decoding,
  encodeJsonValue,
  integral,
} from './wrapper.codec';

const FORMATS = [BYTES_FORMAT_TYPE, JSON_FORMAT_TYPE, AVRO_FORMAT_TYPE] as const;
const avroType = compileWrapperAvroType('Int64Message', 'long');
const TWO_32 = 4294967296;

/**
 * A 64-bit signed integer. `value` is a `number` while it is a safe integer and a `bigint` beyond
 * (`new Int64Message(2n ** 60n)`); either way it round-trips exactly in every format.
 *
 * Formats: `'bytes'` (default: 8 bytes, two's complement, big-endian), `'json'`
 * (`{"value": 42}`, exact for any size) and `'avro'` (record `Int64Message { value: long }`).
 * Python's `Int64Message` has no default format; we pick `'bytes'`, which Python decodes.
 */
export class Int64Message implements Message {
  /** The integer: a `number` while safe (|n| ≤ 2^53 − 1), a `bigint` beyond. */
  readonly value: number | bigint;

  /**
   * @param value an integral `number` or a `bigint` in the signed 64-bit range; a `bigint` that is
   *   a safe integer is stored as a `number`, an integral `number` beyond the safe range as a `bigint`.
   */
  constructor(value: number | bigint) {
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) {
        throw new TypeError(`Int64Message value must be an integer, got ${value}`);
      }
      if (!Number.isSafeInteger(value)) value = BigInt(value);
    } else if (typeof value !== 'bigint') {
      throw new TypeError(`Int64Message value must be a number or a bigint, got ${typeof value}`);
    }
    if (!isInt64(value)) {
      throw new RangeError(`Int64Message value ${value} is outside the signed 64-bit range`);
    }
    this.value = typeof value === 'bigint' ? normalizeInt64(value) : value === 0 ? 0 : value;
  }

  /** The value as text, so the message reads naturally in logs and template strings. */
  toString(): string {
    return String(this.value);
  }

  /** `JSON.stringify` form; a `bigint` value is written as a string (JSON has no bigint). */
  toJSON(): { value: number | string } {
    const value = this.value;
    return { value: typeof value === 'bigint' ? value.toString() : value };
  }

  /** The integer in `formatType` (default `'bytes'`); an {@link UnsupportedFormatError} for others. */
  serialize(formatType: string = BYTES_FORMAT_TYPE): [formatType: string, data: Uint8Array] {
    switch (formatType) {
      case BYTES_FORMAT_TYPE: {
        const buf = Buffer.allocUnsafe(8);
        const value = this.value;
        if (typeof value === 'number') {
          const high = Math.floor(value / TWO_32);
          buf.writeInt32BE(high, 0);
          buf.writeUInt32BE(value - high * TWO_32, 4);
        } else {
          buf.writeBigInt64BE(value, 0);
        }
        return [BYTES_FORMAT_TYPE, buf];
      }
      case JSON_FORMAT_TYPE:
        return [JSON_FORMAT_TYPE, encodeJsonValue(pythonIntRepr(this.value))];
      case AVRO_FORMAT_TYPE:
        return [AVRO_FORMAT_TYPE, avroType.toBuffer({ value: this.value })];
      default:
        throw new UnsupportedFormatError('Int64Message', formatType, FORMATS);
    }
  }

  /**
   * Rebuilds a message from `serialize(formatType)` bytes; a missing format means `'bytes'` (as in
   * Python). `'bytes'` accepts 1 to 8 bytes, sign-extended (Python reads any length; more than 8
   * cannot be a 64-bit value). Bad bytes are a `PayloadDecodeError`.
   */
  static deserialize(formatType: string | null | undefined, data: Uint8Array): Int64Message {
    switch (formatType ?? BYTES_FORMAT_TYPE) {
      case BYTES_FORMAT_TYPE:
        return new Int64Message(readInt64(data));
      case JSON_FORMAT_TYPE: {
        const value = decodeJsonValue('Int64Message', data);
        return decoding('Int64Message', JSON_FORMAT_TYPE, () => new Int64Message(integral(value)));
      }
      case AVRO_FORMAT_TYPE:
        return new Int64Message(decodeAvroValue('Int64Message', avroType, data) as number | bigint);
      default:
        throw new UnsupportedFormatError('Int64Message', String(formatType), FORMATS);
    }
  }
}

function readInt64(data: Uint8Array): number | bigint {
  const length = data.byteLength;
  if (length < 1 || length > 8) {
    throw new PayloadDecodeError(
      'Int64Message',
      BYTES_FORMAT_TYPE,
      `expected 1 to 8 big-endian bytes, got ${length}`,
    );
  }
  let buf = asBuffer(data);
  if (length < 8) {
    const extended = Buffer.alloc(8, buf[0] & 0x80 ? 0xff : 0);
    buf.copy(extended, 8 - length);
    buf = extended;
  }
  const value = buf.readInt32BE(0) * TWO_32 + buf.readUInt32BE(4);
  return Number.isSafeInteger(value) ? value : normalizeInt64(buf.readBigInt64BE(0));
}

new EventRegistry().add(Int64Message, 'Int64Message');
