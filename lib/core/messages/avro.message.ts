import type * as avro from 'avsc';
import { plainToInstance } from 'class-transformer';
import { UnsupportedFormatError } from '../errors/unsupported-format.error';
import type { BuslineMessage } from '../message';
import { compileAvroSchema } from './avro-schema.compiler';
import { AVRO_FORMAT_TYPE } from './format-types';
import { decodeAvroDatum, decoding } from './wrapper.codec';

/**
 * An Avro record schema, as JSON (what Python's `dataclasses_avroschema` generates with
 * `Class.avro_schema()`): `{ type: 'record', name, fields: [{ name, type, default? }] }`.
 */
export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  doc?: string;
  aliases?: string[];
  fields: ReadonlyArray<{
    name: string;
    type: unknown;
    default?: unknown;
    doc?: string;
    [attribute: string]: unknown;
  }>;
  [attribute: string]: unknown;
}

/** The class side of an {@link AvroMessage} subclass: a schema and a no-argument constructor. */
export interface AvroMessageClass<T extends AvroMessage = AvroMessage> {
  new (): T;
  /** The Avro record schema of the class. */
  readonly schema: AvroRecordSchema;
  readonly name: string;
}

const compiled = new WeakMap<object, avro.Type>();

/**
 * The compiled avsc `Type` of an {@link AvroMessage} class: built from its `static schema` on first
 * use and cached, so every message of the class shares it.
 */
export function avroTypeOf(messageClass: AvroMessageClass): avro.Type {
  let type = compiled.get(messageClass);
  if (type === undefined) {
    const schema = messageClass.schema as AvroRecordSchema | undefined;
    if (schema === undefined || schema === null || schema.type !== 'record') {
      throw new TypeError(
        `${messageClass.name} needs an Avro record schema: declare 'static schema = ` +
          `{ type: 'record', name: '${messageClass.name}', fields: [...] }' or use @AvroSchema(...)`,
      );
    }
    type = compileAvroSchema(schema as avro.Schema);
    compiled.set(messageClass, type);
  }
  return type;
}

/**
 * Base class of messages that travel as Avro (format `'avro'`, the only one): one schemaless binary
 * datum, as Python's `AvroMessageMixin` (fastavro) writes it.
 *
 * The class declares its record schema once, as `static schema` (or with `@AvroSchema(schema)`);
 * the compiled type is cached per class. `long` fields are `number`s (a `bigint` beyond the safe
 * range), `timestamp-millis` fields `Date`s, `['null', T]` unions `T | null`. Decoding builds a new
 * instance with class-transformer's `plainToInstance`: give nested records their class with
 * `@Type(() => Order)` (arrays too; `@Type` needs `import 'reflect-metadata'` once in the program).
 * Subclasses must be constructible with no arguments.
 *
 * ```ts
 * class Product { name = ''; price = 0; }
 * class Order { @Type(() => Product) products: Product[] = []; user = ''; }
 * @Message()
 * class NewOrderMessage extends AvroMessage {
 *   static override schema: AvroRecordSchema = { type: 'record', name: 'NewOrderMessage', fields: [...] };
 *   @Type(() => Order) order = new Order();
 *   _when: Date | null = null;
 * }
 * ```
 */
export abstract class AvroMessage implements BuslineMessage {
  /** The Avro record schema of the class; every concrete subclass declares one. */
  declare static schema: AvroRecordSchema;

  /** The message as one Avro datum; only `'avro'` (the default) is supported. */
  serialize(formatType: string = AVRO_FORMAT_TYPE): [formatType: string, data: Uint8Array] {
    const messageClass = this.constructor as AvroMessageClass;
    if (formatType !== AVRO_FORMAT_TYPE) {
      throw new UnsupportedFormatError(messageClass.name, formatType, [AVRO_FORMAT_TYPE]);
    }
    const type = avroTypeOf(messageClass);
    try {
      return [AVRO_FORMAT_TYPE, type.toBuffer(this)];
    } catch (error) {
      const problems = invalidPaths(type, this);
      throw new TypeError(`${messageClass.name} does not match its Avro schema: ${problems}`, {
        cause: error,
      });
    }
  }

  /**
   * Rebuilds a message from `serialize()` bytes (format `'avro'`; a missing format means it too).
   * A truncated or invalid datum is a `PayloadDecodeError`.
   */
  static deserialize<T extends AvroMessage>(
    this: AvroMessageClass<T>,
    formatType: string | null | undefined,
    data: Uint8Array,
  ): T {
    if (formatType != null && formatType !== AVRO_FORMAT_TYPE) {
      throw new UnsupportedFormatError(this.name, formatType, [AVRO_FORMAT_TYPE]);
    }
    const record = decodeAvroDatum(this.name, avroTypeOf(this), data);
    return decoding(this.name, AVRO_FORMAT_TYPE, () => plainToInstance(this, record));
  }
}

/**
 * Class decorator: sets the Avro record schema of an {@link AvroMessage} class (the same as
 * declaring `static schema`), with the schema's literal types checked in place.
 */
export function AvroSchema(schema: AvroRecordSchema): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, 'schema', { value: schema, configurable: true, writable: true });
    compiled.delete(target);
  };
}

function invalidPaths(type: avro.Type, value: unknown): string {
  const problems: string[] = [];
  type.isValid(value, {
    errorHook: (path, invalid, invalidType) => {
      problems.push(
        `${path.join('.') || '(record)'} = ${describe(invalid)} is not a valid ${invalidType.typeName}`,
      );
    },
  });
  return problems.length > 0 ? problems.join('; ') : 'avsc refused the value';
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return String(value);
}
