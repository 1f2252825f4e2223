import { PythonFloat } from '../codec/python-json';

/** Property names marked with `@JsonFloat()`, per prototype that declared them. */
const floatFields = new WeakMap<object, Set<string>>();
/** Resolved marks per class (own and inherited), built on first use. */
const resolved = new WeakMap<object, ReadonlySet<string> | null>();
let anyFloatField = false;

/**
 * Property decorator for a `JsonMessage` field that Python declares as `float`: the default
 * `toJson()` writes its value as a float even when it is integral (`100.0`, not `100`), as
 * `json.dumps` does. Works on numbers and arrays of numbers, in nested classes too (the nested
 * value must be an instance of its class). Without it an integral number is written as an int,
 * which Python reads back as an `int`.
 *
 * ```ts
 * class Product { name = ''; @JsonFloat() price = 0; }
 * ```
 *
 * The mark follows the property name: a field renamed with class-transformer's
 * `@Expose({ name })` is not marked.
 */
export function JsonFloat(): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property !== 'string') return;
    let fields = floatFields.get(prototype);
    if (fields === undefined) floatFields.set(prototype, (fields = new Set()));
    fields.add(property);
    anyFloatField = true;
  };
}

/**
 * Wraps the values of `@JsonFloat()` fields of `instance` in `plain` (its class-transformer plain
 * form) as {@link PythonFloat}s, walking nested objects and arrays side by side (internal).
 */
export function markJsonFloats(instance: unknown, plain: unknown): void {
  if (!anyFloatField) return;
  walk(instance, plain, 0);
}

function walk(instance: unknown, plain: unknown, depth: number): void {
  if (depth > 64 || typeof instance !== 'object' || instance === null) return;
  if (typeof plain !== 'object' || plain === null) return;
  if (Array.isArray(instance)) {
    if (!Array.isArray(plain)) return;
    for (let i = 0; i < plain.length; i++) walk(instance[i], plain[i], depth + 1);
    return;
  }
  const marks = marksOf(Object.getPrototypeOf(instance) as object | null);
  const source = instance as Record<string, unknown>;
  const target = plain as Record<string, unknown>;
  for (const key of Object.keys(target)) {
    const value = target[key];
    if (marks?.has(key)) target[key] = asFloat(value);
    else if (typeof value === 'object' && value !== null) walk(source[key], value, depth + 1);
  }
}

function asFloat(value: unknown): unknown {
  if (typeof value === 'number') return new PythonFloat(value);
  if (Array.isArray(value)) return value.map(asFloat);
  return value;
}

function marksOf(prototype: object | null): ReadonlySet<string> | null {
  if (prototype === null || prototype === Object.prototype) return null;
  let marks = resolved.get(prototype);
  if (marks === undefined) {
    const inherited = marksOf(Object.getPrototypeOf(prototype) as object | null);
    const own = floatFields.get(prototype);
    marks = own === undefined ? inherited : new Set([...(inherited ?? []), ...own]);
    resolved.set(prototype, marks);
  }
  return marks;
}
