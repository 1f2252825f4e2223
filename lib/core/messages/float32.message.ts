import { PayloadDecodeError } from '../errors/payload-decode.error';
import { EventRegistry } from '../event.registry';
import { UnsupportedFormatError, type Message } from '../message';
import { pythonFloatRepr } from '../wire/python-json';
import { AVRO_FORMAT_TYPE, BYTES_FORMAT_TYPE, JSON_FORMAT_TYPE } from './format-types';
import {
  asBuffer,
  compileWrapperAvroType,
  decodeAvroValue,
  decodeJsonValue,
  decoding,
  encodeJsonValue,
  numeric,
} from './wrapper.codec';

const FORMATS = [BYTES_FORMAT_TYPE, JSON_FORMAT_TYPE, AVRO_FORMAT_TYPE] as const;
const avroType = compileWrapperAvroType('Float32Message', 'double'); // double, as Python generates it

/**
 * A single-precision number. `value` keeps the JavaScript number as given; only the `'bytes'`
 * form rounds it to 32 bits (3.14 reads back as 3.140000104904175, as in Python). Formats:
 * `'bytes'` (default: IEEE 754 binary32, big-endian, 4 bytes),
 * `'json'` (`{"value": 3.14}`: always a fraction or an exponent, as Python writes floats, so
 * `100` is `100.0`; `NaN`, `Infinity` as bare tokens) and `'avro'`
 * (record `Float32Message { value: double }`).
 */
export class Float32Message implements Message {
  /** The number carried. */
  readonly value: number;

  constructor(value: number) {
    if (typeof value !== 'number') {
      throw new TypeError(`Float32Message value must be a number, got ${typeof value}`);
    }
    this.value = value;
  }

  /** The value as text, so the message reads naturally in logs and template strings. */
  toString(): string {
    return String(this.value);
  }

  /** The number in `formatType` (default `'bytes'`); an {@link UnsupportedFormatError} for others. */
  serialize(formatType: string = BYTES_FORMAT_TYPE): [formatType: string, data: Uint8Array] {
    switch (formatType) {
      case BYTES_FORMAT_TYPE: {
        const buf = Buffer.allocUnsafe(4);
        buf.writeFloatBE(this.value, 0);
        return [BYTES_FORMAT_TYPE, buf];
      }
      case JSON_FORMAT_TYPE:
        return [JSON_FORMAT_TYPE, encodeJsonValue(pythonFloatRepr(this.value))];
      case AVRO_FORMAT_TYPE:
        return [AVRO_FORMAT_TYPE, avroType.toBuffer({ value: this.value })];
      default:
        throw new UnsupportedFormatError('Float32Message', formatType, FORMATS);
    }
  }

  /**
   * Rebuilds a message from `serialize(formatType)` bytes; a missing format means `'bytes'`.
   * `'bytes'` must be exactly 4 bytes (as Python's `struct` requires); JSON accepts any number.
   * Bad bytes are a `PayloadDecodeError`.
   */
  static deserialize(formatType: string | null | undefined, data: Uint8Array): Float32Message {
    switch (formatType ?? BYTES_FORMAT_TYPE) {
      case BYTES_FORMAT_TYPE:
        if (data.byteLength !== 4) {
          throw new PayloadDecodeError(
            'Float32Message',
            BYTES_FORMAT_TYPE,
            `expected 4 bytes, got ${data.byteLength}`,
          );
        }
        return new Float32Message(asBuffer(data).readFloatBE(0));
      case JSON_FORMAT_TYPE: {
        const value = decodeJsonValue('Float32Message', data);
        return decoding(
          'Float32Message',
          JSON_FORMAT_TYPE,
          () => new Float32Message(numeric(value)),
        );
      }
      case AVRO_FORMAT_TYPE:
        return new Float32Message(decodeAvroValue('Float32Message', avroType, data) as number);
      default:
        throw new UnsupportedFormatError('Float32Message', String(formatType), FORMATS);
    }
  }
}

new EventRegistry().add(Float32Message, 'Float32Message');
