import { EventRegistry } from '../event.registry';
import { PrimitiveMessage, floatCodec } from './primitive.message';

/**
 * A double-precision number. Formats: `'bytes'` (default: IEEE 754 binary64, big-endian, exactly
 * 8 bytes), `'json'` (`{"value": 3.14}`: always a fraction or an exponent, as Python writes floats,
 * so `100` is `100.0`; `NaN`, `Infinity` as bare tokens; any number reads) and `'avro'`
 * (record `Float64Message { value: double }`). Bad bytes are a `PayloadDecodeError`.
 */
export class Float64Message extends PrimitiveMessage<number> {
  /** @internal */
  protected static override readonly codec = floatCodec('Float64Message', 8);
}

new EventRegistry().add(Float64Message, 'Float64Message');
