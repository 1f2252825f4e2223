import { EventRegistry } from '../event.registry';
import { PrimitiveMessage, floatCodec } from './primitive.message';

/**
 * A single-precision number. `value` keeps the JavaScript number as given; only the `'bytes'`
 * form rounds it to 32 bits (3.14 reads back as 3.140000104904175, as in Python). Formats:
 * `'bytes'` (default: IEEE 754 binary32, big-endian, exactly 4 bytes),
 * `'json'` (`{"value": 3.14}`: always a fraction or an exponent, as Python writes floats, so
 * `100` is `100.0`; `NaN`, `Infinity` as bare tokens; any number reads) and `'avro'`
 * (record `Float32Message { value: double }`). Bad bytes are a `PayloadDecodeError`.
 */
export class Float32Message extends PrimitiveMessage<number> {
  /** @internal */
  protected static override readonly codec = floatCodec('Float32Message', 4);
}

new EventRegistry().add(Float32Message, 'Float32Message');
