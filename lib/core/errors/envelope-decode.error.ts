import { BuslineError } from './busline.error';

/**
 * Bytes from the wire are not a Busline event envelope: not UTF-8, not JSON, not a JSON object, a
 * missing member, a member of the wrong type, or a payload tagged `bytes` whose base64 Python would
 * refuse. `member` names the envelope member at fault, when there is one.
 */
export class EnvelopeDecodeError extends BuslineError {
  constructor(
    /** Why the envelope was refused. */
    readonly reason: string,
    /** The envelope member at fault (`identifier`, `serialized_payload`, ...), if any. */
    readonly member?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot decode the event envelope: ${reason}. Busline expects the JSON envelope that ` +
        'registryPassthroughEventJsonSerializer (or Python Busline) writes',
      options,
    );
  }
}
