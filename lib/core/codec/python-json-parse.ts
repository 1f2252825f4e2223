/**
 * Reads JSON text as Python's `json.loads` does, without losing what `JSON.parse` loses:
 * integers beyond `Number.MAX_SAFE_INTEGER` come back as exact `bigint`s (Python ints have no size
 * limit), and the bare tokens `NaN`, `Infinity` and `-Infinity` that `json.dumps` writes for
 * non-finite floats are accepted.
 *
 * Integers that fit stay `number`s, so most documents look exactly as `JSON.parse` returns them;
 * texts without those tokens and without a run of 16 digits take the native `JSON.parse` path.
 * Throws a `SyntaxError` (with the position) for anything Python would refuse.
 */
export function pythonJsonParse(text: string): unknown {
  if (!SLOW_PATH.test(text)) return JSON.parse(text);
  return new Parser(text).document();
}

// Only these need our own parser: a 16-digit run may be an unsafe integer (15 digits never are),
// and an int -0 is 0 in Python (JSON.parse keeps -0).
const SLOW_PATH = /NaN|Infinity|\d{16}|-0(?![.\deE])/;

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
// Raw control characters are not allowed in JSON strings, so they end the fast scan.
// eslint-disable-next-line no-control-regex
const PLAIN_STRING_CHARS = /[^"\\\x00-\x1f]*/y;

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    const value = this.value();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('Extra data');
    return value;
  }

  private value(): unknown {
    this.skipWhitespace();
    const text = this.text;
    const code = text.charCodeAt(this.pos);
    switch (code) {
      case 0x7b: // {
        return this.object();
      case 0x5b: // [
        return this.array();
      case 0x22: // "
        return this.string();
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      case 0x4e: // N
        return this.literal('NaN', NaN);
      case 0x49: // I
        return this.literal('Infinity', Infinity);
      default:
        if (code === 0x2d && text.startsWith('-Infinity', this.pos)) {
          return this.literal('-Infinity', -Infinity);
        }
        return this.number();
    }
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.pos++; // {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('Expecting property name in quotes');
      const key = this.string();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("Expecting ':' delimiter");
      this.pos++;
      const member = this.value();
      if (key === '__proto__') {
        // An own property, as JSON.parse makes it, never the prototype.
        Object.defineProperty(result, key, {
          value: member,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        result[key] = member;
      }
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos++);
      if (next === 0x7d) return result;
      if (next !== 0x2c) this.fail("Expecting ',' delimiter", this.pos - 1);
    }
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.pos++; // [
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos++);
      if (next === 0x5d) return result;
      if (next !== 0x2c) this.fail("Expecting ',' delimiter", this.pos - 1);
    }
  }

  private string(): string {
    const text = this.text;
    const start = ++this.pos; // opening quote
    PLAIN_STRING_CHARS.lastIndex = start;
    PLAIN_STRING_CHARS.test(text);
    let end = PLAIN_STRING_CHARS.lastIndex;
    if (text.charCodeAt(end) === 0x22) {
      this.pos = end + 1;
      return text.slice(start, end);
    }
    // Escapes (or an error): let JSON.parse read this one string literal, it knows the rules.
    end = start;
    for (;;) {
      const code = text.charCodeAt(end);
      if (Number.isNaN(code)) this.fail('Unterminated string starting at', start - 1);
      if (code === 0x22) break;
      end += code === 0x5c ? 2 : 1;
    }
    this.pos = end + 1;
    try {
      return JSON.parse(text.slice(start - 1, end + 1)) as string;
    } catch {
      return this.fail('Invalid string', start - 1);
    }
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail('Expecting value');
    const literal = match[0];
    this.pos += literal.length;
    if (match[1] !== undefined || match[2] !== undefined) return Number(literal);
    const value = Number(literal);
    if (Number.isSafeInteger(value)) return value === 0 ? 0 : value; // Python has no int -0
    return BigInt(literal);
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('Expecting value');
    this.pos += word.length;
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      pos++;
    }
    this.pos = pos;
  }

  private fail(reason: string, at = this.pos): never {
    throw new SyntaxError(`${reason} at position ${at} of the JSON text`);
  }
}
