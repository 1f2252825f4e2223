import { InvalidArgumentError } from './errors/invalid-argument.error';

/**
 * `value` as a count of at least 1 (a whole number, or `Infinity` for no limit), `fallback` when
 * it is undefined; an {@link InvalidArgumentError} naming `parameter` otherwise. The rule of
 * `concurrency`, `inboundBufferSize` and `maxPendingEvents`.
 */
export function checkedCount(parameter: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !(value >= 1) ||
    (!Number.isInteger(value) && value !== Infinity)
  ) {
    throw new InvalidArgumentError(parameter, 'a whole number of at least 1 (or Infinity)', value);
  }
  return value;
}

/**
 * `value` as a timeout in ms above 0 (at most what `setTimeout` takes), or undefined; an
 * {@link InvalidArgumentError} naming `parameter` otherwise. The rule of `timeout` and
 * `publishTimeout`.
 */
export function checkedTimeout(parameter: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || value > 2_147_483_647) {
    throw new InvalidArgumentError(parameter, 'a number of milliseconds above 0', value);
  }
  return value;
}
