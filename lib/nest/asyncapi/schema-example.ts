import type { JsonSchema, JsonValue } from './asyncapi.types';

/** A fixed instant, so examples (and the document) are the same on every run. */
const EXAMPLE_DATE = '2025-01-01T12:00:00.000Z';
const EXAMPLE_MILLIS = Date.parse(EXAMPLE_DATE);

/**
 * @internal An example value of a JSON Schema made from its keywords alone (deterministic):
 * the first enum value, an address for `format: email`, a date for `date-time`, the lower bound
 * of a number, one item for an array; `$ref`s to `#/components/schemas/...` are followed.
 */
export function schemaExample(
  schema: JsonSchema,
  schemas: Record<string, JsonSchema>,
  depth = 0,
): JsonValue {
  if (depth > 8) return null;
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = schemas[ref.slice('#/components/schemas/'.length)];
    return target === undefined ? null : schemaExample(target, schemas, depth + 1);
  }
  if (Array.isArray(schema.enum)) return (schema.enum[0] as JsonValue) ?? null;
  if (Array.isArray(schema.anyOf))
    return schemaExample(schema.anyOf[0] as JsonSchema, schemas, depth + 1);
  switch (schema.type) {
    case 'string':
      return stringExample(schema);
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? schema.exclusiveMinimum;
      const base = typeof low === 'number' ? low + (schema.exclusiveMinimum === low ? 1 : 0) : 1;
      return schema.type === 'number' && schema.exclusiveMinimum === undefined ? base + 0.5 : base;
    }
    case 'boolean':
      return true;
    case 'array': {
      const item = schemaExample(
        (schema.items as JsonSchema | undefined) ?? {},
        schemas,
        depth + 1,
      );
      return item === null ? [] : [item];
    }
    case 'object': {
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      const example: Record<string, JsonValue> = {};
      for (const [key, value] of Object.entries(properties)) {
        example[key] = schemaExample(value, schemas, depth + 1);
      }
      return example;
    }
    default:
      return null;
  }
}

function stringExample(schema: JsonSchema): string {
  switch (schema.format) {
    case 'email':
      return 'user@example.com';
    case 'date-time':
      return EXAMPLE_DATE;
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    case 'uri':
      return 'https://example.com/';
  }
  const length = typeof schema.minLength === 'number' ? schema.minLength : 0;
  return 'text'.padEnd(length, 'x');
}

/** @internal An example datum of an Avro schema, as plain JSON (unions as their first non-null branch). */
export function avroExample(
  schema: unknown,
  named = new Map<string, unknown>(),
  depth = 0,
): JsonValue {
  if (depth > 8) return null;
  if (typeof schema === 'string') {
    const known = named.get(schema);
    if (known !== undefined) return avroExample(known, named, depth + 1);
    return avroPrimitive(schema, undefined);
  }
  if (Array.isArray(schema)) {
    const branch = schema.find((s) => s !== 'null') ?? 'null';
    return avroExample(branch, named, depth + 1);
  }
  if (typeof schema !== 'object' || schema === null) return null;
  const s = schema as Record<string, unknown>;
  if (
    typeof s.name === 'string' &&
    (s.type === 'record' || s.type === 'enum' || s.type === 'fixed')
  ) {
    named.set(s.name, schema);
  }
  switch (s.type) {
    case 'record': {
      const example: Record<string, JsonValue> = {};
      for (const field of (s.fields as { name: string; type: unknown }[]) ?? []) {
        example[field.name] = avroExample(field.type, named, depth + 1);
      }
      return example;
    }
    case 'array':
      return [avroExample(s.items, named, depth + 1)];
    case 'map':
      return { key: avroExample(s.values, named, depth + 1) };
    case 'enum':
      return ((s.symbols as string[] | undefined) ?? [])[0] ?? null;
    default:
      return avroPrimitive(String(s.type), s.logicalType);
  }
}

function avroPrimitive(type: string, logicalType: unknown): JsonValue {
  if (logicalType === 'timestamp-millis') return EXAMPLE_MILLIS;
  if (logicalType === 'timestamp-micros') return EXAMPLE_MILLIS * 1000;
  switch (type) {
    case 'string':
      return 'text';
    case 'int':
    case 'long':
      return 1;
    case 'float':
    case 'double':
      return 1.5;
    case 'boolean':
      return true;
    case 'bytes':
    case 'fixed':
      return '';
    default:
      return null;
  }
}
