/** The command line was wrong (unknown option, missing argument): exit code 2, usage shown. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command could not do its work (broker unreachable, bad input file): exit code 1. */
export class CommandError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommandError';
  }
}

/** Exit code of the `busline` command that did its work. */
export const EXIT_OK = 0;
/** Exit code of the `busline` command that failed ({@link CommandError}). */
export const EXIT_FAILURE = 1;
/** Exit code of the `busline` command given wrong arguments ({@link UsageError}). */
export const EXIT_USAGE = 2;
