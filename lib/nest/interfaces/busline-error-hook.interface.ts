import type { BuslineError } from '../../core/errors/busline.error';
import type { BuslineErrorContext } from './busline-error-context.interface';

/**
 * Receives every error Busline reports in a NestJS application: handler failures
 * (`HandlerError`), invalid messages (`MessageValidationError`) and transport errors (decoding,
 * overflows...). It runs after the error is logged; an error it throws or rejects with is logged.
 */
export type BuslineErrorHook = (
  error: BuslineError,
  context: BuslineErrorContext,
) => void | Promise<void>;
