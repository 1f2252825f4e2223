import { BuslineError } from './busline.error';

/**
 * `connect()` could not make several of a subscriber's subscriptions (for example the broker's
 * ACL refused them); the subscriber was disconnected again. `refused` holds each topic with its
 * own error.
 */
export class SubscriptionsRefusedError extends BuslineError {
  constructor(
    /** The subscriber, as its `toString()`. */
    readonly subscriber: string,
    /** Each refused topic filter with the transport's error. */
    readonly refused: readonly { readonly topic: string; readonly error: unknown }[],
  ) {
    super(
      `${subscriber} could not make ${refused.length} of its subscriptions, so it disconnected ` +
        `again: ${refused.map(({ topic, error }) => `'${topic}' (${reasonOf(error)})`).join('; ')}`,
      { cause: refused[0]?.error },
    );
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
