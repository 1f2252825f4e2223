import { EventRegistry } from '../../core/event.registry';
import type { ClassRef, JsonSchema, JsonValue } from './asyncapi.types';
import { classSchemaRef, type SchemaRegistry } from './class-schema';
import { avroExample, schemaExample } from './schema-example';

/** The AsyncAPI `schemaFormat` of Avro payloads. */
export const AVRO_SCHEMA_FORMAT = 'application/vnd.apache.avro;version=1.9.0';

/** @internal How the document shows one message class. */
export interface MessageDescription {
  /** The message type written in the envelope's `message_type`. */
  readonly messageType: string;
  /** The serialization format of the payload inside the envelope (`json`, `avro`, ...). */
  readonly format: string;
  /** The AsyncAPI payload: a schema, or a multi-format schema (`{ schemaFormat, schema }`). */
  readonly payload: JsonSchema;
  readonly example: JsonValue;
  readonly description: string;
}

interface PrimitiveSpec {
  readonly format: string;
  readonly schema: JsonSchema;
  readonly example: JsonValue;
  readonly wire: string;
}

const PRIMITIVES: Record<string, PrimitiveSpec> = {
  StringMessage: {
    format: 'utf-8',
    schema: { type: 'string' },
    example: 'text',
    wire: 'the text in UTF-8',
  },
  Int64Message: {
    format: 'bytes',
    schema: { type: 'integer', format: 'int64' },
    example: 42,
    wire: 'a signed 64-bit big-endian integer (8 bytes)',
  },
  Int32Message: {
    format: 'bytes',
    schema: { type: 'integer', format: 'int32' },
    example: 42,
    wire: 'a signed 32-bit big-endian integer (4 bytes)',
  },
  Float32Message: {
    format: 'bytes',
    schema: { type: 'number', format: 'float' },
    example: 1.5,
    wire: 'an IEEE 754 32-bit big-endian float (4 bytes)',
  },
  Float64Message: {
    format: 'bytes',
    schema: { type: 'number', format: 'double' },
    example: 1.5,
    wire: 'an IEEE 754 64-bit big-endian float (8 bytes)',
  },
};

/**
 * @internal Describe a message class: Avro classes by their Avro schema, the primitive
 * wrappers by their type, every other class (`JsonMessage` and custom ones) by the JSON Schema
 * of its fields. A class may give its example as `static example` (an instance or plain data).
 */
export function describeMessage(cls: ClassRef, registry: SchemaRegistry): MessageDescription {
  const messageType = registeredType(cls);
  const lineage = ancestry(cls);
  const given = (cls as { example?: unknown }).example;
  const primitive = lineage.map((name) => PRIMITIVES[name]).find((spec) => spec !== undefined);
  if (primitive !== undefined) {
    return {
      messageType,
      format: primitive.format,
      payload: { ...primitive.schema },
      example: given !== undefined ? toJson(given) : primitive.example,
      description:
        `${cls.name}: its \`value\`, by default serialized as '${primitive.format}' ` +
        `(${primitive.wire}); 'json' (\`{"value": ...}\`) and 'avro' are accepted too.`,
    };
  }
  const avroSchema = (cls as { schema?: unknown }).schema;
  if (lineage.includes('AvroMessage') && isRecordSchema(avroSchema)) {
    return {
      messageType,
      format: 'avro',
      payload: { schemaFormat: AVRO_SCHEMA_FORMAT, schema: avroSchema as JsonSchema },
      example: given !== undefined ? toJson(given) : avroExample(avroSchema),
      description: `${cls.name}: one Avro datum of the schema below (format 'avro').`,
    };
  }
  const ref = classSchemaRef(cls, registry);
  return {
    messageType,
    format: 'json',
    payload: ref,
    example: given !== undefined ? toJson(given) : schemaExample(ref, registry.schemas),
    description: `${cls.name}: a JSON document (format 'json').`,
  };
}

/** The name the process-wide registry writes the class under, else its class name. */
function registeredType(cls: ClassRef): string {
  for (const [type, registered] of new EventRegistry().associations) {
    if (registered === cls) return type;
  }
  return cls.name;
}

/** The class names of `cls` and its ancestors (by name: the CLI may load a second copy). */
function ancestry(cls: ClassRef): string[] {
  const names: string[] = [];
  for (let c: unknown = cls; typeof c === 'function' && c !== Function.prototype;) {
    names.push((c as ClassRef).name);
    c = Object.getPrototypeOf(c);
  }
  return names;
}

function isRecordSchema(schema: unknown): boolean {
  return (
    typeof schema === 'object' &&
    schema !== null &&
    (schema as { type?: unknown }).type === 'record'
  );
}

/** Plain JSON data of a message or value (fields of an instance, dates as ISO text). */
function toJson(value: unknown): JsonValue {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)),
  ) as JsonValue;
}
