import { EventRegistry } from '../event.registry';
import { pythonIntRepr } from '../codec/python-json';
import { isInt64, normalizeInt64 } from './avro-schema.compiler';
import { BYTES_FORMAT_TYPE } from './format-types';
import { PrimitiveMessage, primitiveCodec } from './primitive.message';
import { integral, rawBytes } from './wrapper.codec';

const TWO_32 = 4294967296;

const codec = primitiveCodec<number | bigint>({
  name: 'Int64Message',
  rawFormat: BYTES_FORMAT_TYPE,
  avro: 'long',
  check(value) {
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
    return typeof value === 'bigint' ? normalizeInt64(value) : value === 0 ? 0 : value;
  },
  writeRaw(value) {
    const buf = Buffer.allocUnsafe(8);
    if (typeof value === 'number') {
      const high = Math.floor(value / TWO_32);
      buf.writeInt32BE(high, 0);
      buf.writeUInt32BE(value - high * TWO_32, 4);
    } else {
      buf.writeBigInt64BE(value, 0);
    }
    return buf;
  },
  readRaw(data) {
    let buf = rawBytes('Int64Message', data, 1, 8);
    const length = buf.byteLength;
    if (length < 8) {
      const extended = Buffer.alloc(8, buf[0] & 0x80 ? 0xff : 0);
      buf.copy(extended, 8 - length);
      buf = extended;
    }
    const value = buf.readInt32BE(0) * TWO_32 + buf.readUInt32BE(4);
    return Number.isSafeInteger(value) ? value : normalizeInt64(buf.readBigInt64BE(0));
  },
  jsonText: pythonIntRepr,
  fromValue: integral,
});

/**
 * A 64-bit signed integer. `value` is a `number` while it is a safe integer (|n| ≤ 2^53 − 1) and a
 * `bigint` beyond (`new Int64Message(2n ** 60n)`); either way it round-trips exactly in every
 * format. The constructor takes an integral `number` or a `bigint` in the signed 64-bit range; a
 * `bigint` that is a safe integer is stored as a `number`, an integral `number` beyond the safe
 * range as a `bigint`.
 *
 * Formats: `'bytes'` (default: 8 bytes, two's complement, big-endian), `'json'`
 * (`{"value": 42}`, exact for any size) and `'avro'` (record `Int64Message { value: long }`).
 * Python's `Int64Message` has no default format; we pick `'bytes'`, which Python decodes.
 * `'bytes'` reads 1 to 8 bytes, sign-extended (Python reads any length; more than 8 cannot be a
 * 64-bit value). Bad bytes are a `PayloadDecodeError`.
 */
export class Int64Message extends PrimitiveMessage<number | bigint> {
  /** @internal */
  protected static override readonly codec = codec;

  /** `JSON.stringify` form; a `bigint` value is written as a string (JSON has no bigint). */
  toJSON(): { value: number | string } {
    const value = this.value;
    return { value: typeof value === 'bigint' ? value.toString() : value };
  }
}

new EventRegistry().add(Int64Message, 'Int64Message');
