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
 * The publisher already holds `maxOfflineQueue` publishes waiting to be sent (its connection is
 * down or being restored, or its socket is full): this one is refused rather than queued. Nothing
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
      `${limit} publishes already wait to be sent (maxOfflineQueue), while the connection is ` +
        'down or being restored or the socket is full; retry once they are out (await publishes, ' +
        'see onStatus), or raise maxOfflineQueue',
    );
  }
}

/**
 * An event is larger, once encoded, than the publisher's `maxPayloadSize`: it was not sent
 * (subscribers with the same limit would skip it unread).
 */
export class OutboundPayloadTooLargeError extends MqttPublishError {
  constructor(
    topic: string,
    /** Size of the encoded event in bytes. */
    readonly payloadSize: number,
    /** The publisher's `maxPayloadSize`. */
    readonly limit: number,
  ) {
    super(
      topic,
      `the encoded event is ${payloadSize} bytes, more than maxPayloadSize (${limit} bytes); ` +
        "raise maxPayloadSize on the publisher and on its subscribers (and the broker's message " +
        'size limit) to send it',
    );
  }
}
