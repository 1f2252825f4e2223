import { BuslineError } from './busline.error';

/** A public method was called with an argument it cannot use; the message names the parameter. */
export class InvalidArgumentError extends BuslineError {
  constructor(
    readonly parameter: string,
    expected: string,
    received: unknown,
  ) {
    super(`Expected ${parameter} to be ${expected}, got ${describe(received)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
