import { formatPythonIsoUtc } from './python-datetime';

/**
 * JSON text exactly as Python's `json.dumps(value)` writes it with default settings: `", "` and
 * `": "` separators, pure ASCII (`\uXXXX` escapes in lowercase hex, surrogate pairs above U+FFFF,
 * U+007F escaped), integers without a size limit, floats in Python's `repr` (`100.0`, `3.14`,
 * `1e-07`, `1e+16`, `NaN`, `Infinity`).
 *
 * Ints and floats: JavaScript has one number type, so a number with a fraction is written as a
 * float and an integral one as an int (`100`). To write an integral number as a float (`100.0`),
 * wrap it with {@link pythonFloat} (or mark a `JsonMessage` field with `@JsonFloat()`). A `bigint`
 * is always an int. `NaN` and the infinities are floats.
 */

/** A number to be written as a Python float even when it is integral: `pythonFloat(100)` → `100.0`. */
export class PythonFloat {
  constructor(
    /** The number to write. */
    readonly value: number,
  ) {}

  /** The number itself, so arithmetic and comparisons keep working. */
  valueOf(): number {
    return this.value;
  }

  /** `JSON.stringify` writes the number. */
  toJSON(): number {
    return this.value;
  }
}

/** Marks `value` to be written as a Python float in the JSON Busline writes (`100` → `100.0`). */
export function pythonFloat(value: number): PythonFloat {
  return new PythonFloat(value);
}

/**
 * `value` as Python's `repr(float)` writes it: the shortest text that reads back as the same
 * double, always with a fraction or an exponent (`100.0`, `3.14`, `1e-07`, `1e+16`, `-0.0`), and
 * `NaN`, `Infinity`, `-Infinity` for the non-finite values.
 */
export function pythonFloatRepr(value: number): string {
  if (value !== value) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = value < 0 ? -value : value;
  // Python writes positional notation for 1e-4 <= |x| < 1e16; JavaScript's String() does so for
  // a wider range with the same (shortest round-trip) digits.
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    const text = String(value);
    return Number.isInteger(value) ? text + '.0' : text;
  }
  const exponential = value.toExponential(); // shortest digits, e.g. '1e-7', '1.5e+300'
  const e = exponential.indexOf('e');
  const exponent = exponential.slice(e + 2);
  return (
    exponential.slice(0, e + 2) + (exponent.length === 1 ? '0' + exponent : exponent) // 2+ digits
  );
}

/** An integral `number` or a `bigint` as Python writes an int (no exponent, no size limit). */
export function pythonIntRepr(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (!Number.isInteger(value)) {
    throw new TypeError(`Expected an integral number for a Python int, got ${value}`);
  }
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

// Everything printable in ASCII except '"' and '\' goes out as it is.
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

const ASCII_ESCAPES: string[] = [];
for (let code = 0; code < 0x80; code++) {
  ASCII_ESCAPES.push(
    code < 0x20 || code === 0x7f
      ? '\\u' + code.toString(16).padStart(4, '0')
      : String.fromCharCode(code),
  );
}
ASCII_ESCAPES[0x08] = '\\b';
ASCII_ESCAPES[0x09] = '\\t';
ASCII_ESCAPES[0x0a] = '\\n';
ASCII_ESCAPES[0x0c] = '\\f';
ASCII_ESCAPES[0x0d] = '\\r';
ASCII_ESCAPES[0x22] = '\\"';
ASCII_ESCAPES[0x5c] = '\\\\';

/**
 * `text` as a quoted JSON string the way Python's `json.dumps` writes it (`ensure_ascii`): every
 * character outside U+0020–U+007E escaped, `\n`-style escapes for the usual five controls, `\uXXXX`
 * (lowercase hex) otherwise, UTF-16 surrogate pairs for characters above U+FFFF.
 */
export function pythonJsonString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return '"' + text + '"';
  let out = '"';
  let start = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f && code !== 0x22 && code !== 0x5c) continue;
    if (start < i) out += text.slice(start, i);
    out += code < 0x80 ? ASCII_ESCAPES[code] : '\\u' + code.toString(16).padStart(4, '0');
    start = i + 1;
  }
  if (start < length) out += text.slice(start);
  return out + '"';
}

/**
 * `value` as Python's `json.dumps(value)` would write the same data (see the module comment for
 * ints and floats). Objects are written with their own enumerable keys in order, skipping
 * `undefined` and function members; `undefined` in an array is `null`. A `Date` is written as a
 * string, the way Python's `isoformat()` writes the instant in UTC (what `datetime.fromisoformat`
 * reads back). Objects with a `toJSON()` method are written as what it returns.
 *
 * Throws a `TypeError` for what JSON cannot hold: `undefined`, functions and symbols at the top
 * level, binary data (`Uint8Array`, `ArrayBuffer`), `Map`, `Set`, and circular references.
 */
export function pythonJsonStringify(value: unknown): string {
  const text = write(value, []);
  if (text === undefined) throw new TypeError(`Cannot write ${typeof value} as JSON`);
  return text;
}

function write(value: unknown, stack: object[]): string | undefined {
  switch (typeof value) {
    case 'string':
      return pythonJsonString(value);
    case 'number':
      return Number.isInteger(value) ? pythonIntRepr(value) : pythonFloatRepr(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : writeObject(value, stack);
    default:
      return undefined; // undefined, function, symbol
  }
}

function writeObject(value: object, stack: object[]): string {
  if (value instanceof PythonFloat) return pythonFloatRepr(value.value);
  if (value instanceof Date) return pythonJsonString(formatPythonIsoUtc(value));
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    throw new TypeError(
      'Cannot write binary data as JSON; encode it first (for example as a base64 string)',
    );
  }
  if (value instanceof Map || value instanceof Set) {
    throw new TypeError(
      `Cannot write a ${value.constructor.name} as JSON; convert it to an object or an array first`,
    );
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    return write(toJSON.call(value), stack) ?? 'null';
  }
  if (stack.includes(value)) throw new TypeError('Cannot write a circular structure as JSON');
  stack.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ', ';
      out += write(value[i], stack) ?? 'null';
    }
    out += ']';
  } else {
    out = '{';
    let first = true;
    for (const key of Object.keys(value)) {
      const member = write((value as Record<string, unknown>)[key], stack);
      if (member === undefined) continue;
      out += (first ? '' : ', ') + pythonJsonString(key) + ': ' + member;
      first = false;
    }
    out += '}';
  }
  stack.pop();
  return out;
}
