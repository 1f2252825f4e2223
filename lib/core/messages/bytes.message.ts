import { asBuffer } from '../codec/bytes';
import { EventRegistry } from '../event.registry';
import { UnsupportedFormatError } from '../errors/unsupported-format.error';
import type { BuslineMessage } from '../message';
import { BYTES_FORMAT_TYPE } from './format-types';

/**
 * Bytes as they are: what a raw `'bytes'` subscription hands its handler, and what a raw publish
 * of it sends unchanged. One format, `'bytes'` (the default).
 */
export class BytesMessage implements BuslineMessage {
  /** The bytes carried. */
  readonly value: Uint8Array;

  constructor(value: Uint8Array = new Uint8Array(0)) {
    if (!(value instanceof Uint8Array)) {
      throw new TypeError(`BytesMessage value must be a Uint8Array, got ${typeof value}`);
    }
    this.value = value;
  }

  /** The bytes; only `'bytes'` (the default) is supported. */
  serialize(formatType: string = BYTES_FORMAT_TYPE): [formatType: string, data: Uint8Array] {
    if (formatType !== BYTES_FORMAT_TYPE) {
      throw new UnsupportedFormatError('BytesMessage', formatType, [BYTES_FORMAT_TYPE]);
    }
    return [BYTES_FORMAT_TYPE, this.value];
  }

  /** A message holding `data` (format `'bytes'`; a missing format means it too). */
  static deserialize(formatType: string | null | undefined, data: Uint8Array): BytesMessage {
    if (formatType != null && formatType !== BYTES_FORMAT_TYPE) {
      throw new UnsupportedFormatError('BytesMessage', formatType, [BYTES_FORMAT_TYPE]);
    }
    return new BytesMessage(asBuffer(data));
  }
}

new EventRegistry().add(BytesMessage, 'BytesMessage');
