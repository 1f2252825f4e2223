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
