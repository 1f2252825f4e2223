/** @internal What {@link within} resolves with when time ran out. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * @internal Settles as `promise` does, or resolves {@link TIMED_OUT} after `ms` ms, whichever comes
 * first; the timer never outlives the call.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
