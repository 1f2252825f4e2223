import type * as avro from 'avsc';

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

type AvscSide = typeof import('./avro-schema.avsc');
let avscSide: AvscSide | undefined;

/**
 * Compiles `schema` into an avsc `Type` with Busline's conventions (see the module comment).
 * Call it once per schema and keep the result: compiling is far slower than encoding. avsc is
 * loaded on the first call, not with the entry (issue 14, load time).
 */
export function compileAvroSchema(schema: avro.Schema): avro.Type {
  // A lazy require: loaded on first use, not with the entry.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  avscSide ??= require('./avro-schema.avsc') as AvscSide;
  return avscSide.forBuslineSchema(schema);
}
