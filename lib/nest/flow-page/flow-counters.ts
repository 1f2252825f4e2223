import type { Event } from '../../core/event';
import type { BuslineEventHandler } from '../../core/handlers/event-handler';

/*
 * The live counters of the flow page: for each handler, topic filter and published topic, how
 * many events went through, how many per second lately, how many failed, and how many are still
 * being handled. They exist only while a page is served in the process (see flow-registry.ts):
 * with the page off, nothing here runs.
 */

/** @internal How many one-second buckets the rate is averaged over. */
export const RATE_WINDOW_SECONDS = 5;

/** @internal What a counter shows on the page. */
export interface CounterSnapshot {
  /** Events since counting started. */
  readonly events: number;
  /** Events per second, averaged over the last {@link RATE_WINDOW_SECONDS} seconds. */
  readonly rate: number;
  /** Events whose handling failed (or publishes that were refused). */
  readonly errors: number;
  /** Events taken but not done yet: being handled, or waiting for their handler. */
  readonly backlog: number;
}

/** @internal A clock in milliseconds; `Date.now` unless a test gives its own. */
export type Clock = () => number;

/**
 * @internal Events per second over a sliding window of one-second buckets. Adding is O(1) and
 * allocates nothing; a bucket is cleared when its second comes round again.
 */
export class RateWindow {
  private readonly buckets = new Array<number>(RATE_WINDOW_SECONDS).fill(0);
  /** The second (since the epoch) the newest bucket counts. */
  private second = 0;

  add(now: number): void {
    this.advance(Math.floor(now / 1000));
    this.buckets[this.second % RATE_WINDOW_SECONDS]++;
  }

  /**
   * The average rate over the window up to `now`: the full seconds before it and the part of
   * the current one that has passed, so a burst shows at once and fades out in the window.
   */
  rate(now: number): number {
    const second = Math.floor(now / 1000);
    this.advance(second);
    let sum = 0;
    for (const count of this.buckets) sum += count;
    const elapsed = RATE_WINDOW_SECONDS - 1 + (now - second * 1000) / 1000;
    return sum === 0 ? 0 : sum / Math.max(elapsed, 1);
  }

  private advance(second: number): void {
    if (second <= this.second) return;
    const gap = Math.min(second - this.second, RATE_WINDOW_SECONDS);
    for (let i = 1; i <= gap; i++) this.buckets[(this.second + i) % RATE_WINDOW_SECONDS] = 0;
    this.second = second;
  }
}

/** @internal The counter of one handler, topic filter or published topic. */
export class FlowCounter {
  events = 0;
  errors = 0;
  /** Started and not settled yet. */
  running = 0;
  private readonly window = new RateWindow();

  constructor(private readonly clock: Clock = Date.now) {}

  /** An event was taken. */
  started(): void {
    this.events++;
    this.running++;
    this.window.add(this.clock());
  }

  /** An event taken earlier is done (handled, failed, or sent). */
  settled(): void {
    this.running--;
  }

  /** An event failed; it is counted as settled separately. */
  failed(): void {
    this.errors++;
  }

  /** Settles a counted promise that resolved, passing its value on. */
  readonly resolved = <T>(value: T): T => {
    this.running--;
    return value;
  };

  /** Settles a counted call that threw or rejected, as an error, passing the error on. */
  readonly rejected = (error: unknown): never => {
    this.errors++;
    this.running--;
    throw error;
  };

  /** What the page shows; `waiting` adds events queued in front of the counted code. */
  snapshot(waiting = 0): CounterSnapshot {
    return {
      events: this.events,
      rate: Math.round(this.window.rate(this.clock()) * 100) / 100,
      errors: this.errors,
      backlog: this.running + waiting,
    };
  }
}

/**
 * @internal Count one call: `started()` now, `settled()` once `result` settles (at once unless it
 * is a promise); a throw or a rejection is an error. What the call returns or throws is passed on,
 * so the caller sees what it would have seen without counting.
 */
export function counted<T>(counter: FlowCounter, call: () => T): T {
  counter.started();
  let result: T;
  try {
    result = call();
  } catch (error) {
    return counter.rejected(error);
  }
  return settling(counter, result);
}

/**
 * @internal {@link counted} for a handler call, without a closure per event: the counting handlers
 * sit on the delivery path while a page is open.
 */
export function countedHandle(
  counter: FlowCounter,
  handler: BuslineEventHandler,
  topic: string,
  event: Event,
): unknown {
  counter.started();
  let result: unknown;
  try {
    result = handler.handle(topic, event);
  } catch (error) {
    return counter.rejected(error);
  }
  return settling(counter, result);
}

function settling<T>(counter: FlowCounter, result: T): T {
  if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') {
    counter.settled();
    return result;
  }
  return (result as PromiseLike<unknown>).then(counter.resolved, counter.rejected) as T;
}
