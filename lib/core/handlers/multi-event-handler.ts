import type { Event } from '../event';
import type { BuslineMessage } from '../message';
import { toHandler, type BuslineEventHandler, type HandlerLike } from './event-handler';

/** How a {@link MultiEventHandler} runs its handlers. */
export interface MultiEventHandlerOptions {
  /**
   * `true`: one after the other, each awaited before the next starts. `false` (default): all
   * started at once, and the multi handler settles when they all have.
   */
  strictOrder?: boolean;
}

/**
 * Runs several handlers for each event. If any fail, it rejects with the first failure (an
 * `AggregateError` when more than one failed), after every handler has run: one failing handler
 * never keeps the others from the event.
 */
export class MultiEventHandler<
  M extends BuslineMessage = BuslineMessage,
> implements BuslineEventHandler<M> {
  readonly name: string;
  readonly strictOrder: boolean;

  /** The handlers run for each event, in order. */
  readonly handlers: readonly BuslineEventHandler<M>[];

  constructor(handlers: readonly HandlerLike<M>[], options: MultiEventHandlerOptions = {}) {
    this.handlers = handlers.map((handler, i) => toHandler(handler, `handlers[${i}]`));
    this.strictOrder = options.strictOrder ?? false;
    this.name = `MultiEventHandler(${this.handlers.map((h) => h.name ?? 'handler').join(', ')})`;
  }

  async handle(topic: string, event: Event<M>): Promise<void> {
    const errors: unknown[] = [];
    if (this.strictOrder) {
      for (const handler of this.handlers) {
        try {
          await handler.handle(topic, event);
        } catch (error) {
          errors.push(error);
        }
      }
    } else {
      const results = await Promise.allSettled(
        this.handlers.map(async (handler) => handler.handle(topic, event)),
      );
      for (const result of results) if (result.status === 'rejected') errors.push(result.reason);
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} handlers failed`);
  }
}
