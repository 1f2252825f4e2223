import type { MqttClient } from 'mqtt';
import type { StatusTracker } from '../core/connection-status';
import { InvalidArgumentError } from '../core/errors/invalid-argument.error';
import { NoSubscriberError } from '../core/errors/no-subscriber.error';
import { hasHeaders, type Event } from '../core/event';
import { asBuffer } from '../core/codec/bytes';
import { Publisher, type PublisherOptions } from '../core/publisher';
import { registryPassthroughEventJsonSerializer } from '../core/wire/registry-passthrough-event.json';
import {
  MqttOfflineQueueFullError,
  MqttPublishError,
  OutboundPayloadTooLargeError,
} from './errors/mqtt-publish.error';
import { encodeForMqtt } from './mqtt.envelopes';
import { GatedStore } from './mqtt.gated-store';
import { withHeaderProperties, withoutHeaders } from './mqtt.headers';
import { NoSubscribersWatch } from './mqtt.no-subscribers';
import { MqttConnection } from './mqtt.connection';
import {
  checkedQos,
  DEFAULT_MAX_PAYLOAD_SIZE,
  type MqttClientOptions,
  type MqttPublishOptions,
  type MqttQoS,
} from './mqtt.options';
import type { MqttEventSerializer } from './mqtt.serialization';

/** Options of an {@link MqttPublisher}: the broker, the client, and what to send. */
export type MqttPublisherOptions = PublisherOptions &
  MqttClientOptions & {
    /** Event to bytes; default: Python Busline's JSON envelope. */
    serializer?: MqttEventSerializer;
    /**
     * How many publishes may wait to be sent (default 10,000): while the connection is down or
     * being restored, and while the socket is full. They go out in publish order once it can take
     * them. Past it, `publish()` rejects at once with `MqttOfflineQueueFullError` and that event
     * is not sent; nothing already queued is dropped.
     */
    maxOfflineQueue?: number;
    /**
     * Largest encoded event, in bytes, that `publish()` sends (default 4 MiB, the subscriber's
     * default `maxPayloadSize`; `Infinity` for no limit). A larger one rejects with
     * `OutboundPayloadTooLargeError` rather than being skipped by every subscriber.
     */
    maxPayloadSize?: number;
    /**
     * How long `disconnect()` waits for publishes still in flight (QoS 1/2 acknowledgements) while
     * connected, in ms (default 5,000). Publishes still pending then reject with
     * `MqttPublishError`.
     */
    drainTimeout?: number;
    /** QoS of the publishes that give none (default 0). */
    qos?: MqttQoS;
  };

const CLOSED = 'the publisher was disconnected before the broker took the message';

/** Signature of the completion callback mqtt.js calls once per publish (with the ack packet). */
type Completion = (error?: Error) => void;

/** How many publishes of the outbox one flush hands to mqtt.js before it yields. */
const FLUSH_SLICE = 256;

/**
 * Bytes the socket may hold unsent before publishes wait in the outbox instead: enough to keep it
 * busy between two 'drain' events (its own high-water mark, 16 KiB, would leave it idle while the
 * outbox refills it), few enough to bound what a publish flood holds there.
 */
const SOCKET_BUFFER_LIMIT = 256 * 1024;

/** A publish waiting in the publisher's outbox. */
interface Outgoing {
  /** Publish order, to put a publish back in its place. */
  readonly sequence: number;
  readonly topic: string;
  readonly event: Event;
  readonly payload: Buffer;
  readonly options: MqttPublishOptions | undefined;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Publishes events to an MQTT broker through mqtt.js, as Python Busline's JSON envelope by default
 * (a Python Busline subscriber reads them). `publish()` resolves when the client has written the
 * message (QoS 0) or the broker acknowledged it (QoS 1, 2).
 *
 * While the connection is down, publishes wait in the publisher's outbox (`maxOfflineQueue`) and
 * go out in order once it is back; inside a `PubSubClient`, only after the client's subscribers
 * have restored their subscriptions. A QoS 1/2 publish that the broker had not acknowledged when
 * the connection broke is sent again by mqtt.js once it is back, after the same wait.
 *
 * ```ts
 * const publisher = new MqttPublisher({ hostname: '127.0.0.1' });
 * await publisher.connect();
 * await publisher.publish('orders/42/created', new OrderCreated(...), { qos: 1 });
 * ```
 */
export class MqttPublisher extends Publisher<MqttPublishOptions> {
  /** @internal `messaging.system` in OpenTelemetry spans and metrics. */
  override get messagingSystem(): string {
    return 'mqtt';
  }

