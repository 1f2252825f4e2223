import { BuslineError } from './busline.error';

/**
 * Bytes from the wire are not what the subscription's envelope expects: a CloudEvent without its
 * required attributes, a `@nestjs/microservices` packet without `pattern`, JSON where a raw
 * subscription expects it and finds none, or a publish whose payload the chosen envelope cannot
 * carry. Says which envelope and why; the original error, if any, is the `cause`.
 */
export class ForeignEnvelopeError extends BuslineError {
  constructor(
    /** The envelope that was expected (`'cloudevents'`, `'nest'`, `'raw'`, ...). */
    readonly envelope: string,
    /** Why the bytes (or the payload) do not fit it. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot use the '${envelope}' envelope: ${reason}. Check the subscription's (or the ` +
        "publish's) `envelope` option against what the other side sends",
      options,
    );
  }
}
