import { BuslineError } from '../../core/errors/busline.error';

/**
 * A publish did not complete: the broker refused it (MQTT 5 reason code), the client failed to
 * send it, or the publisher was disconnected before the broker took it.
 */
export class MqttPublishError extends BuslineError {
  constructor(
    /** The topic of the publish. */
    readonly topic: string,
    /** Why it failed. */
    readonly reason: string,
    /** The MQTT 5 PUBACK / PUBREC reason code, when the broker sent one. */
    readonly reasonCode?: number,
    options?: { cause?: unknown },
  ) {
    super(`Publish on '${topic}' failed: ${reason}`, options);
  }
}

/**
 * The publisher is not connected to its broker (it is reconnecting) and already holds
 * `maxOfflineQueue` publishes waiting to be sent: this one is refused rather than queued. Nothing
 * already queued is dropped.
 */
export class MqttOfflineQueueFullError extends MqttPublishError {
  constructor(
    topic: string,
    /** The publisher's `maxOfflineQueue`. */
    readonly limit: number,
  ) {
    super(
      topic,
      `the publisher is offline and ${limit} publishes already wait for the broker ` +
        '(maxOfflineQueue); retry once it is connected again (see onStatus), or raise maxOfflineQueue',
    );
  }
}
