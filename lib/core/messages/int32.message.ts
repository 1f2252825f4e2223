import { EventRegistry } from '../event.registry';
import { BYTES_FORMAT_TYPE } from './format-types';
import { PrimitiveMessage, primitiveCodec } from './primitive.message';
import { integral, rawBytes } from './wrapper.codec';

const outOfRange = (value: number | bigint) =>
  new RangeError(`Int32Message value ${value} is outside the signed 32-bit range`);

const codec = primitiveCodec<number>({
  name: 'Int32Message',
  rawFormat: BYTES_FORMAT_TYPE,
  // Python's generated schema types the value as Avro `long`, not `int`.
  avro: 'long',
  check(value) {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new TypeError(`Int32Message value must be an integer, got ${String(value)}`);
    }
    if (value < -2147483648 || value > 2147483647) throw outOfRange(value);
    return value === 0 ? 0 : value;
  },
  writeRaw(value) {
    const buf = Buffer.allocUnsafe(4);
    buf.writeInt32BE(value, 0);
    return buf;
  },
  readRaw: (data) => rawBytes('Int32Message', data, 1, 4).readIntBE(0, data.byteLength),
  jsonText: String,
  fromValue(value) {
    const int = integral(value);
    if (typeof int === 'bigint') throw outOfRange(int);
    return int;
  },
});

/**
 * A 32-bit signed integer, from −2^31 to 2^31 − 1. Formats: `'bytes'` (default: 4 bytes, two's
 * complement, big-endian; reads 1 to 4 bytes, sign-extended), `'json'` (`{"value": -7}`) and
 * `'avro'` (record `Int32Message { value: long }`). Bad bytes, or a value outside the 32-bit range,
 * are a `PayloadDecodeError`.
 *
 * Signed in every format. Python's raw form is unsigned: it cannot encode negatives, and it reads
 * values of 2^31 and above as positive where we read them as negative.
 */
export class Int32Message extends PrimitiveMessage<number> {
  /** @internal */
  protected static override readonly codec = codec;
}

new EventRegistry().add(Int32Message, 'Int32Message');
