import { EventRegistry } from './event.registry';
import type { MessageClass } from './message';

/**
 * Class decorator: registers the message class in the process-wide {@link EventRegistry} under
 * `name` (default: the class name), so a subscriber can decode it before anything was published.
 *
 * ```ts
 * @Message('order.created')
 * class OrderCreated extends JsonMessage { id = ''; }
 * ```
 */
export function Message(name?: string): ClassDecorator {
  return (target) => {
    new EventRegistry().add(target as unknown as MessageClass, name);
  };
}
