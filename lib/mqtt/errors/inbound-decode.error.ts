import { BuslineError } from '../../core/errors/busline.error';

/**
 * A message arrived from the broker but is not an event this subscriber can read: not JSON, not a
 * Busline envelope, an unknown `message_type`, a payload that does not decode, or too large. It is
 * reported to the subscriber's `onError` (or logged) and skipped; the next message is handled as
 * usual. The decoder's own typed error is the `cause`.
 */
export class InboundDecodeError extends BuslineError {
  constructor(
    /** The topic the message arrived on. */
    readonly topic: string,
    /** Size of the message payload in bytes. */
    readonly payloadSize: number,
    /** Why it could not be read. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot read the ${payloadSize}-byte message that arrived on '${topic}': ${reason}; ` +
        'it was skipped',
      options,
    );
  }
}

/** A message larger than the subscriber's `maxPayloadSize` arrived; it was skipped unread. */
export class InboundPayloadTooLargeError extends InboundDecodeError {
  constructor(
    topic: string,
    payloadSize: number,
    /** The subscriber's `maxPayloadSize`. */
    readonly limit: number,
  ) {
    super(
      topic,
      payloadSize,
      `it is larger than maxPayloadSize (${limit} bytes); raise maxPayloadSize to accept it`,
    );
  }
}
