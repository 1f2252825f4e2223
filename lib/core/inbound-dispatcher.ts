import type { BuslineError } from './errors/busline.error';
import { HandlerRequiredError } from './errors/handler.error';
import type { Event } from './event';
import { InFlight } from './in-flight';
import { InboundStream } from './inbound-stream';
import { Countdown, type HandledCallback, type Subscription } from './subscription';

/**
 * Hands a subscriber's inbound events to the subscriptions that matched them and to its
 * iterators (`inboundEvents`, `inboundUnhandledEvents`), and counts the handler calls that have
 * not settled yet.
 */
export class InboundDispatcher {
  /** Set while the subscriber waits for its handlers before disconnecting: nothing is taken. */
  stopping = false;
  /** The handler calls not settled yet. */
  readonly inFlight = new InFlight();
  private readonly allStreams = new Set<InboundStream>();
  private readonly unhandledStreams = new Set<InboundStream>();

  constructor(
    private readonly handlerAlwaysRequired: boolean,
    private readonly inboundBufferSize: number,
    private readonly reportError: (error: BuslineError) => void,
  ) {}

  /**
   * Hand `event` to the `matched` subscriptions and to the open iterators. Returns a promise only
   * when a subscription's backlog is full. `onHandled`, if given, is called once every handler the
   * event reached has settled (at once when none did).
   */
  dispatch(
    topic: string,
    event: Event,
    matched: readonly Subscription[],
    onHandled?: HandledCallback,
  ): Promise<void> | undefined {
    // The common case, kept small enough to inline: one subscription with a handler, nobody
    // waiting to be told the event was handled, no iterator open.
    if (matched.length === 1 && onHandled === undefined && this.allStreams.size === 0) {
      const subscription = matched[0];
      if (!this.stopping && subscription.effectiveHandler !== undefined) {
        return subscription.deliver(topic, event);
      }
    }
    return this.dispatchEach(topic, event, matched, onHandled);
  }

  /** {@link dispatch} in general: any number of subscriptions, iterators, `onHandled`. */
  private dispatchEach(
    topic: string,
    event: Event,
    matched: readonly Subscription[],
    onHandled: HandledCallback | undefined,
  ): Promise<void> | undefined {
    if (this.stopping) return undefined;
    let handled = false;
    let wait: Promise<void>[] | undefined;
    // Counts the handlers still to settle, plus one for this loop, so that a handler that settles
    // at once cannot report the event handled before the others got it.
    const countdown = onHandled && new Countdown(onHandled);
    for (let i = 0; i < matched.length; i++) {
      const subscription = matched[i];
      if (subscription.effectiveHandler === undefined) {
        if (this.handlerAlwaysRequired) this.reportError(new HandlerRequiredError(topic));
        continue;
      }
      handled = true;
      if (countdown) countdown.remaining++;
      const full = subscription.deliver(topic, event, countdown?.tick);
      if (full) (wait ??= []).push(full);
    }
    countdown?.tick();
    if (this.allStreams.size > 0 || (!handled && this.unhandledStreams.size > 0)) {
      this.pushToStreams(topic, event, handled);
    }
    if (wait === undefined) return undefined;
    return wait.length === 1 ? wait[0] : Promise.all(wait).then(() => undefined);
  }

  /** Hand `event` to the open iterators (out of `dispatch()`, to keep every event's path small). */
  private pushToStreams(topic: string, event: Event, handled: boolean): void {
    for (const stream of this.allStreams) stream.push(topic, event);
    if (!handled) for (const stream of this.unhandledStreams) stream.push(topic, event);
  }

  /**
   * The events of every dispatch (or of those no handler took, with `unhandledOnly`) for
   * `for await`: each loop gets its own bounded buffer, named `name` in overflow reports.
   */
  iterable(name: string, unhandledOnly: boolean): AsyncIterable<[topic: string, event: Event]> {
    const streams = unhandledOnly ? this.unhandledStreams : this.allStreams;
    return {
      [Symbol.asyncIterator]: () => {
        const stream = new InboundStream(
          name,
          this.inboundBufferSize,
          (s) => streams.delete(s),
          this.reportError,
        );
        streams.add(stream);
        return stream;
      },
    };
  }

  /** End every open iterator loop. */
  endIterators(): void {
    for (const stream of [...this.allStreams, ...this.unhandledStreams]) stream.end();
    this.allStreams.clear();
    this.unhandledStreams.clear();
  }
}
