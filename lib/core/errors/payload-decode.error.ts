import { BuslineError } from './busline.error';

/**
 * The bytes of a message did not decode into the class they were sent as: wrong length, invalid
 * UTF-8, invalid JSON, truncated Avro, or a value of the wrong type. Says which class and format
 * failed and why; the original error, if any, is the `cause`.
 */
export class PayloadDecodeError extends BuslineError {
  constructor(
    /** The message class (or message type) that tried to decode the bytes. */
    readonly messageType: string,
    /** The format the bytes were declared to be in. */
    readonly formatType: string | null | undefined,
    /** Why decoding failed. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot decode a ${messageType} from '${String(formatType)}' bytes: ${reason}`, options);
  }
}

/**
 * What a class's decoding threw, as the error to report: a Busline error as it is, anything else
 * as a {@link PayloadDecodeError} for `messageType`/`formatType` with the original as `cause`.
 */
export function asDecodeError(
  messageType: string,
  formatType: string | null | undefined,
  error: unknown,
): BuslineError {
  if (error instanceof BuslineError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new PayloadDecodeError(messageType, formatType, reason, { cause: error });
}