  /** Event to bytes. */
  readonly serializer: MqttEventSerializer;
  /** See {@link MqttPublisherOptions.maxOfflineQueue}. */
  readonly maxOfflineQueue: number;
  /** See {@link MqttPublisherOptions.maxPayloadSize}. */
  readonly maxPayloadSize: number;
  /** See {@link MqttPublisherOptions.qos}. */
  readonly qos: MqttQoS;
  private readonly drainTimeout: number;
  /** Whether the client speaks MQTT 5: event headers then travel as packet properties. */
  private readonly mqtt5: boolean;
  /** Which QoS 1 publishes the broker said no subscriber takes (MQTT 5). */
  private readonly noSubscribers = new NoSubscribersWatch();
  private readonly connection: MqttConnection;
  private client: MqttClient | undefined;
  /** Whether publishes go straight to mqtt.js: connected, and the outbox handed over. */
  private open = false;
  /** Counts lost connections, to tell whether one broke since a publish was handed over. */
  private link = 0;
  /** Publishes not handed to mqtt.js yet, in publish order. */
  private readonly outbox: Outgoing[] = [];
  /** QoS 0 publishes handed over whose bytes still wait in the socket: they resolve on 'drain'. */
  private unwritten: Outgoing[] = [];
  private drainListening = false;
  private sliceScheduled = false;
  private published = 0;
  private closing = false;
  // Completion callbacks of the publishes handed to mqtt.js that it has not completed yet:
  // disconnect() waits for them and settles what is left.
  private readonly inFlight = new Set<Completion>();
  private drained: (() => void) | undefined;

  constructor(options: MqttPublisherOptions) {
    super(options);
    this.qos = checkedQos('options.qos', options.qos);
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
    this.maxPayloadSize = options.maxPayloadSize ?? DEFAULT_MAX_PAYLOAD_SIZE;
    if (!(this.maxPayloadSize >= 0)) {
      throw new InvalidArgumentError(
        'options.maxPayloadSize',
        'a number of bytes (or Infinity)',
        options.maxPayloadSize,
      );
    }
    this.drainTimeout = options.drainTimeout ?? 5_000;
    this.mqtt5 = options.otherClientParameters?.protocolVersion === 5;
    this.connection = new MqttConnection(this.toString(), options, this.logger, {
      // Unless the user brings a store of their own, what mqtt.js resends after a reconnection
      // (publishes the broker had not acknowledged) waits for the gates too. One per client:
      // mqtt.js closes its store when the client ends.
      clientDefaults: () => ({ outgoingStore: new GatedStore(() => this.queuedMayGo()) }),
      configure: (client) => {
        client.on('close', () => {
          this.open = false;
          this.link++;
          this.drainListening = false;
          this.lostUnwritten();
        });
        if (this.mqtt5) this.noSubscribers.watch(client);
      },
      reconnected: () => void this.reopen(),
    });
  }

  /** The broker, as `protocol://host:port` (no credentials). */
  get broker(): string {
    return this.connection.broker;
  }

  /** @internal The status is the connection's, through reconnections. */
  protected override statusTracker(): StatusTracker {
    return this.connection.tracker;
  }

  /** The underlying mqtt.js client while connected (for what Busline does not cover). */
  get mqttClient(): MqttClient | undefined {
    return this.client;
  }

  /**
   * Publishes accepted and not yet complete: waiting in the outbox, or handed to mqtt.js and not
   * yet written (QoS 0) or acknowledged (QoS 1, 2).
   */
  get pendingPublishes(): number {
    return this.inFlight.size + this.outbox.length + this.unwritten.length;
  }

  /**
   * Serializes the event and hands it to mqtt.js (or the outbox). Over MQTT 5 the event's headers
   * go in the packet's properties (see mqtt.headers.ts), not in the envelope. With
   * `requireSubscriber`, a QoS 1 publish the broker acknowledges with "no matching subscribers"
   * rejects with `NoSubscriberError`.
   */
  protected internalPublish(
    topic: string,
    event: Event,
    options?: MqttPublishOptions,
  ): Promise<void> {
    // Over MQTT 5 the headers travel as properties, and the envelope carries none.
    let wire = event;
    if (this.mqtt5 && hasHeaders(event.headers)) {
      options = withHeaderProperties(options, event.headers);
      wire = withoutHeaders(event);
    }
    // The publish's `envelope`, if any, may add MQTT 5 properties (CloudEvents binary mode).
    const version = this.client?.options.protocolVersion;
    const encoded = encodeForMqtt(this.serializer, topic, wire, options, version);
    const payload = asBuffer(encoded.payload);
    options = encoded.options;
    if (payload.length > this.maxPayloadSize) {
      return Promise.reject(
        new OutboundPayloadTooLargeError(topic, payload.length, this.maxPayloadSize),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const sequence = this.published++;
      const outgoing: Outgoing = { sequence, topic, event, payload, options, resolve, reject };
      if (
        this.open &&
        this.outbox.length === 0 &&
        this.client!.stream.writableLength < SOCKET_BUFFER_LIMIT
      ) {
        this.send(outgoing);
      } else if (this.outbox.length >= this.maxOfflineQueue) {
        reject(new MqttOfflineQueueFullError(topic, this.maxOfflineQueue));
      } else {
        this.outbox.push(outgoing);
        if (this.open && !this.sliceScheduled) this.listenForDrain();
      }
    });
  }

