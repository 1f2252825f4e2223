import { EventRegistry } from '../event.registry';
import { pythonJsonString } from '../codec/python-json';
import { UTF8_FORMAT_TYPE } from './format-types';
import { PrimitiveMessage, primitiveCodec } from './primitive.message';
import { decodeUtf8 } from './wrapper.codec';

const codec = primitiveCodec<string>({
  name: 'StringMessage',
  rawFormat: UTF8_FORMAT_TYPE,
  avro: 'string',
  check(value) {
    if (typeof value !== 'string') {
      throw new TypeError(`StringMessage value must be a string, got ${typeof value}`);
    }
    return value;
  },
  // Lone surrogates become U+FFFD (Python would refuse to encode them).
  writeRaw: (value) => Buffer.from(value, 'utf8'),
  readRaw: (data) => decodeUtf8('StringMessage', UTF8_FORMAT_TYPE, data),
  jsonText: pythonJsonString,
  fromValue: (value) => value as string,
});

/**
 * A text message. Formats: `'utf-8'` (default: the UTF-8 bytes of the text), `'json'`
 * (`{"value": "..."}` as Python writes it) and `'avro'` (record `StringMessage { value: string }`).
 * Invalid UTF-8, JSON or Avro, or a non-string value, is a `PayloadDecodeError`.
 */
export class StringMessage extends PrimitiveMessage<string> {
  /** @internal */
  protected static override readonly codec = codec;
}

new EventRegistry().add(StringMessage, 'StringMessage');
