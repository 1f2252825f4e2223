import { BuslineError } from '../../core/errors/busline.error';

/**
 * `connect()` could not reach the broker or the broker refused the connection. The message says
 * which broker (never with its credentials), why, and what to check.
 */
export class MqttConnectionError extends BuslineError {
  constructor(
    /** The broker, as `protocol://host:port` (credentials removed). */
    readonly broker: string,
    /** What went wrong, in a few words. */
    readonly reason: string,
    /** What to check or change. */
    readonly hint: string,
    /** The MQTT CONNACK return / reason code, when the broker answered with one. */
    readonly reasonCode?: number,
    /** The system error code (`ECONNREFUSED`, `ENOTFOUND`, TLS codes, ...), when there is one. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot connect to the MQTT broker at ${broker}: ${reason}. ${hint}`, options);
  }
}
