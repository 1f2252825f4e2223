import { performance } from 'node:perf_hooks';

/** Resolves on the next turn of the event loop (after I/O), as a real publisher would yield. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Publishes between two yields to the event loop. */
export const BATCH = 1000;

/** One publish; returns a promise when the API does (the loop awaits it). */
export type PublishFn = (i: number) => Promise<unknown> | void;

/** How long a throughput loop runs. */
export interface LoopBudget {
  /** Time spent publishing before measuring (JIT warm-up); at least one batch. */
  warmupMs: number;
  /** Time spent publishing while measuring; at least one batch. */
  measureMs: number;
  /** Give up waiting for deliveries after this long (a bug, not a figure). */
  drainTimeoutMs: number;
  /**
   * Flow control for transports that drop what they cannot queue (a broker's QoS 0): once this
   * many deliveries are outstanding, the publisher waits until a quarter of them arrived (not
   * more: the last few may sit in a TCP buffer until a delayed acknowledgement). The same for
   * every contender of a scenario; none when absent (local dispatch).
   */
  window?: number;
  /**
   * Publishes between two yields to the event loop and two looks at the clock (default
   * {@link BATCH}); smaller for large payloads, where 1,000 publishes would outlast the budget.
   */
  batch?: number;
}

/** Waits (yielding to the event loop) until at most `limit` deliveries are outstanding. */
async function catchUp(
  published: number,
  received: () => number,
  deliveriesPerPublish: number,
  limit: number,
  drainTimeoutMs: number,
): Promise<void> {
  const giveUp = performance.now() + drainTimeoutMs;
  while (published * deliveriesPerPublish - received() > limit) {
    if (performance.now() > giveUp) {
      throw new Error(
        `only ${received()} of ${published * deliveriesPerPublish} deliveries arrived`,
      );
    }
    await yieldToEventLoop();
  }
}

/**
 * Publishes in batches (of {@link BATCH} unless told otherwise), awaiting each publish that returns a promise and yielding to
 * the event loop after every batch, until `ms` have passed; then waits until `received()` reaches
 * `deliveriesPerPublish` per publish. Returns the number of publishes made.
 */
async function publishFor(
  ms: number,
  from: number,
  publish: PublishFn,
  received: () => number,
  deliveriesPerPublish: number,
  drainTimeoutMs: number,
  window: number | undefined,
  batch: number,
): Promise<number> {
  const end = performance.now() + ms;
  let i = from;
  do {
    for (let k = 0; k < batch; k++, i++) {
      const sent = publish(i);
      if (sent !== undefined) await sent;
      if (window !== undefined && (i + 1) * deliveriesPerPublish - received() >= window) {
        await catchUp(
          i + 1,
          received,
          deliveriesPerPublish,
          window - (window >> 2),
          drainTimeoutMs,
        );
      }
    }
    await yieldToEventLoop();
  } while (performance.now() < end);
  const expected = i * deliveriesPerPublish;
  const giveUp = performance.now() + drainTimeoutMs;
  while (received() < expected) {
    if (performance.now() > giveUp) {
      throw new Error(`only ${received()} of ${expected} deliveries arrived`);
    }
    await yieldToEventLoop();
  }
  return i - from;
}

/**
 * Throughput of `publish`: publishes per second, timed from the first publish until every
 * delivery of the measured publishes has arrived.
 */
export async function measureThroughput(
  publish: PublishFn,
  received: () => number,
  deliveriesPerPublish: number,
  budget: LoopBudget,
): Promise<number> {
  const warm = await publishFor(
    budget.warmupMs,
    0,
    publish,
    received,
    deliveriesPerPublish,
    budget.drainTimeoutMs,
    budget.window,
    budget.batch ?? BATCH,
  );
  const start = performance.now();
  const count = await publishFor(
    budget.measureMs,
    warm,
    publish,
    received,
    deliveriesPerPublish,
    budget.drainTimeoutMs,
    budget.window,
    budget.batch ?? BATCH,
  );
  return (count * 1000) / (performance.now() - start);
}

/**
 * Publishes `count` times as the throughput loop does (awaiting, yielding every {@link BATCH}),
 * starting at index `from`, then waits until every delivery arrived.
 */
export async function publishCount(
  count: number,
  from: number,
  publish: PublishFn,
  received: () => number,
  deliveriesPerPublish: number,
  drainTimeoutMs = 60_000,
): Promise<void> {
  const end = from + count;
  for (let i = from; i < end;) {
    const stop = Math.min(end, i + BATCH);
    for (; i < stop; i++) {
      const sent = publish(i);
      if (sent !== undefined) await sent;
    }
    await yieldToEventLoop();
  }
  const expected = end * deliveriesPerPublish;
  const giveUp = performance.now() + drainTimeoutMs;
  while (received() < expected) {
    if (performance.now() > giveUp) {
      throw new Error(`only ${received()} of ${expected} deliveries arrived`);
    }
    await yieldToEventLoop();
  }
}
