import type { Event } from '../event';
import { InvalidArgumentError } from '../errors/invalid-argument.error';
import type { Message } from '../message';
import type { EventHandler, EventHandlerFunction } from './event-handler';

/** Wraps a sync or async function `(topic, event) => ...` as an {@link EventHandler}. */
export class CallbackEventHandler<M extends Message = Message> implements EventHandler<M> {
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
    return this.callback(topic, event);
  }
}

/** Wrap a function as a {@link CallbackEventHandler}. */
export function eventHandler<M extends Message = Message>(
  callback: EventHandlerFunction<M>,
): CallbackEventHandler<M> {
  return new CallbackEventHandler(callback);
}
