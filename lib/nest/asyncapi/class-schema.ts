import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import type { ClassRef, JsonSchema } from './asyncapi.types';

/** What the document keeps of the classes it has described: schema by name, name by class. */
export interface SchemaRegistry {
  readonly schemas: Record<string, JsonSchema>;
  readonly names: Map<ClassRef, string>;
}

/** One class-validator decorator on a property, as class-validator records it. */
interface Validation {
  readonly type: string;
  readonly name?: string;
  readonly propertyName: string;
  readonly constraints?: readonly unknown[];
  readonly each?: boolean;
}

interface TypeMetadata {
  readonly typeFunction?: () => unknown;
}

interface TransformerStorage {
  defaultMetadataStorage: { findTypeMetadata(target: ClassRef, property: string): TypeMetadata };
}

// class-transformer keeps `@Type()` in a storage it exports from no public entry.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const storageModule = require('class-transformer/cjs/storage') as TransformerStorage;
const transformerStorage = storageModule.defaultMetadataStorage;

/**
 * @internal A `$ref` to the JSON Schema of `cls` in `registry.schemas`, described from its
 * class-validator decorators, class-transformer `@Type()`s, declared property types and field
 * defaults (nested classes as schemas of their own, arrays, dates, enums, optional fields).
 */
export function classSchemaRef(cls: ClassRef, registry: SchemaRegistry): JsonSchema {
  const known = registry.names.get(cls);
  if (known !== undefined) return { $ref: `#/components/schemas/${known}` };
  const name = uniqueName(componentKey(cls.name || 'Anonymous'), registry);
  registry.names.set(cls, name);
  registry.schemas[name] = {}; // placeholder: a class that nests itself refers to its own name
  registry.schemas[name] = classSchema(cls, registry);
  return { $ref: `#/components/schemas/${name}` };
}

/** @internal The JSON Schema of `cls` (nested classes registered in `registry`). */
export function classSchema(cls: ClassRef, registry: SchemaRegistry): JsonSchema {
  const validations = getMetadataStorage().getTargetValidationMetadatas(
    cls as unknown as new () => object,
    '',
    true,
    false,
  ) as unknown as Validation[];
  const defaults = defaultsOf(cls);
  const names = new Set<string>([
    ...validations.map((v) => v.propertyName),
    ...Object.keys(defaults).filter((key) => typeof defaults[key] !== 'function'),
  ]);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const property of [...names].sort()) {
    const own = validations.filter((v) => v.propertyName === property);
    const optional = own.some((v) => v.name === 'isOptional');
    properties[property] = propertySchema(cls, property, own, defaults[property], registry);
    if (optional && defaults[property] === null) {
      properties[property] = { anyOf: [properties[property], { type: 'null' }] };
    }
    if (!optional) required.push(property);
  }
  return {
    type: 'object',
    'x-busline-class': cls.name,
    properties,
    ...(required.length > 0 && { required }),
  };
}

function propertySchema(
  cls: ClassRef,
  property: string,
  validations: readonly Validation[],
  fallback: unknown,
  registry: SchemaRegistry,
): JsonSchema {
  const declared: unknown = Reflect.getMetadata('design:type', cls.prototype as object, property);
  const typed = transformerStorage.findTypeMetadata(cls, property)?.typeFunction?.();
  const isArray =
    declared === Array ||
    Array.isArray(fallback) ||
    validations.some((v) => v.each === true || ARRAY_RULES.has(v.name ?? ''));
  if (!isArray) {
    return withRules(
      valueSchema(typed ?? declared, validations, fallback, registry),
      validations,
      false,
    );
  }
  const itemRules = validations.filter((v) => v.each === true);
  const itemFallback = Array.isArray(fallback) ? fallback[0] : undefined;
  const items = withRules(valueSchema(typed, itemRules, itemFallback, registry), itemRules, false);
  return withRules(
    { type: 'array', items },
    validations.filter((v) => v.each !== true),
    true,
  );
}

const ARRAY_RULES = new Set(['isArray', 'arrayNotEmpty', 'arrayMinSize', 'arrayMaxSize']);

