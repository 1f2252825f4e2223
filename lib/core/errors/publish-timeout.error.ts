import { BuslineError } from './busline.error';

/**
 * A publish did not complete within its `timeout`. `mayStillBeSent` says what became of the event:
 * - `false`: it was withdrawn before the transport took it (it waited for a connection); it will
 *   never be sent, and publishing it again cannot make a duplicate.
 * - `true`: the transport had it already (for example an MQTT QoS 1 publish waiting for the
 *   broker's PUBACK, which the client retries after a reconnection); it may still arrive, so
 *   publishing it again may make a duplicate (same event identifier, for subscribers to spot).
 */
export class PublishTimeoutError extends BuslineError {
  constructor(
    /** The topic of the publish. */
    readonly topic: string,
    /** The event's identifier. */
    readonly eventIdentifier: string,
    /** The timeout that passed, in ms. */
    readonly timeout: number,
    /** Whether the event may still be sent (see the class documentation). */
    readonly mayStillBeSent: boolean,
  ) {
    super(
      `Publish on '${topic}' did not complete within ${timeout} ms; ` +
        (mayStillBeSent
          ? 'the transport has the event and may still send it (a retry may duplicate it)'
          : 'it was withdrawn and will not be sent (safe to retry)'),
    );
  }
}
