import { InvalidArgumentError } from './errors/invalid-argument.error';
import { NoTransportError } from './errors/no-transport.error';
import {
  checkDeduplicationWindow,
  DeduplicatingEventHandler,
} from './handlers/deduplicating-event-handler';
import type { HandlerLike } from './handlers/event-handler';
import type { BuslineMessage } from './message';
import type { ClientSubscribeOptions } from './pubsub-client';

/*
 * @internal How a PubSubClient picks the transports of a call and the handler its subscribers get.
 */

/** @internal The connectors `via` accepts (all without it); none is a NoTransportError. */
export function pick<T>(
  all: readonly T[],
  via: ((t: T) => boolean) | undefined,
  kind: string,
  action: string,
): readonly T[] {
  const chosen = via ? all.filter(via) : all;
  if (chosen.length === 0) {
    throw new NoTransportError(
      `Cannot ${action}: the client has no ${kind}${via ? ' that `via` accepts' : ''}; add one with ` +
        `PubSubClientBuilder.with${kind === 'publisher' ? 'Publisher' : 'Subscriber'}()`,
    );
  }
  return chosen;
}

/**
 * @internal What each subscriber of one subscribe call gets: with `deliver: 'once'` and several
 * subscribers, the handler behind one {@link DeduplicatingEventHandler} they share. `deliver` and
 * `deduplicationWindow` are the client's and go to no subscriber.
 */
export function delivery<M extends BuslineMessage, O extends ClientSubscribeOptions>(
  handler: HandlerLike<M> | undefined,
  options: O | undefined,
  subscribers: number,
): [HandlerLike<M> | undefined, O | undefined] {
  if (options?.deliver === undefined && options?.deduplicationWindow === undefined) {
    return [handler, options];
  }
  const { deliver, deduplicationWindow, ...forwarded } = options;
  const rest = forwarded as O;
  if (deliver !== 'once') {
    if (deliver !== undefined && deliver !== 'per-subscriber') {
      throw new InvalidArgumentError('options.deliver', "'per-subscriber' or 'once'", deliver);
    }
    if (deduplicationWindow !== undefined) {
      throw new InvalidArgumentError(
        'options.deduplicationWindow',
        "left out unless options.deliver is 'once'",
        deduplicationWindow,
      );
    }
    return [handler, rest];
  }
  const window = checkDeduplicationWindow('options.deduplicationWindow', deduplicationWindow);
  if (handler === undefined) {
    throw new InvalidArgumentError(
      'handler',
      "a handler when options.deliver is 'once' (it applies to the handler, not a default one)",
      handler,
    );
  }
  // One subscriber carries one copy: nothing to collapse, so nothing to remember.
  if (subscribers < 2) return [handler, rest];
  return [new DeduplicatingEventHandler(handler, { window }), rest];
}
