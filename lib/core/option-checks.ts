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
