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
  /** Metadata that travels with the event (see {@link Event.headers}); none unless given. */
  headers?: EventHeaders;
}

/**
 * Metadata carried beside an event's payload, name to text: the reply address of a request,
 * trace context. Over MQTT 5 it travels in the packet's properties; elsewhere in the envelope, in
 * a member Python Busline ignores.
 */
export type EventHeaders = Readonly<Record<string, string>>;

/** @internal The headers of an event that has none (shared, frozen). */
export const NO_HEADERS: EventHeaders = Object.freeze({});

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
  /**
   * Metadata beside the payload (empty for most events). Busline's own names start with
   * `busline-`: a request carries `busline-reply-to` and `busline-correlation-id`.
   */
  // An event made without headers reads the prototype's (NO_HEADERS): one field less to store and
  // to collect on most events.
  declare readonly headers: EventHeaders;
  private id: string | undefined;
  private time: Date | number;

  constructor(init: EventInit<M>) {
    this.publisherIdentifier = init.publisherIdentifier;
    this.payload = init.payload ?? null;
    this.id = init.identifier;
    this.time = init.timestamp ?? Date.now();
    if (init.headers !== undefined) (this as { headers: EventHeaders }).headers = init.headers;
  }

  /** This event (same identifier, timestamp and payload) with `headers` added to its own. */
  withHeaders(headers: EventHeaders): Event<M> {
    return new Event({
      publisherIdentifier: this.publisherIdentifier,
      payload: this.payload,
      identifier: this.identifier,
      timestamp: this.timestamp,
      headers: { ...this.headers, ...headers },
    });
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
    headers?: EventHeaders;
  } {
    const json = {
      identifier: this.identifier,
      publisherIdentifier: this.publisherIdentifier,
      payload: this.payload,
      timestamp: this.timestamp.toISOString(),
    };
    return hasHeaders(this.headers) ? { ...json, headers: this.headers } : json;
  }
}

// Writable, so that an event made with headers gets them as a field of its own.
Object.defineProperty(Event.prototype, 'headers', { value: NO_HEADERS, writable: true });

// An event is not a thenable, and says so here: a promise resolved with an object looks `then` up
// on it (that is how thenables are adopted), and `publish()` resolves with its event. Found on the
// event's own prototype, the lookup stops there instead of failing through Object.prototype, which
// took ~7% of a local publish's time (bench/RESULTS.md, tenth round).
Object.defineProperty(Event.prototype, 'then', { value: undefined });

/** @internal Whether `headers` has any entry. */
export function hasHeaders(headers: EventHeaders): boolean {
  if (headers === NO_HEADERS) return false;
  for (const _name in headers) return true;
  return false;
}
