import * as avro from 'avsc';
import { isInt64, normalizeInt64 } from './avro-schema.compiler';

/*
 * The avsc side of avro-schema.compiler.ts (internal): Busline's long, timestamp and guarded
 * array/map types, and the compilation. Loaded with avsc on the first Avro schema compiled, not
 * with the entry (issue 14, load time).
 */

const TWO_32 = 4294967296;

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

/*
 * avsc reads an array or map block count and then that many items, and checks the end of the
 * buffer only afterwards: a few random bytes that announce a billion items exhaust the memory
 * before the truncation is noticed. Busline decodes bytes from the wire, so every array and map
 * type refuses a block announcing more items than the bytes left can hold (a PayloadDecodeError).
 */

/** What avsc's reader (`Tap`) offers; internal to avsc, stable across 5.x. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  skipLong(): void;
}

type Readable = avro.Type & { _read(tap: Tap): unknown };

/** Smallest encoded size of the items (arrays) or entries (maps) of a type, once computed. */
const itemSizes = new WeakMap<avro.Type, number>();

/** Items that may take no bytes at all (nulls, empty records): at most this many per block. */
const MAX_EMPTY_ITEMS = 1_000_000;

function blockSize(tap: Tap, itemBytes: number): number {
  let n = tap.readLong();
  if (n < 0) {
    n = -n;
    tap.skipLong();
  }
  const left = tap.buf.length - tap.pos;
  if (n > (itemBytes > 0 ? left / itemBytes : MAX_EMPTY_ITEMS)) {
    throw new Error(`a block announces ${n} items but only ${Math.max(left, 0)} bytes are left`);
  }
  return n;
}

/** The fewest bytes a value of `type` takes (0 when it can take none). */
function minimumBytes(type: avro.Type, seen: Set<avro.Type>): number {
  const any = type as unknown as Record<string, unknown>;
  switch (type.typeName) {
    case 'null':
      return 0;
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'fixed':
      return any.size as number;
    case 'record':
    case 'error': {
      if (seen.has(type)) return 0;
      seen.add(type);
      const fields = any.fields as { type: avro.Type }[];
      const total = fields.reduce((sum, field) => sum + minimumBytes(field.type, seen), 0);
      seen.delete(type);
      return total;
    }
    default:
      if (type.typeName.startsWith('logical:')) {
        return minimumBytes(any.underlyingType as avro.Type, seen);
      }
      // boolean, int, long, enum, string, bytes, array, map, union: at least one byte.
      return 1;
  }
}

function itemSize(type: avro.Type, items: avro.Type, extra: number): number {
  let size = itemSizes.get(type);
  if (size === undefined) itemSizes.set(type, (size = extra + minimumBytes(items, new Set())));
  return size;
}

class GuardedArrayType extends avro.types.ArrayType {
  _read(tap: Tap): unknown[] {
    const items = this.itemsType as Readable;
    const size = itemSize(this, items, 0);
    const out: unknown[] = [];
    let n: number;
    while ((n = blockSize(tap, size))) while (n--) out.push(items._read(tap));
    return out;
  }
}

class GuardedMapType extends avro.types.MapType {
  _read(tap: Tap & { readString(): string }): Record<string, unknown> {
    const values = this.valuesType as Readable;
    const size = itemSize(this, values, 1);
    const out: Record<string, unknown> = {};
    let n: number;
    while ((n = blockSize(tap, size))) {
      while (n--) {
        const key = tap.readString();
        out[key] = values._read(tap);
      }
    }
    return out;
  }
}

/** avsc `typeHook`: arrays and maps that check their block counts (see above). */
function guardedBlocks(schema: avro.Schema, opts: avro.ForSchemaOptions): avro.Type | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const { type } = schema as { type?: unknown };
  if (type === 'array') return new GuardedArrayType(schema, opts);
  if (type === 'map') return new GuardedMapType(schema, opts);
  return undefined;
}

/** @internal Compiles `schema` with Busline's conventions (see avro-schema.compiler.ts). */
export function forBuslineSchema(schema: avro.Schema): avro.Type {
  return avro.Type.forSchema(schema, {
    // forSchema adds every named type to the registry it is given: a fresh one per schema.
    registry: { long: int64Long },
    logicalTypes: {
      'timestamp-millis': TimestampMillisType,
      'timestamp-micros': TimestampMicrosType,
    },
    wrapUnions: 'auto',
    typeHook: guardedBlocks,
  });
}
