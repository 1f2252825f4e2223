import { Event, NO_HEADERS, type EventHeaders } from '../event';
import { EventRegistry } from '../event.registry';
import type { BuslineMessage, MessageClass } from '../message';
import { asDecodeError } from '../errors/payload-decode.error';
import { EnvelopeDecodeError } from '../errors/envelope-decode.error';

/** The process-wide registry (`new EventRegistry()` returns it): looked up once, not per event. */
const registry = new EventRegistry();

/**
 * @internal The message type {@link RegistryPassthroughEvent.fromEvent} writes for a payload of
 * class `messageClass` (registering the class if it is not yet).
 */
export function messageTypeOf(messageClass: MessageClass): string {
  return registry.messageTypeOf(messageClass);
}

/** What `new RegistryPassthroughEvent(...)` takes: every field of the envelope. */
export interface RegistryPassthroughEventInit {
  /** Identifier of the event. */
  identifier: string;
  /** Identifier of the publisher that sent it. */
  publisherIdentifier: string;
  /** The payload's bytes, or `null` for an event without payload. */
  serializedPayload: Uint8Array | null;
  /** The format the payload is in (`'json'`, `'avro'`, `'bytes'`, `'utf-8'`, ...), or `null`. */
  payloadFormatType: string | null;
  /** The registry name of the payload's class, or `null`. */
  messageType: string | null;
  /** When the event was published. */
  timestamp: Date;
  /**
   * The event's headers (see `Event.headers`), none unless given. The JSON envelope writes them
   * as an extra `headers` member, and only when there are some.
   */
  headers?: EventHeaders;
}

/**
 * An event with its payload still in bytes: what travels on a broker, as Python Busline's
 * `RegistryPassthroughEvent`. The payload's class travels by name (`messageType`) and is found
 * again in the process-wide {@link EventRegistry} on arrival.
 */
export class RegistryPassthroughEvent {
  /** Identifier of the event. */
  readonly identifier: string;
  /** Identifier of the publisher that sent it. */
  readonly publisherIdentifier: string;
  /** The payload's bytes, or `null` for an event without payload. */
  readonly serializedPayload: Uint8Array | null;
  /** The format the payload is in, or `null`. */
  readonly payloadFormatType: string | null;
  /** The registry name of the payload's class, or `null`. */
  readonly messageType: string | null;
  /** When the event was published. */
  readonly timestamp: Date;
  /** The event's headers (empty for most events). */
  readonly headers: EventHeaders;

  constructor(init: RegistryPassthroughEventInit) {
    this.identifier = init.identifier;
    this.publisherIdentifier = init.publisherIdentifier;
    this.serializedPayload = init.serializedPayload;
    this.payloadFormatType = init.payloadFormatType;
    this.messageType = init.messageType;
    this.timestamp = init.timestamp;
    this.headers = init.headers ?? NO_HEADERS;
  }

  /**
   * Serializes `event`'s payload in its default format. The payload's class is registered in the
   * process-wide registry if it is not yet (under its class name), so this process can also decode
   * it; `messageType` sends it under another name instead, without registering it.
   */
  static fromEvent(event: Event, messageType?: string): RegistryPassthroughEvent {
    const payload = event.payload;
    if (payload === null) {
      return new RegistryPassthroughEvent({
        identifier: event.identifier,
        publisherIdentifier: event.publisherIdentifier,
        serializedPayload: null,
        payloadFormatType: null,
        messageType: null,
        timestamp: event.timestamp,
        headers: event.headers,
      });
    }
    const [payloadFormatType, serializedPayload] = payload.serialize();
    return new RegistryPassthroughEvent({
      identifier: event.identifier,
      publisherIdentifier: event.publisherIdentifier,
      serializedPayload,
      payloadFormatType,
      messageType: messageType ?? registry.messageTypeOf(payload.constructor as MessageClass),
      timestamp: event.timestamp,
      headers: event.headers,
    });
  }

  /** This envelope with other headers (none when `headers` is left out). */
  withHeaders(headers: EventHeaders = NO_HEADERS): RegistryPassthroughEvent {
    return new RegistryPassthroughEvent({ ...this, headers });
  }

  /**
   * The event with its payload decoded: the class registered as `messageType` rebuilds it with
   * `deserialize(payloadFormatType, serializedPayload)` (a `null` format is passed on as it is,
   * as Python does; Busline's own classes read it as their default format). A payload of `null` is
   * an event without payload, whatever `messageType` says.
   *
   * Throws `MessageTypeNotFoundError` for an unknown message type, {@link EnvelopeDecodeError} for
   * a payload without a message type, and `PayloadDecodeError` (or `UnsupportedFormatError`) when
   * the class cannot decode the bytes; any other error thrown by a class's `deserialize` is
   * wrapped in a `PayloadDecodeError`.
   */
  toEvent(): Event {
    const bytes = this.serializedPayload;
    let payload: BuslineMessage | null = null;
    if (bytes !== null) {
      const messageType = this.messageType;
      if (messageType === null) {
        throw new EnvelopeDecodeError(
          'the event has a serialized_payload but no message_type to decode it with',
          'message_type',
        );
      }
      const messageClass = registry.retrieveClass(messageType);
      try {
        payload = messageClass.deserialize(this.payloadFormatType as string, bytes);
      } catch (error) {
        throw asDecodeError(messageType, this.payloadFormatType, error);
      }
    }
    return new Event({
      identifier: this.identifier,
      publisherIdentifier: this.publisherIdentifier,
      payload,
      timestamp: this.timestamp,
      headers: this.headers,
    });
  }
}
