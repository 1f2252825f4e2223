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
    (typeof value === 'object' || typeof value === 'function') &&
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
  if (isEventHandler(handler)) return handler as EventHandler<M>;
  if (typeof handler === 'function') return new CallbackEventHandler(handler);
  throw new InvalidArgumentError(parameter, 'an EventHandler or a function', handler);
}

const HANDLER_METHODS = Symbol('busline:event-handler-methods');

/** Names of the methods of `prototype` (and its ancestors) decorated with `@EventHandler()`. */
export function eventHandlerMethods(prototype: object): readonly string[] {
  return (prototype as Record<symbol, string[]>)[HANDLER_METHODS] ?? [];
}

/** A function that is also an {@link EventHandler}: what an `@EventHandler()` method becomes. */
export type HandlerMethod = EventHandlerFunction &
  EventHandler & { readonly callback: EventHandlerFunction };

function handlerMethod(fn: EventHandlerFunction, callback: EventHandlerFunction, name: string) {
  Object.defineProperty(fn, 'name', { value: name });
  return Object.assign(fn, { handle: fn, callback }) as HandlerMethod;
}

/**
 * Method decorator: makes the method an {@link EventHandler} bound to its instance, so
 * `subscriber.subscribe('orders', this.onOrder)` works without `.bind(this)`. The method stays
 * callable as before; per instance it is bound once, on first access, and also has
 * `handle(topic, event)`. Its name is `Class.method`, and `callback` is the original function.
 */
export function EventHandler(): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const method = descriptor.value as unknown as EventHandlerFunction;
    if (typeof method !== 'function') {
      throw new TypeError(`@EventHandler() decorates methods; ${String(propertyKey)} is not one`);
    }
    const own = target as Record<symbol, string[]>;
    if (!Object.prototype.hasOwnProperty.call(target, HANDLER_METHODS)) {
      own[HANDLER_METHODS] = [...(own[HANDLER_METHODS] ?? [])];
    }
    own[HANDLER_METHODS].push(String(propertyKey));
    const name = `${(target as { constructor: { name: string } }).constructor.name}.${String(propertyKey)}`;
    return {
      configurable: true,
      enumerable: descriptor.enumerable,
      get(this: object): HandlerMethod {
        // Read on the prototype (by a framework scanning it): an unbound handler, cached nowhere.
        if (this === target) return handlerMethod((...args) => method(...args), method, name);
        const bound = handlerMethod(method.bind(this), method, name);
        Object.defineProperty(this, propertyKey, { value: bound, configurable: true });
        return bound;
      },
    } as typeof descriptor;
  };
}
