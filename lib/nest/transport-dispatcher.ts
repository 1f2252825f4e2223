import type { Event } from '../core/event';
import type { Replier } from '../core/request/replier';
import { TopicDispatcher } from './topic-dispatcher';

/** The transport of the delivery being handed over, while it is (see {@link deliveringTransport}). */
let delivering: string | undefined;

/**
 * @internal The {@link TopicDispatcher} of one topic filter on the subscriber of `transport`: it
 * says which transport delivers while it hands an event to its handlers. The handlers (and a
 * deduplicating handler between them) take the event synchronously, so each reads it on entry
 * with {@link deliveringTransport}, even when the methods behind a deduplicating handler are
 * shared by several subscribers.
 */
export class TransportDispatcher extends TopicDispatcher {
  constructor(
    readonly transport: string,
    replier?: Replier,
  ) {
    super(replier);
  }

  override handle(topic: string, event: Event): unknown {
    const outer = delivering;
    delivering = this.transport;
    try {
      return super.handle(topic, event);
    } finally {
      delivering = outer;
    }
  }
}

/**
 * @internal Name of the transport whose {@link TransportDispatcher} is handing over an event right
 * now; `undefined` outside one (a handler called another way).
 */
export function deliveringTransport(): string | undefined {
  return delivering;
}
