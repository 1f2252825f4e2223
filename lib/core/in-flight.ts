/**
 * Counts the handler calls of a subscriber that have not settled yet, so that `disconnect()` can
 * wait for them.
 */
export class InFlight {
  private count = 0;
  private idleWaiters: (() => void)[] = [];

  /** A handler call started. */
  started(): void {
    this.count++;
  }

  /** A handler call settled (returned, resolved or failed). */
  settled(): void {
    if (--this.count === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Resolves `true` once no call is in flight, or `false` after `timeout` ms. */
  idle(timeout: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeout);
      timer.unref?.();
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
