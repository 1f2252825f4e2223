import { EventRegistry } from '../event.registry';
import { UnsupportedFormatError, type Message } from '../message';
import { pythonJsonString } from '../wire/python-json';
import { AVRO_FORMAT_TYPE, JSON_FORMAT_TYPE, UTF8_FORMAT_TYPE } from './format-types';
import {
  compileWrapperAvroType,
  decodeAvroValue,
  decodeJsonValue,
  decodeUtf8,
  decoding,
  encodeJsonValue,
} from './wrapper.codec';

const FORMATS = [UTF8_FORMAT_TYPE, JSON_FORMAT_TYPE, AVRO_FORMAT_TYPE] as const;
const avroType = compileWrapperAvroType('StringMessage', 'string');

/**
 * A text message. Formats: `'utf-8'` (default: the UTF-8 bytes of the text), `'json'`
 * (`{"value": "..."}` as Python writes it) and `'avro'` (record `StringMessage { value: string }`).
 */
export class StringMessage implements Message {
  /** The text carried. */
  readonly value: string;

  constructor(value: string) {
    if (typeof value !== 'string') {
      throw new TypeError(`StringMessage value must be a string, got ${typeof value}`);
    }
    this.value = value;
  }

  /** The value as text, so the message reads naturally in logs and template strings. */
  toString(): string {
    return String(this.value);
  }

  /** The text in `formatType` (default `'utf-8'`); an {@link UnsupportedFormatError} for others. */
  serialize(formatType: string = UTF8_FORMAT_TYPE): [formatType: string, data: Uint8Array] {
    switch (formatType) {
      case UTF8_FORMAT_TYPE:
        // Lone surrogates become U+FFFD (Python would refuse to encode them).
        return [UTF8_FORMAT_TYPE, Buffer.from(this.value, 'utf8')];
      case JSON_FORMAT_TYPE:
        return [JSON_FORMAT_TYPE, encodeJsonValue(pythonJsonString(this.value))];
      case AVRO_FORMAT_TYPE:
        return [AVRO_FORMAT_TYPE, avroType.toBuffer({ value: this.value })];
      default:
        throw new UnsupportedFormatError('StringMessage', formatType, FORMATS);
    }
  }

  /**
   * Rebuilds a message from `serialize(formatType)` bytes; a missing format means `'utf-8'`.
   * Invalid UTF-8, JSON or Avro, or a non-string value, is a `PayloadDecodeError`.
   */
  static deserialize(formatType: string | null | undefined, data: Uint8Array): StringMessage {
    switch (formatType ?? UTF8_FORMAT_TYPE) {
      case UTF8_FORMAT_TYPE:
        return new StringMessage(decodeUtf8('StringMessage', UTF8_FORMAT_TYPE, data));
      case JSON_FORMAT_TYPE: {
        const value = decodeJsonValue('StringMessage', data);
        return decoding(
          'StringMessage',
          JSON_FORMAT_TYPE,
          () => new StringMessage(value as string),
        );
      }
      case AVRO_FORMAT_TYPE:
        return new StringMessage(decodeAvroValue('StringMessage', avroType, data) as string);
      default:
        throw new UnsupportedFormatError('StringMessage', String(formatType), FORMATS);
    }
  }
}

new EventRegistry().add(StringMessage, 'StringMessage');
