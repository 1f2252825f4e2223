/**
 * Resolves once `predicate()` is true, polling on every turn of the event loop; rejects after
 * `timeoutMs` with `message` (or a generic one). Use it instead of fixed sleeps.
 */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 5_000,
  message = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`waitFor timed out after ${timeoutMs} ms: ${message}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Let everything already scheduled run: `turns` rounds of the event loop (microtasks, timers due
 * now, I/O callbacks). For asserting that something did NOT happen on an in-process path, where
 * nothing waits on real time.
 */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
