import { instanceToPlain, plainToInstance } from 'class-transformer';
import { UnsupportedFormatError } from '../errors/unsupported-format.error';
import type { BuslineMessage } from '../message';
import { pythonJsonParse } from '../codec/python-json-parse';
import { pythonJsonStringify } from '../codec/python-json';
import { asDecodeError } from '../errors/payload-decode.error';
import { JSON_FORMAT_TYPE } from './format-types';
import { markJsonFloats } from './json-float.decorator';
import { decodeUtf8 } from './wrapper.codec';

/** The class side of a {@link JsonMessage} subclass: constructible with no arguments. */
export interface JsonMessageClass<T extends JsonMessage = JsonMessage> {
  new (): T;
  /** Builds a message from its JSON text. */
  fromJson(text: string): T;
  readonly name: string;
}

/**
 * Base class of messages that travel as JSON (format `'json'`, the only one).
 *
 * Unlike Python's `JsonMessageMixin`, nothing has to be written: `toJson()` maps the instance's
 * fields with class-transformer's `instanceToPlain` and writes them as Python's `json.dumps` does
 * (so a Python subscriber's `json.loads` sees the same document a Python publisher would send);
 * `fromJson()` reads the text (big integers exactly, `NaN`/`Infinity` accepted) and rebuilds the
 * instance with `plainToInstance`, so nested classes (`@Type(() => Order)`) and dates
 * (`@Type(() => Date)`) come back as such. Override either for a custom layout.
 *
 * Subclasses must be constructible with no arguments (give fields defaults). Integral numbers are
 * written as ints; mark Python `float` fields with `@JsonFloat()`. Dates are written as ISO text
 * in UTC (`2025-06-01T12:30:45.123000+00:00`), which Python's `datetime.fromisoformat` reads.
 * class-transformer's `@Type` needs `import 'reflect-metadata'` once in the program (NestJS apps
 * have it).
 *
 * ```ts
 * @Message()
 * class UserCreated extends JsonMessage {
 *   email = '';
 *   password = '';
 * }
 * ```
 */
export abstract class JsonMessage implements BuslineMessage {
  /** The message as JSON bytes; only `'json'` (the default) is supported. */
  serialize(formatType: string = JSON_FORMAT_TYPE): [formatType: string, data: Uint8Array] {
    if (formatType !== JSON_FORMAT_TYPE) {
      throw new UnsupportedFormatError(this.constructor.name, formatType, [JSON_FORMAT_TYPE]);
    }
    return [JSON_FORMAT_TYPE, Buffer.from(this.toJson(), 'utf8')];
  }

  /** The message as JSON text; by default its fields, written as Python's `json.dumps` would. */
  toJson(): string {
    const plain = instanceToPlain(this);
    markJsonFloats(this, plain);
    return pythonJsonStringify(plain);
  }

  /**
   * Builds a message from JSON text; by default a JSON object mapped onto a new instance of the
   * class it is called on. A subclass may override it (`static override fromJson(text): Mine`).
   */
  static fromJson(text: string): JsonMessage {
    const document = pythonJsonParse(text);
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new TypeError(
        `expected a JSON object, got ${document === null ? 'null' : Array.isArray(document) ? 'an array' : typeof document}`,
      );
    }
    return plainToInstance(this as unknown as new () => JsonMessage, document);
  }

  /**
   * Rebuilds a message from `serialize()` bytes (format `'json'`; a missing format means it too).
   * Invalid UTF-8 or JSON, or an error thrown by `fromJson`, is a `PayloadDecodeError`.
   */
  static deserialize<T extends JsonMessage>(
    this: new () => T,
    formatType: string | null | undefined,
    data: Uint8Array,
  ): T {
    const messageClass = this as unknown as JsonMessageClass<T>;
    if (formatType != null && formatType !== JSON_FORMAT_TYPE) {
      throw new UnsupportedFormatError(messageClass.name, formatType, [JSON_FORMAT_TYPE]);
    }
    const text = decodeUtf8(messageClass.name, JSON_FORMAT_TYPE, data);
    try {
      return messageClass.fromJson(text);
    } catch (error) {
      throw asDecodeError(messageClass.name, JSON_FORMAT_TYPE, error);
    }
  }
}
