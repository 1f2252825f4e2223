import * as avro from 'avsc';

/**
 * Compiles Avro schemas the way Busline reads and writes them (internal).
 *
 * - `long` is a 64-bit integer without loss: a `number` while it is a safe integer, a `bigint`
 *   beyond (both accepted when writing), as `Int64Message` does.
 * - `timestamp-millis` and `timestamp-micros` are `Date`s (what fastavro and
 *   dataclasses-avroschema use for `datetime`; micros are truncated to the millisecond).
 * - Unions are unwrapped where avsc can tell the branches apart (`['null', T]` is just `T | null`),
 *   as fastavro reads and writes them.
 */

const TWO_32 = 4294967296;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A safe integer as a `number`, anything larger as a `bigint` (the convention for 64-bit ints). */
export function normalizeInt64(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/** True for a safe-integer `number` or a `bigint` that fits in 64 signed bits. */
export function isInt64(value: unknown): value is number | bigint {
  return typeof value === 'bigint'
    ? value >= INT64_MIN && value <= INT64_MAX
    : Number.isSafeInteger(value);
}

const int64Long = avro.types.LongType.__with({
  // avsc hands over / expects the 8 bytes of the two's complement, little-endian.
  fromBuffer(buf: Buffer): number | bigint {
    const high = buf.readInt32LE(4);
    const value = high * TWO_32 + buf.readUInt32LE(0);
    return Number.isSafeInteger(value) ? value : normalizeInt64(buf.readBigInt64LE(0));
  },
  toBuffer(value: number | bigint): Buffer {
    const buf = Buffer.allocUnsafe(8);
    if (typeof value === 'number') {
      const high = Math.floor(value / TWO_32);
      buf.writeInt32LE(high, 4);
      buf.writeUInt32LE(value - high * TWO_32, 0);
    } else {
      buf.writeBigInt64LE(value, 0);
    }
    return buf;
  },
  fromJSON(value: unknown): number | bigint {
    return typeof value === 'bigint' ? normalizeInt64(value) : Number(value);
  },
  toJSON(value: number | bigint): number {
    return Number(value);
  },
  isValid: isInt64,
  compare(a: number | bigint, b: number | bigint): number {
    return a < b ? -1 : a > b ? 1 : 0;
  },
});

/** `timestamp-millis`: a `Date` over milliseconds since the epoch. */
class TimestampMillisType extends avro.types.LogicalType {
  protected override _fromValue(value: number | bigint): Date {
    return new Date(Number(value));
  }
  protected override _toValue(value: unknown): number | undefined {
    if (value instanceof Date) return value.getTime();
    return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
  }
  protected override _resolve(type: avro.Type): ((value: unknown) => unknown) | undefined {
    if (avro.Type.isType(type, 'long', 'logical:timestamp-millis')) return (value) => value;
    return undefined;
  }
}

/** `timestamp-micros`: a `Date` over microseconds since the epoch (truncated to milliseconds). */
class TimestampMicrosType extends avro.types.LogicalType {
  protected override _fromValue(value: number | bigint): Date {
    return new Date(
      typeof value === 'bigint' ? Number(value / 1000n) : Math.floor((value as number) / 1000),
    );
  }
  protected override _toValue(value: unknown): number | undefined {
    if (value instanceof Date) return value.getTime() * 1000;
    return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
  }
  protected override _resolve(type: avro.Type): ((value: unknown) => unknown) | undefined {
    if (avro.Type.isType(type, 'long', 'logical:timestamp-micros')) return (value) => value;
    return undefined;
  }
}

/**
 * Compiles `schema` into an avsc `Type` with Busline's conventions (see the module comment).
 * Call it once per schema and keep the result: compiling is far slower than encoding.
 */
export function compileAvroSchema(schema: avro.Schema): avro.Type {
  return avro.Type.forSchema(schema, {
    // forSchema adds every named type to the registry it is given: a fresh one per schema.
    registry: { long: int64Long },
    logicalTypes: {
      'timestamp-millis': TimestampMillisType,
      'timestamp-micros': TimestampMicrosType,
    },
    wrapUnions: 'auto',
  });
}
