import { BuslineError } from './busline.error';

/** A handler threw or rejected. Reported to the subscriber's `onError`; delivery goes on. */
export class HandlerError extends BuslineError {
  constructor(
    /** The topic the event arrived on. */
    readonly topic: string,
    /** The event's identifier. */
    readonly eventId: string,
    /** A name for the handler (function or `Class.method`). */
    readonly handler: string,
    cause: unknown,
  ) {
    super(
      `Handler ${handler} failed on topic '${topic}' for event ${eventId}: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
}

/** An event arrived on a topic that has no handler, and the subscriber requires one. */
export class HandlerRequiredError extends BuslineError {
  constructor(
    readonly topic: string,
    detail = "give subscribe() a handler or set the subscriber's defaultHandler",
  ) {
    super(`No handler for topic '${topic}' and handlerAlwaysRequired is set; ${detail}`);
  }
}
