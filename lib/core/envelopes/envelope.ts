import type { MessageClass } from '../message';

/**
 * What a raw subscription (no envelope at all) makes of the bytes it gets:
 *
 * - a message class: the bytes are its JSON form, mapped onto a new instance
 *   (`MessageClass.deserialize('json', bytes)`; for a `JsonMessage` subclass, class-transformer);
 * - `'json'`: any JSON document, as a `RawJsonMessage` (`value` is the parsed document);
 * - `'text'`: UTF-8 text, as a `StringMessage`;
 * - `'bytes'`: the bytes as they are, as a `BytesMessage`.
 */
export type RawPayload = MessageClass | 'json' | 'text' | 'bytes';

/**
 * How a subscription reads what arrives (the `envelope` option of `subscribe()` and
 * `@Subscribe()`):
 *
 * - `'auto'` (default): Busline's JSON envelope (what Python Busline writes), the binary envelope,
 *   a CloudEvent (structured JSON with `specversion`, or binary mode over MQTT 5 user properties),
 *   and the `{ "pattern", "data" }` JSON of `@nestjs/microservices`, told apart by themselves;
 *   anything else is a decode error.
 * - `'busline'`: only Busline's own envelopes (JSON or binary).
 * - `'cloudevents'`: only CloudEvents 1.0, structured or binary mode. The event's `type` names the
 *   message class in the registry (`@Message('com.example.reading')`), `id` becomes the event's
 *   identifier, `source` its publisher identifier and `time` its timestamp.
 * - `'nest'` or `{ nest: MessageClass }`: only `@nestjs/microservices` packets; `data` becomes a
 *   `RawJsonMessage`, or an instance of the class given.
 * - `{ raw: ... }`: no envelope at all (see {@link RawPayload}).
 *
 * Events read from a foreign envelope that carries no identifier (raw, Nest) get a generated UUID
 * as `identifier`, {@link FOREIGN_PUBLISHER_IDENTIFIER} as `publisherIdentifier`, and their arrival
 * time as `timestamp`.
 */
export type SubscribeEnvelope =
  | 'auto'
  | 'busline'
  | 'cloudevents'
  | 'nest'
  | { readonly raw: RawPayload }
  | { readonly nest: MessageClass };

/**
 * How a publish is written on the wire (the `envelope` option of `publish()`):
 *
 * - `'busline'`: Python Busline's JSON envelope (the default of a publisher without a custom
 *   serializer);
 * - `'binary'`: the compact binary envelope (Busline subscribers only);
 * - `'raw'`: the payload alone, in its default format (a `JsonMessage` as plain JSON, a
 *   `StringMessage` as UTF-8 text, a `BytesMessage` as its bytes), for devices that expect no
 *   envelope; an event without payload is an empty message;
 * - `'nest'`: `{ "pattern": <topic>, "data": <payload as JSON> }`, what an `@EventPattern` handler
 *   of a `@nestjs/microservices` MQTT app receives;
 * - `'cloudevents'`: a CloudEvents 1.0 event in structured JSON mode;
 * - `'cloudevents-binary'`: CloudEvents 1.0 binary mode: the payload as it is, the attributes as
 *   MQTT 5 user properties and the content type as the MQTT 5 content type (MQTT 5 only).
 */
export type PublishEnvelope =
  'busline' | 'binary' | 'raw' | 'nest' | 'cloudevents' | 'cloudevents-binary';

/**
 * The `publisherIdentifier` of events read from an envelope that names no publisher (raw
 * payloads, `@nestjs/microservices` packets): the empty string.
 */
export const FOREIGN_PUBLISHER_IDENTIFIER = '';

/** What a transport knows about a message besides its bytes, for envelopes that need it. */
export interface WireContext {
  /** The topic the message arrived on (or is published to). */
  readonly topic: string;
  /** The message's content type, where the transport carries one (MQTT 5). */
  readonly contentType?: string;
  /** The message's user properties, where the transport carries them (MQTT 5). */
  readonly userProperties?: Readonly<Record<string, string | string[]>>;
}

/** An event as the wire carries it: its bytes and, for some envelopes, transport metadata. */
export interface EncodedEvent {
  /** The bytes of the message. */
  readonly payload: Uint8Array;
  /** The content type to send with it (MQTT 5), if the envelope sets one. */
  readonly contentType?: string;
  /** User properties to send with it (MQTT 5), if the envelope sets any. */
  readonly userProperties?: Readonly<Record<string, string>>;
}
