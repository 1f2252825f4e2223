import { BuslineError } from '../../core/errors/busline.error';

/** The broker refused a subscription (SUBACK failure) or an unsubscribe, or the request failed. */
export class MqttSubscribeError extends BuslineError {
  constructor(
    /** The topic filter. */
    readonly topic: string,
    /** Why it failed. */
    readonly reason: string,
    /** The SUBACK / UNSUBACK reason code, when the broker sent one. */
    readonly reasonCode?: number,
    options?: { cause?: unknown },
  ) {
    super(`Subscription to '${topic}' failed: ${reason}`, options);
  }
}
