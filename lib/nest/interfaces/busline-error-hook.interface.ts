import type { BuslineError } from '../../core/errors/busline.error';
import type { BuslineErrorContext } from './busline-error-context.interface';

/**
 * Receives every error Busline reports in a NestJS application: handler failures
 * (`HandlerError`), invalid messages (`MessageValidationError`) and transport errors (decoding,
 * overflows...). It runs after the error is logged; a promise it returns is awaited, and an error it
 * throws or rejects with is logged. What it returns is otherwise ignored, so
 * `(error) => errors.push(error)` will do.
 */
export type BuslineErrorHook = (error: BuslineError, context: BuslineErrorContext) => unknown;
