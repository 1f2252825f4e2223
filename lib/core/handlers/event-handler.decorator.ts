import type { BuslineEventHandler, EventHandlerFunction } from './event-handler';

const HANDLER_METHODS = Symbol('busline:event-handler-methods');

/** Names of the methods of `prototype` (and its ancestors) decorated with `@EventHandler()`. */
export function eventHandlerMethods(prototype: object): readonly string[] {
  return (prototype as Record<symbol, string[]>)[HANDLER_METHODS] ?? [];
}

/** A function that is also a {@link BuslineEventHandler}: what an `@EventHandler()` method becomes. */
export type HandlerMethod = EventHandlerFunction &
  BuslineEventHandler & { readonly callback: EventHandlerFunction };

function handlerMethod(fn: EventHandlerFunction, callback: EventHandlerFunction, name: string) {
  Object.defineProperty(fn, 'name', { value: name });
  return Object.assign(fn, { handle: fn, callback }) as HandlerMethod;
}

/**
 * Method decorator: makes the method a {@link BuslineEventHandler} bound to its instance, so
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
