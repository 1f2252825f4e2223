import { BuslineError } from './busline.error';

/** A call went to a client that has no publisher (or subscriber) to serve it. */
export class NoTransportError extends BuslineError {}
