import { BuslineError } from './busline.error';

/** A format a message class does not know; the message says which ones it does. */
export class UnsupportedFormatError extends BuslineError {
  constructor(
    readonly messageType: string,
    readonly formatType: string | undefined,
    readonly supported: readonly string[],
  ) {
    super(
      `${messageType} cannot use format '${String(formatType)}'; use one of: ${supported
        .map((f) => `'${f}'`)
        .join(', ')}`,
    );
  }
}
