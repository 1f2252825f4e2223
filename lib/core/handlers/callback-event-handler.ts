import type { Event } from '../event';
import { InvalidArgumentError } from '../errors/invalid-argument.error';
import type { BuslineMessage } from '../message';
import type { BuslineEventHandler, EventHandlerFunction } from './event-handler';

/** Wraps a sync or async function `(topic, event) => ...` as a {@link BuslineEventHandler}. */
export class CallbackEventHandler<
  M extends BuslineMessage = BuslineMessage,
> implements BuslineEventHandler<M> {
  /** The function's name, or the one given. */
  readonly name: string;

  constructor(
    /** The wrapped function; it is called with `this` undefined. */
    readonly callback: EventHandlerFunction<M>,
    name?: string,
  ) {
    if (typeof callback !== 'function') {
      throw new InvalidArgumentError('callback', 'a function (topic, event) => ...', callback);
    }
    this.name = name ?? (callback.name || 'anonymous handler');
  }

  handle(topic: string, event: Event<M>): unknown {
    // Called as a plain function: `this` inside it is undefined, not this wrapper.
    const callback = this.callback;
    return callback(topic, event);
  }
}

/** Wrap a function as a {@link CallbackEventHandler}. */
export function eventHandler<M extends BuslineMessage = BuslineMessage>(
  callback: EventHandlerFunction<M>,
): CallbackEventHandler<M> {
  return new CallbackEventHandler(callback);
}
