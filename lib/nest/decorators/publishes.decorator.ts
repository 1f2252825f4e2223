import 'reflect-metadata';
import { InvalidArgumentError } from '../../core/errors/invalid-argument.error';
import type { MessageClass } from '../../core/message';
import { BUSLINE_PUBLISHES_METADATA } from '../busline.constants';
import { compileTopicPattern, type TopicPattern } from '../topic-pattern';

/** Options of one `@Publishes()`. */
export interface PublishesOptions {
  /** The transports the events go out on (by name: `'local'`, `'mqtt'`); default all of them. */
  transport?: string | readonly string[];
  /** MQTT QoS of the publishes (default: the transport's). */
  qos?: 0 | 1 | 2;
  /** Whether the broker retains the events (MQTT `retain`, default `false`). */
  retain?: boolean;
  /** What the events mean, for the AsyncAPI document. */
  description?: string;
}

/** @internal One `@Publishes` declaration of a class or method. */
export interface PublishesMetadata {
  /** The topic, as written (`orders/+id/created` for a topic with a part that varies). */
  readonly pattern: TopicPattern;
  readonly message: MessageClass | undefined;
  readonly options: PublishesOptions;
}

/**
 * Declares that a class, or one of its methods, publishes `message` events on `topic`. It
 * changes nothing at run time: publish calls cannot be discovered, so this is how they reach the
 * AsyncAPI document (`send` operations) and the flow page. The topic may name its varying levels
 * as `@Subscribe` does (`orders/+id/created`); `message` is the payload's class (`undefined` for
 * events without a payload). Several `@Publishes` on one target all count.
 *
 * ```ts
 * @Publishes('new_order', NewOrderMessage, { transport: 'mqtt' })
 * async place(@Body() order: Order) { ... }
 * ```
 */
export function Publishes(
  topic: string,
  message: MessageClass | undefined,
  options: PublishesOptions = {},
): ClassDecorator & MethodDecorator {
  const pattern = compileTopicPattern(topic);
  if (message !== undefined && typeof message !== 'function') {
    throw new InvalidArgumentError('message', 'a message class or undefined', message);
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'an object', options);
  }
  const added: PublishesMetadata = { pattern, message, options };
  return ((target: object, propertyKey?: string | symbol, descriptor?: PropertyDescriptor) => {
    // On a class, the class holds the list; on a method, the method's function does (as for
    // @Subscribe), so it follows the function wherever it is read from.
    const holder: unknown = propertyKey === undefined ? target : descriptor?.value;
    if (typeof holder !== 'function') {
      throw new TypeError(
        `@Publishes() decorates classes and methods; ${target.constructor?.name ?? 'class'}.` +
          `${String(propertyKey)} is not a method`,
      );
    }
    const existing: PublishesMetadata[] =
      Reflect.getOwnMetadata(BUSLINE_PUBLISHES_METADATA, holder) ?? [];
    // Decorators apply bottom-up: put this one first so the list reads in source order.
    Reflect.defineMetadata(BUSLINE_PUBLISHES_METADATA, [added, ...existing], holder);
    return descriptor;
  }) as ClassDecorator & MethodDecorator;
}

/** @internal The `@Publishes` declarations on a class or method function (none: empty). */
export function publishesOf(holder: object): readonly PublishesMetadata[] {
  return (Reflect.getOwnMetadata(BUSLINE_PUBLISHES_METADATA, holder) as PublishesMetadata[]) ?? [];
}
