import { BuslineError } from './busline.error';

/**
 * The responder's handler threw or rejected while handling a request: the requester gets this
 * instead of a reply. It carries the remote error's name and message, never its stack.
 */
export class RemoteHandlerError extends BuslineError {
  constructor(
    /** The topic the request was published on. */
    readonly topic: string,
    /** The name of the error the remote handler threw (`Error`, `TypeError`, ...). */
    readonly remoteName: string,
    /** The message of the error the remote handler threw. */
    readonly remoteMessage: string,
    /** The identifier of the responder that replied (its publisher identifier). */
    readonly responder: string,
  ) {
    super(
      `The responder ${responder} failed to handle the request on '${topic}': ` +
        `${remoteName}: ${remoteMessage}`,
    );
  }
}
