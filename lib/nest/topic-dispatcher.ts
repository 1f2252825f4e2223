import type { Event } from '../core/event';
import type { EventHandler } from '../core/handlers/event-handler';
import type { BoundHandler } from './bound-handler';

/**
 * @internal The handler of one topic filter on one subscriber: a subscriber keeps one handler
 * per filter, so the `@Subscribe` methods that share a filter share this, which hands each event
 * to all of them at once and settles when they all have.
 */
export class TopicDispatcher implements EventHandler {
  readonly handlers: BoundHandler[] = [];

  get name(): string {
    return this.handlers.map((h) => h.binding).join(', ');
  }

  handle(topic: string, event: Event): Promise<unknown> | undefined {
    const handlers = this.handlers;
    if (handlers.length === 1) return handlers[0].handle(topic, event);
    let pending: Promise<void>[] | undefined;
    for (const handler of handlers) {
      const running = handler.handle(topic, event);
      if (running !== undefined) (pending ??= []).push(running);
    }
    return pending === undefined ? undefined : Promise.all(pending);
  }
}
