import { HandlerError } from '../../core/errors/handler.error';
import type { Event } from '../../core/event';
import { EventRegistry } from '../../core/event.registry';
import type { BuslineMessage, MessageClass } from '../../core/message';
import { Message } from '../../core/message.decorator';
import { JsonMessage } from '../../core/messages/json.message';

/**
 * What Busline publishes on a dead-letter topic: the event a handler could not handle, why, and
 * its original payload (serialized, base64) so it can be inspected or replayed with
 * {@link DeadLetterMessage.originalPayload}. Travels as JSON under the message type
 * `busline.DeadLetter`.
 */
@Message('busline.DeadLetter')
export class DeadLetterMessage extends JsonMessage {
  /** The topic the event arrived on. */
  topic = '';
  /** The original event's identifier. */
  eventIdentifier = '';
  /** The original event's publisher identifier. */
  publisherIdentifier = '';
  /** The original event's timestamp, ISO 8601. */
  timestamp = '';
  /** The handler that could not handle it, as `ClassName.method`. */
  handler = '';
  /** Class name of the error (`HandlerError`, `MessageValidationError`, ...). */
  error = '';
  /** The error's message. */
  reason = '';
  /** How many times the handler ran (0 when the message was invalid). */
  attempts = 0;
  /** Message type of the original payload in the registry, or null for no payload. */
  messageType: string | null = null;
  /** Format the original payload is serialized in, or null for no payload. */
  formatType: string | null = null;
  /** The original payload's bytes, base64, or null for no payload. */
  payload: string | null = null;

  /** The dead letter of `event`, which arrived on `topic`, for `error`. */
  static of(
    topic: string,
    event: Event,
    handler: string,
    error: Error,
    attempts: number,
  ): DeadLetterMessage {
    const letter = new DeadLetterMessage();
    letter.topic = topic;
    letter.eventIdentifier = event.identifier;
    letter.publisherIdentifier = event.publisherIdentifier;
    letter.timestamp = event.timestamp.toISOString();
    letter.handler = handler;
    letter.error = error.name;
    // A HandlerError's message repeats the topic, event and handler (fields of their own here).
    const cause = (error as { cause?: unknown }).cause;
    letter.reason =
      error instanceof HandlerError && cause instanceof Error ? cause.message : error.message;
    letter.attempts = attempts;
    const payload = event.payload;
    if (payload !== null) {
      letter.messageType = new EventRegistry().messageTypeOf(payload.constructor as MessageClass);
      const [formatType, data] = payload.serialize();
      letter.formatType = formatType;
      letter.payload = Buffer.from(data).toString('base64');
    }
    return letter;
  }

  /**
   * The original payload, rebuilt with the class registered under `messageType` (throws
   * `MessageTypeNotFoundError` when none is), or null for an event without payload.
   */
  originalPayload(): BuslineMessage | null {
    if (this.payload === null || this.messageType === null) return null;
    const messageClass = new EventRegistry().retrieveClass(this.messageType);
    return messageClass.deserialize(this.formatType ?? '', Buffer.from(this.payload, 'base64'));
  }
}