  /** Hand a publish to mqtt.js. */
  private send(outgoing: Outgoing): void {
    const client = this.client!;
    // mqtt.js reads only qos, retain, dup and properties from the options, and copies them
    // (an absent one is {}), so Busline's own options can go along as they are.
    const options = this.withDefaultQos(outgoing.options);
    if ((options?.qos ?? 0) === 0) {
      // Without a callback mqtt.js adds no 'drain' listener per publish: the publisher keeps one.
      client.publish(outgoing.topic, outgoing.payload, options);
      if (!client.stream.writableNeedDrain) return outgoing.resolve();
      this.unwritten.push(outgoing);
      this.listenForDrain();
      return;
    }
    const inFlight = this.inFlight;
    const link = this.link;
    const done: Completion = (error) => {
      if (!inFlight.delete(done)) return;
      this.checkDrained();
      if (error === undefined || error === null) {
        if (this.noSubscribers.take(done) && outgoing.options?.requireSubscriber === true) {
          return outgoing.reject(new NoSubscriberError(outgoing.topic, this.toString()));
        }
        return outgoing.resolve();
      }
      if (link !== this.link && !this.closing) {
        // The connection broke before mqtt.js could send it: it waits for the next connection,
        // like a publish made while offline, in its place (before what was published after it).
        this.requeue(outgoing);
        return;
      }
      outgoing.reject(publishError(outgoing.topic, error));
    };
    inFlight.add(done);
    client.publish(outgoing.topic, outgoing.payload, options, done);
  }

  /**
   * The connection closed with QoS 0 bytes still in the socket: they may or may not have gone out.
   * They wait for the next connection (a duplicate is possible), unless the publisher is closing.
   */
  private lostUnwritten(): void {
    const unwritten = this.unwritten;
    this.unwritten = [];
    for (const outgoing of unwritten) {
      if (this.closing) outgoing.reject(publishError(outgoing.topic, new Error(CLOSED)));
      else this.requeue(outgoing);
    }
  }

  private checkDrained(): void {
    if (this.inFlight.size === 0 && this.outbox.length === 0 && this.unwritten.length === 0) {
      this.drained?.();
    }
  }

  private requeue(outgoing: Outgoing): void {
    const at = this.outbox.findIndex((o) => o.sequence > outgoing.sequence);
    this.outbox.splice(at === -1 ? this.outbox.length : at, 0, outgoing);
  }

  /** Hand over what waits in the outbox, in order, while the connection takes it. */
  private readonly flush = (): void => {
    this.sliceScheduled = false;
    const client = this.client;
    for (let sent = 0; this.open && this.outbox.length > 0 && client !== undefined; sent++) {
      if (client.stream.writableLength >= SOCKET_BUFFER_LIMIT) return this.listenForDrain();
      // A long outbox (thousands queued during an outage) goes out in slices, so the event loop
      // (handlers, timers, keepalive) keeps turning meanwhile.
      if (sent === FLUSH_SLICE) {
        this.sliceScheduled = true;
        setImmediate(this.flush);
        return;
      }
      this.send(this.outbox.shift()!);
    }
    this.checkDrained();
  };

  /** One 'drain' listener, however many publishes wait for the socket. */
  private listenForDrain(): void {
    if (this.drainListening) return;
    this.drainListening = true;
    this.client!.stream.once('drain', this.onDrain);
  }

  private readonly onDrain = (): void => {
    this.drainListening = false;
    const written = this.unwritten;
    this.unwritten = [];
    for (const outgoing of written) outgoing.resolve();
    if (!this.sliceScheduled) this.flush();
  };

  /** Reconnected: once the gates open (a client's subscriptions restored), send what waited. */
  private async reopen(): Promise<void> {
    const link = this.link;
    await this.queuedMayGo();
    if (link !== this.link || this.client === undefined || this.closing) return;
    this.open = true;
    if (!this.sliceScheduled) this.flush();
  }

  protected override withdraw(event: Event): boolean {
    const at = this.outbox.findIndex((o) => o.event === event);
    if (at === -1) return false;
    this.outbox.splice(at, 1);
    return true;
  }

  private withDefaultQos(options: MqttPublishOptions | undefined): MqttPublishOptions | undefined {
    if (this.qos === 0 || options?.qos !== undefined) return options;
    return { ...options, qos: this.qos };
  }

  protected async internalConnect(): Promise<void> {
    this.client = await this.connection.open(this.identifier);
    this.open = true;
  }

  protected async internalDisconnect(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    if (this.pendingPublishes > 0 && client.connected) await this.waitForPending();
    this.closing = true;
    this.open = false;
    try {
      await this.connection.close(this.inFlight.size > 0);
    } finally {
      this.client = undefined;
      this.closing = false;
    }
    const reason = new Error(CLOSED);
    for (const done of [...this.inFlight]) done(reason);
    for (const outgoing of this.outbox.splice(0)) {
      outgoing.reject(publishError(outgoing.topic, reason));
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
