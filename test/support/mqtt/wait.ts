/** Options of {@link waitUntil}. */
export interface WaitOptions {
  /** Give up after this many ms (default 10,000). */
  timeout?: number;
  /** What is awaited, for the error message. */
  what?: string;
  /** Poll interval in ms (default 5). */
  interval?: number;
}

/**
 * Resolves once `predicate()` is true; rejects after `timeout` ms saying what it waited for.
 * Polls every few ms (not on every event-loop turn, which would starve a busy 2-core machine).
 */
export async function waitUntil(
  predicate: () => boolean,
  { timeout = 10_000, what = 'condition', interval = 5 }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, interval));
  }
}

/** Rejects with a clear message unless `promise` settles within `timeout` ms. */
export async function within<T>(promise: Promise<T>, timeout: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Timed out after ${timeout} ms waiting for ${what}`)),
          timeout,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
