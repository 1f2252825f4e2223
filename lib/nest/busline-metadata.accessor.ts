import { Injectable, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { eventHandlerMethods } from '../core/handlers/event-handler.decorator';
import { BUSLINE_HANDLER_PARAMS_METADATA, BUSLINE_SUBSCRIBE_METADATA } from './busline.constants';
import type { HandlerParamMetadata } from './decorators/handler-param';
import { publishesOf, type PublishesMetadata } from './decorators/publishes.decorator';
import { handlerFunction, type SubscribeMetadata } from './decorators/subscribe.decorator';

/** @internal The `@Publishes` of a class (`method` undefined) or of one of its methods. */
export interface PublishingDeclaration {
  readonly method: string | undefined;
  readonly publishes: readonly PublishesMetadata[];
}

/** @internal A method of a class with its `@Subscribe` metadata. */
export interface SubscribedMethod {
  readonly name: string;
  /** The function to call (for an `@EventHandler()` method, the one it wraps). */
  readonly method: (...args: unknown[]) => unknown;
  readonly subscriptions: readonly SubscribeMetadata[];
  /** Decorated parameters, empty when the method takes the default `(topic, event)`. */
  readonly params: readonly HandlerParamMetadata[];
  /** Declared parameter types (`design:paramtypes`), when the compiler emitted them. */
  readonly paramTypes: readonly unknown[];
}

/** @internal Reads the metadata Busline's decorators leave on classes, in one place. */
@Injectable()
export class BuslineMetadataAccessor {
  constructor(private readonly reflector: Reflector) {}

  /**
   * The `@Subscribe` methods of a prototype and its ancestors. `methodNames` are the plain
   * methods (from Nest's `MetadataScanner`); `@EventHandler()` methods, which are getters by
   * then, are added here.
   */
  subscribedMethods(prototype: object, methodNames: readonly string[]): SubscribedMethod[] {
    const names = new Set([...methodNames, ...eventHandlerMethods(prototype)]);
    const found: SubscribedMethod[] = [];
    for (const name of names) {
      const declaring = declaringPrototype(prototype, name);
      if (declaring === undefined) continue;
      const descriptor = Object.getOwnPropertyDescriptor(declaring, name);
      let method: (...args: unknown[]) => unknown;
      try {
        method = handlerFunction(declaring, name, descriptor);
      } catch {
        continue;
      }
      const subscriptions = this.reflector.get<SubscribeMetadata[] | undefined>(
        BUSLINE_SUBSCRIBE_METADATA,
        method as unknown as Type,
      );
      if (subscriptions === undefined || subscriptions.length === 0) continue;
      const params =
        this.reflector.get<HandlerParamMetadata[] | undefined>(
          BUSLINE_HANDLER_PARAMS_METADATA,
          method as unknown as Type,
        ) ?? [];
      const paramTypes: unknown[] = Reflect.getMetadata('design:paramtypes', declaring, name) ?? [];
      found.push({ name, method, subscriptions, params, paramTypes });
    }
    return found;
  }
}

/**
 * @internal The `@Publishes` declarations of a class (on the class itself, then on its methods
 * among `methodNames`), in that order; empty when it has none.
 */
export function publishingDeclarations(
  prototype: object,
  methodNames: readonly string[],
): PublishingDeclaration[] {
  const found: PublishingDeclaration[] = [];
  const own = publishesOf(prototype.constructor);
  if (own.length > 0) found.push({ method: undefined, publishes: own });
  for (const name of methodNames) {
    const declaring = declaringPrototype(prototype, name);
    const value = declaring && Object.getOwnPropertyDescriptor(declaring, name)?.value;
    if (typeof value !== 'function') continue;
    const publishes = publishesOf(value as object);
    if (publishes.length > 0) found.push({ method: name, publishes });
  }
  return found;
}

function declaringPrototype(prototype: object, name: string): object | undefined {
  for (
    let p: object | null = prototype;
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    if (Object.prototype.hasOwnProperty.call(p, name)) return p;
  }
  return undefined;
}
