import type { MqttClient } from 'mqtt';
import type { ConnectorOptions } from '../core/connector';
import { InvalidArgumentError } from '../core/errors/invalid-argument.error';
import type { Event } from '../core/event';
import { asBuffer } from '../core/messages/wrapper.codec';
import { Publisher } from '../core/publisher';
import { registryPassthroughEventJsonSerializer } from '../core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../core/wire/registry-passthrough.event';
import { MqttOfflineQueueFullError, MqttPublishError } from './errors/mqtt-publish.error';
import {
  MqttConnection,
  type MqttConnectionStatus,
  type MqttStatusListener,
} from './mqtt.connection';
import {
  checkedQos,
  type MqttClientOptions,
  type MqttPublishOptions,
  type MqttQoS,
} from './mqtt.options';
import type { MqttEventSerializer } from './mqtt.serialization';

/** Options of an {@link MqttPublisher}: the broker, the client, and what to send. */
export type MqttPublisherOptions = ConnectorOptions &
  MqttClientOptions & {
    /** Event to bytes; default: Python Busline's JSON envelope. */
    serializer?: MqttEventSerializer;
    /**
     * How many publishes may wait for the broker while the connection is down (they are sent on
     * reconnection; default 10,000). Past it, `publish()` rejects at once with
     * `MqttOfflineQueueFullError` and that event is not sent; nothing already queued is dropped.
     */
    maxOfflineQueue?: number;
    /**
     * How long `disconnect()` waits for publishes still in flight (QoS 1/2 acknowledgements) while
     * connected, in ms (default 5,000). Publishes still pending then reject with
     * `MqttPublishError`.
     */
    drainTimeout?: number;
    /** QoS of the publishes that give none (default 0). */
    qos?: MqttQoS;
  };

/** Signature of the completion callback mqtt.js calls once per publish. */
type Completion = (error?: Error) => void;

/**
 * Publishes events to an MQTT broker through mqtt.js, as Python Busline's JSON envelope by default
 * (a Python Busline subscriber reads them). `publish()` resolves when the client has written the
 * message (QoS 0) or the broker acknowledged it (QoS 1, 2).
 *
 * ```ts
 * const publisher = new MqttPublisher({ hostname: '127.0.0.1' });
 * await publisher.connect();
 * await publisher.publish('orders/42/created', new OrderCreated(...), { qos: 1 });
 * ```
 */
export class MqttPublisher extends Publisher<MqttPublishOptions> {
  /** Event to bytes. */
  readonly serializer: MqttEventSerializer;
  /** See {@link MqttPublisherOptions.maxOfflineQueue}. */
  readonly maxOfflineQueue: number;
  /** See {@link MqttPublisherOptions.qos}. */
  readonly qos: MqttQoS;
  private readonly drainTimeout: number;
  private readonly connection: MqttConnection;
  private client: MqttClient | undefined;
  // Completion callbacks of the publishes the broker has not taken yet: their count bounds the
  // offline queue, and disconnect() settles what is left.
  private readonly inFlight = new Set<Completion>();
  private drained: (() => void) | undefined;

  constructor(options: MqttPublisherOptions) {
    super(options);
    this.qos = checkedQos(options.qos, 'options.qos');
    this.serializer = options.serializer ?? registryPassthroughEventJsonSerializer;
    if (typeof this.serializer !== 'function') {
      throw new InvalidArgumentError('options.serializer', 'a function', options.serializer);
    }
    this.maxOfflineQueue = options.maxOfflineQueue ?? 10_000;
    if (!Number.isInteger(this.maxOfflineQueue) || this.maxOfflineQueue < 0) {
      throw new InvalidArgumentError(
        'options.maxOfflineQueue',
        'a whole number of at least 0',
        options.maxOfflineQueue,
      );
    }
    this.drainTimeout = options.drainTimeout ?? 5_000;
    this.connection = new MqttConnection(this.toString(), options, this.logger);
  }

  /** The broker, as `protocol://host:port` (no credentials). */
  get broker(): string {
    return this.connection.broker;
  }

  /** Where the connection to the broker stands. */
  get status(): MqttConnectionStatus {
    return this.connection.status;
  }

  /** Call `listener` on every status change; returns a function that stops it. */
  onStatus(listener: MqttStatusListener): () => void {
    return this.connection.onStatus(listener);
  }

  /** The underlying mqtt.js client while connected (for what Busline does not cover). */
  get mqttClient(): MqttClient | undefined {
    return this.client;
  }

  /** Publishes accepted and not yet written (QoS 0) or acknowledged (QoS 1, 2). */
  get pendingPublishes(): number {
    return this.inFlight.size;
  }

  protected internalPublish(
    topic: string,
    event: Event,
    options?: MqttPublishOptions,
  ): Promise<void> {
    const client = this.client!;
    const inFlight = this.inFlight;
    if (inFlight.size >= this.maxOfflineQueue && !client.connected) {
      return Promise.reject(new MqttOfflineQueueFullError(topic, this.maxOfflineQueue));
    }
    const payload = asBuffer(this.serializer(RegistryPassthroughEvent.fromEvent(event)));
    return new Promise<void>((resolve, reject) => {
      const done: Completion = (error) => {
        if (!inFlight.delete(done)) return;
        if (inFlight.size === 0) this.drained?.();
        if (error === undefined || error === null) resolve();
        else reject(publishError(topic, error));
      };
      inFlight.add(done);
      // mqtt.js reads only qos, retain, dup and properties from the options, and copies them
      // (an absent one is {}), so Busline's own options can go along as they are.
      client.publish(topic, payload, this.withDefaultQos(options), done);
    });
  }

  private withDefaultQos(options: MqttPublishOptions | undefined): MqttPublishOptions | undefined {
    if (this.qos === 0 || options?.qos !== undefined) return options;
    return { ...options, qos: this.qos };
  }

  protected async internalConnect(): Promise<void> {
    this.client = await this.connection.open(this.identifier);
  }

  protected async internalDisconnect(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    if (this.inFlight.size > 0 && client.connected) await this.waitForPending();
    const force = this.inFlight.size > 0;
    await this.connection.close(force);
    this.client = undefined;
    for (const done of [...this.inFlight]) {
      done(new Error('the publisher was disconnected before the broker took the message'));
    }
  }

  private waitForPending(): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        stop();
        this.drained = undefined;
        resolve();
      };
      const timer = setTimeout(finish, this.drainTimeout);
      const stop = this.connection.onStatus((change) => {
        if (change.status !== 'connected') finish();
      });
      this.drained = finish;
    });
  }
}

function publishError(topic: string, error: Error): MqttPublishError {
  const reasonCode = (error as { code?: unknown }).code;
  return new MqttPublishError(
    topic,
    error.message,
    typeof reasonCode === 'number' ? reasonCode : undefined,
    { cause: error },
  );
}
