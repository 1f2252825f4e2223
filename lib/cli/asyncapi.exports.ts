import 'reflect-metadata';

/* What `busline asyncapi` accepts among a file's exports (no NestJS loaded to tell). */

const MODULE_KEYS = ['imports', 'providers', 'controllers', 'exports'];

/** A NestJS module class (with module metadata) or a DynamicModule. */
export function isModule(value: unknown): boolean {
  if (typeof value === 'function') {
    return MODULE_KEYS.some((key) => Reflect.getMetadata(key, value) !== undefined);
  }
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { module?: unknown }).module === 'function'
  );
}

/** A NestJS application or application context the file created itself. */
export function isApplication(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { get?: unknown }).get === 'function' &&
    typeof (value as { select?: unknown }).select === 'function'
  );
}

/** A class (not a plain function that may be called). */
export function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}
