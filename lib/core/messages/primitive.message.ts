import type * as avro from 'avsc';
import { UnsupportedFormatError } from '../errors/unsupported-format.error';
import type { BuslineMessage } from '../message';
import { pythonFloatRepr } from '../codec/python-json';
import { AVRO_FORMAT_TYPE, BYTES_FORMAT_TYPE, JSON_FORMAT_TYPE } from './format-types';
import {
  compileWrapperAvroType,
  decodeAvroValue,
  decodeJsonValue,
  decoding,
  encodeJsonValue,
  numeric,
  rawBytes,
} from './wrapper.codec';

/**
 * What a primitive wrapper says about itself (internal): its raw form, which is its default
 * format, how its constructor checks a value, and how a value reads from a JSON or Avro payload.
 * The `'json'` (`{"value": ...}`) and `'avro'` (one-field record) forms are common to all.
 */
export interface PrimitiveCodec<T> {
  /** The class name: the message type errors name and the Avro record's name. */
  readonly name: string;
  /** The raw format (`'bytes'` or `'utf-8'`): the default of `serialize` and `deserialize`. */
  readonly rawFormat: string;
  /** The supported formats, as errors list them: the raw one, `'json'`, `'avro'`. */
  readonly formats: readonly string[];
  /** The record `name { value: <type> }` that Python generates. */
  readonly avroType: avro.Type;
  /** The value the constructor stores; a TypeError or RangeError naming the class otherwise. */
  check(value: T): T;
  /** The value in the raw format. */
  writeRaw(value: T): Uint8Array;
  /** The value from raw bytes; a `PayloadDecodeError` if they cannot hold one. */
  readRaw(data: Uint8Array): T;
  /** The value as Python's `json.dumps` writes it. */
  jsonText(value: T): string;
  /** The `value` member of a JSON or Avro payload as a constructor argument; a plain error if not. */
  fromValue(value: unknown): T;
}

/** A {@link PrimitiveCodec} from what is specific to one wrapper and its Avro value type. */
export function primitiveCodec<T>(
  spec: Omit<PrimitiveCodec<T>, 'formats' | 'avroType'> & {
    readonly avro: 'string' | 'long' | 'double';
  },
): PrimitiveCodec<T> {
  let avroType: avro.Type | undefined;
  return {
    ...spec,
    formats: [spec.rawFormat, JSON_FORMAT_TYPE, AVRO_FORMAT_TYPE],
    // Compiled on first use: avsc then loads with the first Avro payload, not with the entry.
    get avroType() {
      return (avroType ??= compileWrapperAvroType(spec.name, spec.avro));
    },
  };
}

/**
 * Base of the primitive wrappers (internal): a message carrying one `value` in the formats of
 * its class's codec, read back by the matching `deserialize`.
 */
export abstract class PrimitiveMessage<T> implements BuslineMessage {
  /** @internal The codec of the concrete class; each wrapper sets its own. */
  protected static readonly codec: PrimitiveCodec<unknown>;

  /** The value carried. (Declared, not a field: a plain assignment keeps construction cheap.) */
  declare readonly value: T;

  constructor(value: T) {
    this.value = (new.target.codec as PrimitiveCodec<T>).check(value);
  }

  /** The value as text, so the message reads naturally in logs and template strings. */
  toString(): string {
    return String(this.value);
  }

  /** The value in `formatType` (default: the raw one); an {@link UnsupportedFormatError} for others. */
  serialize(formatType?: string): [formatType: string, data: Uint8Array] {
    const codec = (this.constructor as typeof PrimitiveMessage).codec as PrimitiveCodec<T>;
    switch (formatType === undefined ? codec.rawFormat : formatType) {
      case codec.rawFormat:
        return [codec.rawFormat, codec.writeRaw(this.value)];
      case JSON_FORMAT_TYPE:
        return [JSON_FORMAT_TYPE, encodeJsonValue(codec.jsonText(this.value))];
      case AVRO_FORMAT_TYPE:
        return [AVRO_FORMAT_TYPE, codec.avroType.toBuffer({ value: this.value })];
      default:
        throw new UnsupportedFormatError(codec.name, formatType, codec.formats);
    }
  }

  /**
   * Rebuilds a message from `serialize(formatType)` bytes; a missing format means the raw one (as
   * in Python). Invalid bytes, UTF-8, JSON or Avro, or a value the class refuses, is a
   * `PayloadDecodeError`; an unknown format an {@link UnsupportedFormatError}.
   */
  static deserialize<T, M extends PrimitiveMessage<T>>(
    this: new (value: T) => M,
    formatType: string | null | undefined,
    data: Uint8Array,
  ): M {
    const codec = (this as unknown as typeof PrimitiveMessage).codec as PrimitiveCodec<T>;
    switch (formatType ?? codec.rawFormat) {
      case codec.rawFormat:
        return new this(codec.readRaw(data));
      case JSON_FORMAT_TYPE: {
        const value = decodeJsonValue(codec.name, data);
        return decoding(codec.name, JSON_FORMAT_TYPE, () => new this(codec.fromValue(value)));
      }
      case AVRO_FORMAT_TYPE: {
        const value = decodeAvroValue(codec.name, codec.avroType, data);
        return decoding(codec.name, AVRO_FORMAT_TYPE, () => new this(codec.fromValue(value)));
      }
      default:
        throw new UnsupportedFormatError(codec.name, String(formatType), codec.formats);
    }
  }
}

/**
 * The codec of an IEEE 754 wrapper `width` bytes wide: raw big-endian binary32 or binary64 (read
 * from exactly `width` bytes, as Python's `struct` requires), JSON as Python writes floats (`100.0`,
 * bare `NaN`/`Infinity`; any JSON number reads), Avro `double` (as Python generates it).
 */
export function floatCodec(name: string, width: 4 | 8): PrimitiveCodec<number> {
  return primitiveCodec<number>({
    name,
    rawFormat: BYTES_FORMAT_TYPE,
    avro: 'double',
    check(value) {
      if (typeof value !== 'number') {
        throw new TypeError(`${name} value must be a number, got ${typeof value}`);
      }
      return value;
    },
    writeRaw(value) {
      const buf = Buffer.allocUnsafe(width);
      if (width === 4) buf.writeFloatBE(value, 0);
      else buf.writeDoubleBE(value, 0);
      return buf;
    },
    readRaw(data) {
      const buf = rawBytes(name, data, width, width);
      return width === 4 ? buf.readFloatBE(0) : buf.readDoubleBE(0);
    },
    jsonText: pythonFloatRepr,
    fromValue: numeric,
  });
}
