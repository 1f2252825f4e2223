import { BuslineError } from './busline.error';

/** A topic (to publish on) or a topic filter (to subscribe to) breaks the MQTT topic rules. */
export class InvalidTopicError extends BuslineError {
  constructor(
    readonly topic: unknown,
    reason: string,
  ) {
    super(`Topic ${JSON.stringify(topic)} is invalid: ${reason}`);
  }
}
