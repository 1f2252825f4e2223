import { BuslineError } from './busline.error';

/**
 * A request got no reply within its `timeout`. A reply that arrives later is dropped and counted
 * in the client's `lateReplies`.
 */
export class RequestTimeoutError extends BuslineError {
  constructor(
    /** The topic the request was published on. */
    readonly topic: string,
    /** The request event's identifier. */
    readonly eventIdentifier: string,
    /** The timeout that passed, in ms. */
    readonly timeout: number,
  ) {
    super(
      `No reply to the request on '${topic}' within ${timeout} ms. Check that a responder is ` +
        'subscribed to the topic and that its handler returns a value (undefined sends no ' +
        'reply), or give request() a longer timeout',
    );
  }
}
