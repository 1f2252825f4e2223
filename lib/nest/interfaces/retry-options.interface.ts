/**
 * Retry of a failing handler, with exponential backoff: attempt `n + 1` waits
 * `min(delay * factor ** (n - 1), maxDelay)` ms. Events of the subscription keep their order: the
 * next event waits until this one succeeded or ran out of attempts. Invalid messages are not
 * retried (they would fail again), and on shutdown pending retries stop early.
 */
export interface RetryOptions {
  /** How many times to try again after the first failure (0: never). */
  retries: number;
  /** Wait before the first retry, in ms (default 100). */
  delay?: number;
  /** Factor applied to the wait after each retry (default 2). */
  factor?: number;
  /** Longest wait between two attempts, in ms (default 30,000). */
  maxDelay?: number;
}
