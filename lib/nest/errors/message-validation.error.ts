import type { ValidationError } from 'class-validator';
import { BuslineError } from '../../core/errors/busline.error';

/**
 * An inbound message did not pass validation (its class-validator constraints, or it is not of the
 * class the handler's `@Payload()` parameter declares), so the handler was not called.
 */
export class MessageValidationError extends BuslineError {
  /** One line per violated constraint, such as `quantity: quantity must be a positive number`. */
  readonly violations: readonly string[];

  constructor(
    /** The topic the event arrived on. */
    readonly topic: string,
    /** The event's identifier. */
    readonly eventId: string,
    /** The handler that did not run, as `ClassName.method`. */
    readonly handler: string,
    /** Class name of the payload (`'null'` for an event without payload). */
    readonly messageType: string,
    /** class-validator's errors (empty when the payload is of the wrong class). */
    readonly errors: readonly ValidationError[],
    violations?: readonly string[],
  ) {
    const lines = violations ?? flatten(errors);
    super(
      `Invalid ${messageType} on topic '${topic}' (event ${eventId}) for ${handler}: ${lines.join('; ')}`,
    );
    this.violations = lines;
  }
}

function flatten(errors: readonly ValidationError[], path = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const property = path === '' ? error.property : `${path}.${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) {
      lines.push(`${property}: ${message}`);
    }
    if (error.children && error.children.length > 0) {
      lines.push(...flatten(error.children, property));
    }
  }
  return lines;
}
