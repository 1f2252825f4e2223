import type { Event } from '../core/event';
import type { BuslineEventHandler } from '../core/handlers/event-handler';

/**
 * @internal The handler of one topic filter on one subscriber: a subscriber keeps one handler
 * per filter, so the `@Subscribe` methods that share a filter share this, which hands each event
 * to all of them at once and settles when they all have. Its handlers are bound methods, or the
 * one deduplicating handler in front of the methods that take each event once from all the
 * subscribers.
 */
export class TopicDispatcher implements BuslineEventHandler {
  readonly handlers: BuslineEventHandler[] = [];

  get name(): string {
    return this.handlers.map((h) => h.name).join(', ');
  }

  handle(topic: string, event: Event): unknown {
    const handlers = this.handlers;
    if (handlers.length === 1) return handlers[0].handle(topic, event);
    let pending: unknown[] | undefined;
    for (const handler of handlers) {
      const running = handler.handle(topic, event);
      if (running !== undefined) (pending ??= []).push(running);
    }
    return pending === undefined ? undefined : Promise.all(pending);
  }
}
