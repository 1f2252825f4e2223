import type { Event } from '../../core/event';
import { DeduplicatingEventHandler } from '../../core/handlers/deduplicating-event-handler';
import type { BuslineEventHandler } from '../../core/handlers/event-handler';
import {
  isSelfInstrumented,
  markSelfInstrumented,
} from '../../core/telemetry/instrumented-event-handler';
import { BoundHandler } from '../bound-handler';
import type { FailureTarget } from '../busline-error.reporter';
import { TopicDispatcher } from '../topic-dispatcher';
import { countedHandle, type FlowCounter } from './flow-counters';

/*
 * The counting handlers the flow page puts in place, from outside, while a page is served: one
 * around each subscription's handler (what its filter took) and one around each bound
 * `@Subscribe` method inside it (the dispatcher of the filter, or the deduplicating handler in
 * front of it). Taken away again when the page closes.
 */

/** @internal A bound handler inside a subscription, counted on its own. */
export class CountingHandler implements BuslineEventHandler {
  readonly name: string;
  constructor(
    readonly inner: BoundHandler,
    readonly counter: FlowCounter,
  ) {
    this.name = inner.name;
    const target: FailureTarget = inner;
    target.onFailure = () => counter.failed();
  }
  handle(topic: string, event: Event): unknown {
    return countedHandle(this.counter, this.inner, topic, event);
  }
}

/** @internal The handler of a subscription, counted: every event its filter took. */
export class CountingSubscriptionHandler implements BuslineEventHandler {
  readonly name: string;
  constructor(
    readonly inner: BuslineEventHandler,
    readonly counter: FlowCounter,
  ) {
    this.name = inner.name ?? 'handler';
    // Counting changes nothing about who traces: a self-instrumented handler stays one.
    if (isSelfInstrumented(inner)) markSelfInstrumented(this);
  }
  handle(topic: string, event: Event): unknown {
    return countedHandle(this.counter, this.inner, topic, event);
  }
}

/** @internal The dispatcher behind a subscription's handler, if it is (or wraps) one. */
export function dispatcherOf(
  handler: BuslineEventHandler | undefined,
): TopicDispatcher | undefined {
  if (handler instanceof CountingSubscriptionHandler) return dispatcherOf(handler.inner);
  if (handler instanceof TopicDispatcher) return handler;
  if (handler instanceof DeduplicatingEventHandler) {
    return dispatcherOf(handler.handler as BuslineEventHandler);
  }
  return undefined;
}

/** @internal The bound handlers inside a subscription's handler. */
export function collectBound(handler: BuslineEventHandler | undefined, into: BoundHandler[]): void {
  const dispatcher = dispatcherOf(handler);
  if (dispatcher === undefined) return;
  for (const inner of dispatcher.handlers) {
    if (inner instanceof BoundHandler) into.push(inner);
    else if (inner instanceof CountingHandler) into.push(inner.inner);
    else collectBound(inner, into);
  }
}
