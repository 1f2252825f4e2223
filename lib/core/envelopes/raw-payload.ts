import { Event } from '../event';
import { asDecodeError } from '../errors/payload-decode.error';
import type { BuslineMessage } from '../message';
import { BytesMessage } from '../messages/bytes.message';
import { JSON_FORMAT_TYPE, UTF8_FORMAT_TYPE } from '../messages/format-types';
import { RawJsonMessage } from '../messages/raw-json.message';
import { StringMessage } from '../messages/string.message';
import { FOREIGN_PUBLISHER_IDENTIFIER, type RawPayload } from './envelope';

const EMPTY = new Uint8Array(0);

/**
 * @internal The event a raw subscription hands its handler: the payload read as `kind` says, a
 * generated identifier, no publisher, the arrival time. Throws `PayloadDecodeError` (or the
 * class's own Busline error) when the bytes do not read as `kind`.
 */
export function decodeRawPayload(bytes: Uint8Array, kind: RawPayload): Event {
  return new Event({
    publisherIdentifier: FOREIGN_PUBLISHER_IDENTIFIER,
    payload: readRaw(bytes, kind),
  });
}

/** @internal The payload of a raw subscription, read as `kind` says. */
export function readRaw(bytes: Uint8Array, kind: RawPayload): BuslineMessage {
  switch (kind) {
    case 'bytes':
      return BytesMessage.deserialize(undefined, bytes);
    case 'text':
      return StringMessage.deserialize(UTF8_FORMAT_TYPE, bytes);
    case 'json':
      return RawJsonMessage.deserialize(JSON_FORMAT_TYPE, bytes);
    default:
      try {
        return kind.deserialize(JSON_FORMAT_TYPE, bytes);
      } catch (error) {
        throw asDecodeError(kind.name, JSON_FORMAT_TYPE, error);
      }
  }
}

/**
 * @internal What a raw publish sends: the payload in its default format (no envelope), or
 * nothing for an event without payload.
 */
export function encodeRawPayload(event: Event): Uint8Array {
  const payload = event.payload;
  return payload === null ? EMPTY : payload.serialize()[1];
}
