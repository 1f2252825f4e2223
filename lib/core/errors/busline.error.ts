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
