import 'reflect-metadata';
import { InvalidArgumentError } from '../../core/errors/invalid-argument.error';
import { eventHandlerMethods } from '../../core/handlers/event-handler.decorator';
import { BUSLINE_SUBSCRIBE_METADATA } from '../busline.constants';
import type { SubscriptionOptions } from '../interfaces/subscription-options.interface';
import { checkSubscriptionOptions } from '../options.validation';
import { compileTopicPattern, type TopicPattern } from '../topic-pattern';
import { DEFAULT_ARGS, DEFAULT_ARGS_METADATA } from './handler-param';

/** @internal One `@Subscribe` topic of a method. */
export interface SubscribeMetadata {
  readonly pattern: TopicPattern;
  readonly options: SubscriptionOptions;
}

/**
 * Method decorator: the method handles the events of `topics` (MQTT filters; wildcards may be
 * named, as in `orders/+id/created`). Busline finds it at startup on any provider or controller
 * and subscribes it through the module's subscribers (or those `options.transport` names), before
 * anything can publish. Several `@Subscribe` on one method all count.
 *
 * The method is called on its instance with `(topic, event)`, or with what its parameters ask for
 * through `@Payload()`, `@Topic()`, `@Envelope()`, `@TopicParams()` and `@Ctx()`, through Nest's
 * pipeline: the guards, interceptors, pipes and exception filters of the method, its class and
 * the application apply. It may be async; what it throws or rejects with is caught, logged with
 * the binding and reported (see the module's `onError`, `retry` and `deadLetter` options).
 *
 * ```ts
 * @Subscribe('orders/+id/created', { qos: 1 })
 * async onCreated(@Payload() order: OrderCreated, @TopicParams('id') id: string) { ... }
 * ```
 */
export function Subscribe(
  topics: string | readonly string[],
  options: SubscriptionOptions = {},
): MethodDecorator {
  const list = typeof topics === 'string' ? [topics] : topics;
  if (!Array.isArray(list) || list.length === 0 || list.some((t) => typeof t !== 'string')) {
    throw new InvalidArgumentError('topics', 'a topic or a non-empty array of topics', topics);
  }
  checkSubscriptionOptions(options);
  const added: SubscribeMetadata[] = list.map((topic) => ({
    pattern: compileTopicPattern(topic),
    options,
  }));
  return (target, propertyKey, descriptor) => {
    const method = handlerFunction(target, propertyKey, descriptor);
    const existing: SubscribeMetadata[] =
      Reflect.getOwnMetadata(BUSLINE_SUBSCRIBE_METADATA, method) ?? [];
    // Decorators apply bottom-up: put this one first so the list reads in source order.
    Reflect.defineMetadata(BUSLINE_SUBSCRIBE_METADATA, [...added, ...existing], method);
    Reflect.defineMetadata(DEFAULT_ARGS_METADATA, DEFAULT_ARGS, target.constructor, propertyKey);
    return descriptor;
  };
}

/**
 * @internal The function behind a handler method: the method itself, or for an
 * `@EventHandler()` method (a getter by then) the function it wraps.
 */
export function handlerFunction(
  prototype: object,
  propertyKey: string | symbol,
  descriptor: PropertyDescriptor | undefined,
): (...args: unknown[]) => unknown {
  if (typeof descriptor?.value === 'function') return descriptor.value;
  if (
    typeof descriptor?.get === 'function' &&
    typeof propertyKey === 'string' &&
    eventHandlerMethods(prototype).includes(propertyKey)
  ) {
    // The @EventHandler() getter, read on the prototype that declares it, makes an unbound
    // handler and caches nothing; `callback` is the original method.
    const handler = descriptor.get.call(prototype) as { callback?: unknown };
    if (typeof handler?.callback === 'function') {
      return handler.callback as (...args: unknown[]) => unknown;
    }
  }
  throw new TypeError(
    `@Subscribe() decorates methods; ${prototype.constructor?.name ?? 'class'}.${String(propertyKey)} is not one`,
  );
}
