import type { Event } from '../event';
import type { BuslineMessage } from '../message';
import { CallbackEventHandler } from './callback-event-handler';
import { InvalidArgumentError } from '../errors/invalid-argument.error';

/** A function that handles an event; it may be async. */
export type EventHandlerFunction<M extends BuslineMessage = BuslineMessage> = (
  topic: string,
  event: Event<M>,
) => unknown;

/**
 * Anything that handles events: `handle(topic, event)` may return a promise, which the subscriber
 * waits for before it hands the same subscription its next event (unless the subscription allows
 * concurrency). The `@EventHandler()` method decorator turns a method into one.
 */
export interface BuslineEventHandler<M extends BuslineMessage = BuslineMessage> {
  handle(topic: string, event: Event<M>): unknown;
  /** A name for logs and error reports (function name or `Class.method`). */
  readonly name?: string;
}

/** True for an object with a `handle(topic, event)` method. */
export function isEventHandler(value: unknown): value is BuslineEventHandler {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as Partial<BuslineEventHandler>).handle === 'function'
  );
}

/**
 * A handler object or a plain function `(topic, event) => ...`. `M` is the payload type the
 * handler expects; Busline does not check it at run time (use validation for that).
 */
export type HandlerLike<M extends BuslineMessage = BuslineMessage> =
  BuslineEventHandler<M> | EventHandlerFunction<M>;

/** Wrap a function as a handler; pass handler objects through. */
export function toHandler<M extends BuslineMessage = BuslineMessage>(
  handler: HandlerLike<M>,
  parameter = 'handler',
): BuslineEventHandler<M> {
  if (isEventHandler(handler)) return handler as BuslineEventHandler<M>;
  if (typeof handler === 'function') return new CallbackEventHandler(handler);
  throw new InvalidArgumentError(parameter, 'a BuslineEventHandler or a function', handler);
}
