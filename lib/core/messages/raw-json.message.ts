import { pythonJsonParse } from '../codec/python-json-parse';
import { pythonJsonStringify } from '../codec/python-json';
import { EventRegistry } from '../event.registry';
import { PayloadDecodeError } from '../errors/payload-decode.error';
import { UnsupportedFormatError } from '../errors/unsupported-format.error';
import type { BuslineMessage } from '../message';
import { JSON_FORMAT_TYPE } from './format-types';
import { decodeUtf8 } from './wrapper.codec';

/**
 * Any JSON document, untyped: `value` is what `JSON.parse` gives (integers beyond 2^53 as
 * `bigint`). What a raw `'json'` subscription, and a `@nestjs/microservices` envelope read without
 * a message class, hand their handler; published raw, it sends the document as it is. One format,
 * `'json'` (the default). Map the document onto a class instead for typed, validated payloads.
 */
export class RawJsonMessage implements BuslineMessage {
  /** The JSON document. */
  readonly value: unknown;

  constructor(value: unknown = null) {
    this.value = value;
  }

  /** The document as JSON text; only `'json'` (the default) is supported. */
  serialize(formatType: string = JSON_FORMAT_TYPE): [formatType: string, data: Uint8Array] {
    if (formatType !== JSON_FORMAT_TYPE) {
      throw new UnsupportedFormatError('RawJsonMessage', formatType, [JSON_FORMAT_TYPE]);
    }
    return [JSON_FORMAT_TYPE, Buffer.from(pythonJsonStringify(this.value), 'utf8')];
  }

  /** The document in `data` (format `'json'`; a missing format means it too). */
  static deserialize(formatType: string | null | undefined, data: Uint8Array): RawJsonMessage {
    if (formatType != null && formatType !== JSON_FORMAT_TYPE) {
      throw new UnsupportedFormatError('RawJsonMessage', formatType, [JSON_FORMAT_TYPE]);
    }
    const text = decodeUtf8('RawJsonMessage', JSON_FORMAT_TYPE, data);
    try {
      return new RawJsonMessage(pythonJsonParse(text));
    } catch (error) {
      throw new PayloadDecodeError('RawJsonMessage', JSON_FORMAT_TYPE, (error as Error).message, {
        cause: error,
      });
    }
  }
}

new EventRegistry().add(RawJsonMessage, 'RawJsonMessage');
