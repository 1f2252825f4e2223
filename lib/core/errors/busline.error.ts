/**
 * Base class of every error Busline throws or reports. Catch it to tell Busline's errors apart from
 * anything else; each subclass carries the details of its case.
 */
export class BuslineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** `error` as a BuslineError: itself, or one saying `context` with the error as cause. */
export function asBuslineError(error: unknown, context: string): BuslineError {
  if (error instanceof BuslineError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new BuslineError(`${context}: ${reason}`, { cause: error });
}