/** The schema of one value: from its class or type, else its validators, else its default. */
function valueSchema(
  type: unknown,
  validations: readonly Validation[],
  fallback: unknown,
  registry: SchemaRegistry,
): JsonSchema {
  const rule = (name: string) => validations.find((v) => v.name === name);
  const enumRule = rule('isEnum') ?? rule('isIn');
  if (enumRule !== undefined) return { enum: enumValues(enumRule.constraints?.[0]) };
  if (type === Date || rule('isDate')) return { type: 'string', format: 'date-time' };
  if (rule('isInt')) return { type: 'integer' };
  if (type === Number || rule('isNumber') || rule('isPositive') || rule('isNegative')) {
    return { type: 'number' };
  }
  if (type === Boolean || rule('isBoolean')) return { type: 'boolean' };
  if (type === String || STRING_RULES.some((name) => rule(name))) return { type: 'string' };
  if (typeof type === 'function' && type !== Object && type !== Array) {
    return classSchemaRef(type as ClassRef, registry);
  }
  switch (typeof fallback) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: Number.isInteger(fallback) ? 'integer' : 'number' };
    case 'bigint':
      return { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
  }
  if (fallback instanceof Date) return { type: 'string', format: 'date-time' };
  return {};
}

const STRING_RULES = [
  'isString',
  'isEmail',
  'isUUID',
  'isUrl',
  'isDateString',
  'isISO8601',
  'matches',
  'minLength',
  'maxLength',
  'isNotEmpty',
];

/** Adds what the validators say about the value (formats, bounds, lengths, patterns). */
function withRules(
  schema: JsonSchema,
  validations: readonly Validation[],
  array: boolean,
): JsonSchema {
  const result: JsonSchema = { ...schema };
  const string = result.type === 'string';
  for (const v of validations) {
    const c = v.constraints ?? [];
    switch (v.name) {
      case 'isEmail':
        result.format = 'email';
        break;
      case 'isUUID':
        result.format = 'uuid';
        break;
      case 'isUrl':
        result.format = 'uri';
        break;
      case 'isDateString':
      case 'isISO8601':
        result.format = 'date-time';
        break;
      case 'matches':
        if (c[0] instanceof RegExp) result.pattern = c[0].source;
        break;
      case 'isNotEmpty':
        if (string) result.minLength = Math.max(1, Number(result.minLength ?? 0));
        break;
      case 'minLength':
        result.minLength = c[0];
        break;
      case 'maxLength':
        result.maxLength = c[0];
        break;
      case 'min':
        result.minimum = c[0];
        break;
      case 'max':
        result.maximum = c[0];
        break;
      case 'isPositive':
        result.exclusiveMinimum = 0;
        break;
      case 'isNegative':
        result.exclusiveMaximum = 0;
        break;
      case 'arrayNotEmpty':
        if (array) result.minItems = 1;
        break;
      case 'arrayMinSize':
        if (array) result.minItems = c[0];
        break;
      case 'arrayMaxSize':
        if (array) result.maxItems = c[0];
        break;
    }
  }
  return result;
}

/** The values of a TypeScript enum object (without a numeric enum's reverse keys) or an array. */
function enumValues(source: unknown): unknown[] {
  if (Array.isArray(source)) return [...source];
  if (typeof source !== 'object' || source === null) return [];
  const record = source as Record<string, unknown>;
  return Object.keys(record)
    .filter((key) => !/^\d+$/.test(key))
    .map((key) => record[key]);
}

/** The fields a new instance has (messages are constructible with no arguments). */
function defaultsOf(cls: ClassRef): Record<string, unknown> {
  try {
    const instance = new (cls as new () => object)() as Record<string, unknown>;
    return { ...instance };
  } catch {
    return {};
  }
}

/** A component key (letters, digits, `.`, `-`, `_`) made from any name. */
export function componentKey(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || '_';
}

function uniqueName(base: string, registry: SchemaRegistry): string {
  let name = base;
  for (let n = 2; registry.schemas[name] !== undefined; n++) name = `${base}_${n}`;
  return name;
}
