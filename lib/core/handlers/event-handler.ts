import type { Event } from '../event';
import type { Message } from '../message';
import { CallbackEventHandler } from './callback-event-handler';
import { InvalidArgumentError } from '../errors/invalid-argument.error';

/** A function that handles an event; it may be async. */
export type EventHandlerFunction<M extends Message = Message> = (
  topic: string,
  event: Event<M>,
) => unknown;

/**
 * Anything that handles events: `handle(topic, event)` may return a promise, which the subscriber
 * waits for before it hands the same subscription its next event (unless the subscription allows
 * concurrency).
 */
export interface EventHandler<M extends Message = Message> {
  handle(topic: string, event: Event<M>): unknown;
  /** A name for logs and error reports (function name or `Class.method`). */
  readonly name?: string;
}

/** True for an object with a `handle(topic, event)` method. */
export function isEventHandler(value: unknown): value is EventHandler {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<EventHandler>).handle === 'function'
  );
}

/**
 * A handler object or a plain function `(topic, event) => ...`. `M` is the payload type the
 * handler expects; Busline does not check it at run time (use validation for that).
 */
export type HandlerLike<M extends Message = Message> = EventHandler<M> | EventHandlerFunction<M>;

/** Wrap a function as a handler; pass handler objects through. */
export function toHandler<M extends Message = Message>(
  handler: HandlerLike<M>,
  parameter = 'handler',
): EventHandler<M> {
  if (typeof handler === 'function') return new CallbackEventHandler(handler);
  if (isEventHandler(handler)) return handler as EventHandler<M>;
  throw new InvalidArgumentError(parameter, 'an EventHandler or a function', handler);
}

const HANDLER_METHODS = Symbol('busline:event-handler-methods');

/** Names of the methods of `prototype` (and its ancestors) decorated with `@EventHandler()`. */
export function eventHandlerMethods(prototype: object): readonly string[] {
  return (prototype as Record<symbol, string[]>)[HANDLER_METHODS] ?? [];
}

/**
 * Method decorator: turns the method into an {@link EventHandler} bound to its instance, so
 * `subscriber.subscribe('orders', this.onOrder)` works without `.bind(this)`. The handler is made
 * once per instance, on first access.
 *
 * The method's original function stays reachable as `handler.callback`.
 */
// eslint-disable-next-line @typescript-eslint/no-redeclare
export function EventHandler(): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const method = descriptor.value as unknown as EventHandlerFunction;
    if (typeof method !== 'function') {
      throw new TypeError(`@EventHandler() decorates methods; ${String(propertyKey)} is not one`);
    }
    const methods = Object.prototype.hasOwnProperty.call(target, HANDLER_METHODS)
      ? (target as Record<symbol, string[]>)[HANDLER_METHODS]
      : ((target as Record<symbol, string[]>)[HANDLER_METHODS] = [
          ...((target as Record<symbol, string[]>)[HANDLER_METHODS] ?? []),
        ]);
    methods.push(String(propertyKey));
    const className = (target as { constructor: { name: string } }).constructor.name;
    const name = `${className}.${String(propertyKey)}`;
    return {
      configurable: true,
      enumerable: descriptor.enumerable,
      get(this: object) {
        if (this === target) return new CallbackEventHandler(method, name);
        const handler = new CallbackEventHandler(method.bind(this), name);
        Object.defineProperty(this, propertyKey, { value: handler, configurable: true });
        return handler;
      },
    } as typeof descriptor;
  };
}
