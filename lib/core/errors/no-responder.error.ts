import { BuslineError } from './busline.error';

/**
 * A request reached nobody: every transport it went through could tell that no subscriber takes
 * its topic (the local bus always can; MQTT 5 can for a QoS 1 or 2 request, from the broker's
 * "no matching subscribers" acknowledgement). Raised at once, instead of waiting for the timeout.
 */
export class NoResponderError extends BuslineError {
  constructor(
    /** The topic the request was published on. */
    readonly topic: string,
  ) {
    super(
      `No responder is subscribed to '${topic}': subscribe a handler that returns the reply ` +
        'before making the request, or check the topic',
    );
  }
}
