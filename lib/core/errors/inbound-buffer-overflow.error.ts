import { BuslineError } from './busline.error';

/** An iterator over `inboundEvents` / `inboundUnhandledEvents` fell behind and lost events. */
export class InboundBufferOverflowError extends BuslineError {
  constructor(
    readonly stream: string,
    readonly bufferSize: number,
  ) {
    super(
      `${stream} iterator is ${bufferSize} events behind; the oldest buffered events are being ` +
        "dropped. Consume faster, or raise the subscriber's inboundBufferSize",
    );
  }
}
