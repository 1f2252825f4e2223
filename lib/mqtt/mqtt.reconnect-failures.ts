/** How often, at most, a client still failing to reconnect says so (ms). */
export const RECONNECT_REPORT_INTERVAL = 30_000;

/**
 * @internal Tells of failed reconnection attempts without flooding the log: mqtt.js retries every
 * `reconnectPeriod` (1 s by default), so an outage of an hour would otherwise write thousands of
 * lines per client. The first failure is told at once (debug), then at most one summary per
 * interval (warn); a reconnection returns how many attempts failed.
 */
export class ReconnectFailures {
  private count = 0;
  private firstAt = 0;
  private toldAt = 0;

  constructor(
    private readonly tell: { first(message: string): void; summary(message: string): void },
    private readonly interval = RECONNECT_REPORT_INTERVAL,
    private readonly now: () => number = Date.now,
  ) {}

  /** An attempt failed with `reason` (already free of credentials). */
  failed(reason: string): void {
    const now = this.now();
    if (++this.count === 1) {
      this.firstAt = this.toldAt = now;
      this.tell.first(`reconnection failed: ${reason}`);
    } else if (now - this.toldAt >= this.interval) {
      this.toldAt = now;
      const seconds = Math.round((now - this.firstAt) / 1000);
      this.tell.summary(
        `still reconnecting: ${this.count} attempts failed in ${seconds} s (last: ${reason})`,
      );
    }
  }

  /** The connection is back (or closed on purpose): how many attempts had failed. */
  reset(): number {
    const count = this.count;
    this.count = 0;
    return count;
  }
}
