import { PayloadDecodeError } from '../errors/payload-decode.error';
import { EventRegistry } from '../event.registry';
import { UnsupportedFormatError, type Message } from '../message';
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
// Python's generated schema types the value as Avro `long`, not `int`.
const avroType = compileWrapperAvroType('Int32Message', 'long');

/**
 * A 32-bit signed integer. Formats: `'bytes'` (default: 4 bytes, two's complement, big-endian),
 * `'json'` (`{"value": -7}`) and `'avro'` (record `Int32Message { value: long }`).
 *
 * Signed in every format. Python's raw form is unsigned: it cannot encode negatives, and it reads
 * values of 2^31 and above as positive where we read them as negative.
 */
export class Int32Message implements Message {
  /** The integer, from −2^31 to 2^31 − 1. */
  readonly value: number;

  constructor(value: number) {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new TypeError(`Int32Message value must be an integer, got ${String(value)}`);
    }
    if (value < -2147483648 || value > 2147483647) {
      throw new RangeError(`Int32Message value ${value} is outside the signed 32-bit range`);
    }
    this.value = value === 0 ? 0 : value;
  }

  /** The value as text, so the message reads naturally in logs and template strings. */
  toString(): string {
    return String(this.value);
  }

  /** The integer in `formatType` (default `'bytes'`); an {@link UnsupportedFormatError} for others. */
  serialize(formatType: string = BYTES_FORMAT_TYPE): [formatType: string, data: Uint8Array] {
    switch (formatType) {
      case BYTES_FORMAT_TYPE: {
        const buf = Buffer.allocUnsafe(4);
        buf.writeInt32BE(this.value, 0);
        return [BYTES_FORMAT_TYPE, buf];
      }
      case JSON_FORMAT_TYPE:
        return [JSON_FORMAT_TYPE, encodeJsonValue(String(this.value))];
      case AVRO_FORMAT_TYPE:
        return [AVRO_FORMAT_TYPE, avroType.toBuffer({ value: this.value })];
      default:
        throw new UnsupportedFormatError('Int32Message', formatType, FORMATS);
    }
  }

  /**
   * Rebuilds a message from `serialize(formatType)` bytes; a missing format means `'bytes'` (as in
   * Python). `'bytes'` accepts 1 to 4 bytes, sign-extended. Bad bytes, or a value outside the
   * 32-bit range, are a `PayloadDecodeError`.
   */
  static deserialize(formatType: string | null | undefined, data: Uint8Array): Int32Message {
    switch (formatType ?? BYTES_FORMAT_TYPE) {
      case BYTES_FORMAT_TYPE: {
        const length = data.byteLength;
        if (length < 1 || length > 4) {
          throw new PayloadDecodeError(
            'Int32Message',
            BYTES_FORMAT_TYPE,
            `expected 1 to 4 big-endian bytes, got ${length}`,
          );
        }
        return new Int32Message(asBuffer(data).readIntBE(0, length));
      }
      case JSON_FORMAT_TYPE: {
        const value = decodeJsonValue('Int32Message', data);
        return decoding('Int32Message', JSON_FORMAT_TYPE, () => int32(integral(value)));
      }
      case AVRO_FORMAT_TYPE: {
        const value = decodeAvroValue('Int32Message', avroType, data) as number | bigint;
        return decoding('Int32Message', AVRO_FORMAT_TYPE, () => int32(value));
      }
      default:
        throw new UnsupportedFormatError('Int32Message', String(formatType), FORMATS);
    }
  }
}

function int32(value: number | bigint): Int32Message {
  if (typeof value === 'bigint') {
    throw new RangeError(`Int32Message value ${value} is outside the signed 32-bit range`);
  }
  return new Int32Message(value);
}

new EventRegistry().add(Int32Message, 'Int32Message');
