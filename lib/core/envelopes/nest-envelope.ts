import { pythonJsonParse } from '../codec/python-json-parse';
import { pythonJsonString, pythonJsonStringify } from '../codec/python-json';
import { Event } from '../event';
import { ForeignEnvelopeError } from '../errors/foreign-envelope.error';
import type { BuslineMessage, MessageClass } from '../message';
import { JSON_FORMAT_TYPE } from '../messages/format-types';
import { PrimitiveMessage } from '../messages/primitive.message';
import { RawJsonMessage } from '../messages/raw-json.message';
import { FOREIGN_PUBLISHER_IDENTIFIER } from './envelope';
import { readRaw } from './raw-payload';

/*
 * The JSON packet of `@nestjs/microservices`' MQTT transport: `ClientMqtt.emit(pattern, data)`
 * publishes `{"pattern": <pattern>, "data": <data>}` on the topic `pattern`; a request
 * (`send()`) adds `"id"`. An `@EventPattern` handler of a `ServerMqtt` gets `data`.
 */

/** @internal Whether a parsed JSON document has the shape of a `@nestjs/microservices` packet. */
export function isNestPacket(document: unknown): document is { pattern: unknown; data?: unknown } {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return false;
  const keys = Object.keys(document);
  return (
    'pattern' in document &&
    keys.length <= 3 &&
    keys.every((key) => key === 'pattern' || key === 'data' || key === 'id')
  );
}

/**
 * @internal The event in a `@nestjs/microservices` packet: `data` as an instance of
 * `messageClass` (its JSON form mapped onto it), or as a `RawJsonMessage`; no `data` is no
 * payload. The identifier is the packet's `id` when it has one (requests), else generated.
 */
export function decodeNestPacket(document: unknown, messageClass?: MessageClass): Event {
  if (!isNestPacket(document)) {
    throw new ForeignEnvelopeError(
      'nest',
      'expected a JSON object with "pattern" and "data" (and at most "id")',
    );
  }
  const data = document.data;
  let payload: BuslineMessage | null = null;
  if (data !== undefined) {
    payload =
      messageClass === undefined
        ? new RawJsonMessage(data)
        : readRaw(Buffer.from(pythonJsonStringify(data), 'utf8'), messageClass);
  }
  const id = (document as { id?: unknown }).id;
  return new Event({
    publisherIdentifier: FOREIGN_PUBLISHER_IDENTIFIER,
    payload,
    identifier: typeof id === 'string' && id !== '' ? id : undefined,
  });
}

/** @internal {@link decodeNestPacket} from the bytes of the packet. */
export function decodeNestBytes(bytes: Uint8Array, messageClass?: MessageClass): Event {
  let document: unknown;
  try {
    document = pythonJsonParse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ForeignEnvelopeError(
      'nest',
      `the message is not JSON (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  return decodeNestPacket(document, messageClass);
}

/**
 * @internal The packet `ClientMqtt.emit(topic, data)` would publish for `event`: `data` is the
 * payload as JSON (a JSON message's document, a wrapper's plain value), none without payload.
 */
export function encodeNestPacket(topic: string, event: Event): Uint8Array {
  const data = nestData(event.payload);
  const text =
    '{"pattern": ' +
    pythonJsonString(topic) +
    (data === undefined ? '' : ', "data": ' + data) +
    '}';
  return Buffer.from(text, 'utf8');
}

function nestData(payload: BuslineMessage | null): string | undefined {
  if (payload === null) return undefined;
  // A Nest handler expects the plain value, not Busline's `{"value": ...}` wrapper form.
  if (payload instanceof PrimitiveMessage) return pythonJsonStringify(payload.value);
  const [formatType, data] = payload.serialize();
  if (formatType !== JSON_FORMAT_TYPE) {
    throw new ForeignEnvelopeError(
      'nest',
      `a ${payload.constructor.name} is sent as '${formatType}', and a @nestjs/microservices packet carries JSON only; publish a JSON message`,
    );
  }
  return Buffer.from(data).toString('utf8');
}
