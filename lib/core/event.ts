import { randomUUID } from 'node:crypto';
import type { BuslineMessage } from './message';

/** What `new Event(...)` takes. */
export interface EventInit<M extends BuslineMessage = BuslineMessage> {
  /** Identifier of the publisher that sent the event. */
  publisherIdentifier: string;
  /** The message carried, or none for a bare notification. */
  payload?: M | null;
  /** Unique identifier; a random UUID v4 (made when first read) unless given. */
  identifier?: string;
  /** When the event was published; the time of construction unless given. */
  timestamp?: Date;
}

/**
 * The envelope a subscriber receives: who sent which message, when, under which identifier.
 *
 * The identifier and the `Date` are made on first read: most events on a local bus are never asked
 * for either. Once read they stay the same, and the timestamp is always the time the event was made.
 */
export class Event<M extends BuslineMessage = BuslineMessage> {
  /** Identifier of the publisher that sent the event. */
  readonly publisherIdentifier: string;
  /** The message carried, or `null` for an event without payload. */
  readonly payload: M | null;
  private id: string | undefined;
  private time: Date | number;

  constructor(init: EventInit<M>) {
    this.publisherIdentifier = init.publisherIdentifier;
    this.payload = init.payload ?? null;
    this.id = init.identifier;
    this.time = init.timestamp ?? Date.now();
  }

  /** Unique identifier of the event (UUID v4 unless the publisher chose one). */
  get identifier(): string {
    return (this.id ??= randomUUID());
  }

  /** When the event was published. */
  get timestamp(): Date {
    const time = this.time;
    return typeof time === 'number' ? (this.time = new Date(time)) : time;
  }

  /** A plain object for logs and `JSON.stringify`. */
  toJSON(): {
    identifier: string;
    publisherIdentifier: string;
    payload: M | null;
    timestamp: string;
  } {
    return {
      identifier: this.identifier,
      publisherIdentifier: this.publisherIdentifier,
      payload: this.payload,
      timestamp: this.timestamp.toISOString(),
    };
  }
}
