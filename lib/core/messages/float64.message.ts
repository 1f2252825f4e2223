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
const avroType = compileWrapperAvroType('Float64Message', 'double');

/**
 * A double-precision number. Formats: `'bytes'` (default: IEEE 754 binary64, big-endian, 8 bytes),
 * `'json'` (`{"value": 3.14}`: always a fraction or an exponent, as Python writes floats, so
 * `100` is `100.0`; `NaN`, `Infinity` as bare tokens) and `'avro'`
 * (record `Float64Message { value: double }`).
 */
export class Float64Message implements Message {
  /** The number carried. */
  readonly value: number;

  constructor(value: number) {
    if (typeof value !== 'number') {
      throw new TypeError(`Float64Message value must be a number, got ${typeof value}`);
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
        const buf = Buffer.allocUnsafe(8);
        buf.writeDoubleBE(this.value, 0);
        return [BYTES_FORMAT_TYPE, buf];
      }
      case JSON_FORMAT_TYPE:
        return [JSON_FORMAT_TYPE, encodeJsonValue(pythonFloatRepr(this.value))];
      case AVRO_FORMAT_TYPE:
        return [AVRO_FORMAT_TYPE, avroType.toBuffer({ value: this.value })];
      default:
        throw new UnsupportedFormatError('Float64Message', formatType, FORMATS);
    }
  }

  /**
   * Rebuilds a message from `serialize(formatType)` bytes; a missing format means `'bytes'`.
   * `'bytes'` must be exactly 8 bytes (as Python's `struct` requires); JSON accepts any number.
   * Bad bytes are a `PayloadDecodeError`.
   */
  static deserialize(formatType: string | null | undefined, data: Uint8Array): Float64Message {
    switch (formatType ?? BYTES_FORMAT_TYPE) {
      case BYTES_FORMAT_TYPE:
        if (data.byteLength !== 8) {
          throw new PayloadDecodeError(
            'Float64Message',
            BYTES_FORMAT_TYPE,
            `expected 8 bytes, got ${data.byteLength}`,
          );
        }
        return new Float64Message(asBuffer(data).readDoubleBE(0));
      case JSON_FORMAT_TYPE: {
        const value = decodeJsonValue('Float64Message', data);
        return decoding(
          'Float64Message',
          JSON_FORMAT_TYPE,
          () => new Float64Message(numeric(value)),
        );
      }
      case AVRO_FORMAT_TYPE:
        return new Float64Message(decodeAvroValue('Float64Message', avroType, data) as number);
      default:
        throw new UnsupportedFormatError('Float64Message', String(formatType), FORMATS);
    }
  }
}

new EventRegistry().add(Float64Message, 'Float64Message');
