import type { Event } from '../core/event';
import type { BuslineEventHandler } from '../core/handlers/event-handler';
import { handleWithReply, type Replier } from '../core/request/replier';

/**
 * @internal The handler of one topic filter on one subscriber: a subscriber keeps one handler
 * per filter, so the `@Subscribe` methods that share a filter share this, which hands each event
 * to all of them at once and settles when they all have. Its handlers are bound methods, or the
 * one deduplicating handler in front of the methods that take each event once from all the
 * subscribers.
 *
 * It settles with the reply to a request: the result of the first handler, in binding order,
 * whose result is not `undefined` (a failure counts). With a `replier` (the dispatchers the
 * subscribers hold), it sends that reply when the event is a request.
 */
export class TopicDispatcher implements BuslineEventHandler {
  readonly handlers: BuslineEventHandler[] = [];

  constructor(private readonly replier?: Replier) {}

  get name(): string {
    return this.handlers.map((h) => h.name).join(', ');
  }

  handle(topic: string, event: Event): unknown {
    return handleWithReply(this.replier, event, () => this.dispatch(topic, event));
  }

  private dispatch(topic: string, event: Event): unknown {
    const handlers = this.handlers;
    if (handlers.length === 1) return handlers[0].handle(topic, event);
    const results = new Array<unknown>(handlers.length);
    let pending = false;
    for (let i = 0; i < handlers.length; i++) {
      const result = (results[i] = handlers[i].handle(topic, event));
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') pending = true;
    }
    return pending ? Promise.all(results).then(firstDefined) : firstDefined(results);
  }
}

function firstDefined(results: readonly unknown[]): unknown {
  return results.find((result) => result !== undefined);
}
