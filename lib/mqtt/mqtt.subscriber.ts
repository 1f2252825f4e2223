import type { IPublishPacket, MqttClient } from 'mqtt';
import type { StatusTracker } from '../core/connection-status';
import type { BuslineError } from '../core/errors/busline.error';
import { InvalidArgumentError } from '../core/errors/invalid-argument.error';
import type { BuslineEventHandler } from '../core/handlers/event-handler';
import { Subscriber } from '../core/subscriber';
import type { SubscriberOptions } from '../core/subscriber.options';
import {
  anyEnvelopeDeserializer,
  checkedSubscribeEnvelope,
} from '../core/envelopes/envelope.codec';
import { InboundDecodeError, InboundPayloadTooLargeError } from './errors/inbound-decode.error';
import { InboundAcks } from './mqtt.inbound-acks';
import { InboundEnvelopes } from './mqtt.envelopes';
import { keepAliveWhileHolding } from './mqtt.keepalive';
import { MqttConnection } from './mqtt.connection';
import {
  checkedQos,
  DEFAULT_MAX_PAYLOAD_SIZE,
  type MqttClientOptions,
  type MqttQoS,
  type MqttSubscribeOptions,
} from './mqtt.options';
import type { MqttEventDeserializer } from './mqtt.serialization';
import {
  subscribeOnBroker,
  toMqttSubscribeOptions,
  unsubscribeOnBroker,
} from './mqtt.subscriptions';

/** Options of an {@link MqttSubscriber}: the broker, the client, and how to read what arrives. */
export type MqttSubscriberOptions = SubscriberOptions &
  MqttClientOptions & {
    /**
     * Bytes (and where they came from) to event; default `anyEnvelopeDeserializer`: Python
     * Busline's JSON envelope, the binary one, CloudEvents and `@nestjs/microservices` packets,
     * told apart by themselves. Subscriptions that name an `envelope` use it instead.
     */
    deserializer?: MqttEventDeserializer;
    /**
     * Messages larger than this many bytes are not decoded: they are reported as
     * `InboundPayloadTooLargeError` and skipped (default 4 MiB; `Infinity` for no limit). Over
     * MQTT 5 the subscriber also states a maximum packet size of this plus 256 KiB in its CONNECT
     * (unless `properties.maximumPacketSize` is given), so the broker does not send larger
     * messages at all: it drops them for this client, and nothing is reported here.
     */
    maxPayloadSize?: number;
    /** QoS of the subscriptions that give none (default 0). */
    qos?: MqttQoS;
  };

type Done = (error?: Error) => void;

/**
 * Given to mqtt.js' `handleMessage` callback for a QoS 1 message: go on reading, but send no
 * PUBACK (the subscriber sends it once the message is handled; see InboundAcks).
 */
const ACK_LATER = new Error('Busline acknowledges this message once it is handled');

/**
 * Receives events from an MQTT broker through mqtt.js and dispatches them by MQTT topic matching
 * (`orders/+/created` reaches its handler; `$share/<group>/<filter>` is matched as `<filter>`).
 *
 * - Reads Python Busline's JSON envelope by default, the binary envelope of
 *   `registryPassthroughEventBinarySerializer`, CloudEvents and `@nestjs/microservices` packets
 *   (each tells itself apart); a subscription may name its `envelope` instead (raw JSON, text or
 *   bytes among them). A message that cannot be read is reported to `onError` as an
 *   `InboundDecodeError` (with the topic and the decoder's error as `cause`) and skipped.
 * - QoS 1 messages are acknowledged once every handler they reached has settled (in arrival
 *   order); QoS 2 messages complete when their handlers have them. Messages keep being read while
 *   handlers run, so the broker's in-flight window (Mosquitto's `max_inflight_messages`, MQTT 5
 *   receive maximum) bounds what waits here.
 * - When a subscription's backlog is full anyway (`maxPendingEvents`: QoS 0 floods, brokers with
 *   no in-flight window), it stops reading from the broker until the backlog is down to half.
 *   Meanwhile it keeps pinging the broker and does not take the PINGRESP that waits unread behind
 *   the held-back messages as a dead connection, so a slow handler never costs the connection.
 * - After a reconnection to a broker that kept no session, it makes its subscriptions again.
 */
export class MqttSubscriber extends Subscriber<MqttSubscribeOptions> {
  /** @internal `messaging.system` in OpenTelemetry spans and metrics. */
  override get messagingSystem(): string {
    return 'mqtt';
  }

  /** Bytes to event. */
  readonly deserializer: MqttEventDeserializer;
  /** See {@link MqttSubscriberOptions.maxPayloadSize}. */
  readonly maxPayloadSize: number;
  private readonly connection: MqttConnection;
  private client: MqttClient | undefined;
  /** PUBACKs owed for QoS 1 messages taken on the current connection. */
  private readonly acks = new InboundAcks();
  /** Reads inbound messages, with the envelope their subscriptions name. */
  private readonly envelopes: InboundEnvelopes;
  /** Counts connections (mqtt.js reconnects with the same client object). */
  private connectionNumber = 0;
  /**
   * The connection whose reading is held back, a message waiting for room in a full backlog
   * (mqtt.js reads nothing else of that connection meanwhile); -1 when none is.
   */
  private heldConnection = -1;
  private aliasedTopic = '';
  /** See {@link MqttSubscriberOptions.qos}. */
  readonly qos: MqttQoS;

  constructor(options: MqttSubscriberOptions) {
    super(options);
    this.qos = checkedQos('options.qos', options.qos);
    this.deserializer = options.deserializer ?? anyEnvelopeDeserializer;
    if (typeof this.deserializer !== 'function') {
      throw new InvalidArgumentError('options.deserializer', 'a function', options.deserializer);
    }
    this.envelopes = new InboundEnvelopes(this, this.deserializer);
    this.maxPayloadSize = options.maxPayloadSize ?? DEFAULT_MAX_PAYLOAD_SIZE;
    if (!(this.maxPayloadSize >= 0)) {
      throw new InvalidArgumentError(
        'options.maxPayloadSize',
        'a number of bytes (or Infinity)',
        options.maxPayloadSize,
      );
    }
    const aliases = (options.otherClientParameters?.properties?.topicAliasMaximum ?? 0) > 0;
    this.connection = new MqttConnection(
      this.toString(),
      withPacketLimit(options, this.maxPayloadSize),
      this.logger,
      {
        configure: (client) => {
          client.handleMessage = this.handlePacket;
          this.acks.reset(client);
          client.on('close', () => {
            this.connectionNumber++;
            this.acks.reset(client);
            this.connectionLost();
          });
          keepAliveWhileHolding(client, () => this.heldConnection === this.connectionNumber);
          // With topic aliases a packet may come without its topic; mqtt.js resolves it for the
          // 'message' event, which it emits just before calling handleMessage.
          if (aliases) client.on('message', (topic) => (this.aliasedTopic = topic));
        },
        reconnected: (sessionPresent) => this.reconnected(sessionPresent),
      },
    );
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

  protected async internalConnect(): Promise<void> {
    this.client = await this.connection.open(this.identifier);
  }

  protected async internalDisconnect(): Promise<void> {
    await this.connection.close(false);
    this.client = undefined;
  }

  /**
   * Checks the MQTT options where `subscribe()` is called, connected or not: a bad `qos` or `rh`
   * rejects that call and registers nothing, rather than failing a later `connect()`.
   */
  protected override onSubscribing(
    _topic: string,
    _handler: BuslineEventHandler | undefined,
    options?: MqttSubscribeOptions,
  ): void {
    toMqttSubscribeOptions(options, this.qos);
    checkedSubscribeEnvelope('options.envelope', options?.envelope);
    this.envelopes.subscribing(options);
  }

  protected async internalSubscribe(topic: string, options?: MqttSubscribeOptions): Promise<void> {
    const mqttOptions = toMqttSubscribeOptions(options, this.qos);
    const client = this.client!;
    if (!client.connected) {
      // Reconnecting: mqtt.js sends the SUBSCRIBE on reconnection (and the subscriber restores
      // its subscriptions then anyway). Waiting for it could mean waiting forever.
      subscribeOnBroker(client, topic, mqttOptions).catch((error: BuslineError) =>
        this.reportError(error),
      );
      return;
    }
    return subscribeOnBroker(client, topic, mqttOptions);
  }

  protected async internalUnsubscribe(topic: string): Promise<void> {
    const client = this.client!;
    if (client.connected) return unsubscribeOnBroker(client, topic);
    // Reconnecting: sent on reconnection; a broker without session has forgotten it anyway.
    unsubscribeOnBroker(client, topic).catch((error: BuslineError) => this.reportError(error));
  }

  /**
   * mqtt.js calls this for every inbound PUBLISH (QoS 2: on its PUBREL) and reads no further until
   * `done` is called; `done()` sends the PUBACK (QoS 1) or PUBCOMP (QoS 2), `done(ACK_LATER)` goes
   * on without it. `done` is held back only while a backlog is full.
   */
  private readonly handlePacket = (packet: IPublishPacket, done: Done): void => {
    const qos1 = packet.qos === 1;
    const topic = packet.topic || this.aliasedTopic;
    const payload = packet.payload as Buffer;
    let full: Promise<void> | undefined | false;
    try {
      if (payload.length > this.maxPayloadSize) {
        throw new InboundPayloadTooLargeError(topic, payload.length, this.maxPayloadSize);
      }
      full = this.envelopes.receive(topic, payload, packet, qos1 ? this.acks : undefined);
    } catch (error) {
      this.reportError(
        error instanceof InboundDecodeError
          ? error
          : new InboundDecodeError(topic, payload.length, reasonOf(error), { cause: error }),
      );
      // Sending it again would not make it readable: acknowledge it.
      done();
      return;
    }
    if (full === false) {
      // No subscription's envelope could read it (each failure was reported).
      done();
      return;
    }
    if (full === undefined) {
      done(qos1 ? ACK_LATER : undefined);
      return;
    }
    const connection = (this.heldConnection = this.connectionNumber);
    full.then(() => {
      if (this.heldConnection === connection) this.heldConnection = -1;
      done(qos1 ? ACK_LATER : undefined);
    });
  };

  private reconnected(sessionPresent: boolean): void {
    // Without a session the broker forgot every subscription; with one it kept those it had
    // acknowledged, and restoring only makes those that were still pending.
    if (!sessionPresent) this.markSubscriptionsInactive();
    this.restoreSubscriptions(true).catch((error: unknown) =>
      this.logger.error(`${this}: could not restore its subscriptions: ${reasonOf(error)}`),
    );
  }
}

/** Room for the rest of a PUBLISH packet (topic, properties) beside a payload of the limit. */
const PACKET_OVERHEAD = 256 * 1024;
/** The largest packet size MQTT can state. */
const MAX_PACKET_SIZE = 268_435_455;

/**
 * Over MQTT 5, tell the broker the largest packet this subscriber takes (CONNECT's maximum
 * packet size): the broker then never sends a larger message, where over MQTT 3.1.1 mqtt.js reads
 * it whole before `maxPayloadSize` can refuse it. An explicit `maximumPacketSize` is kept.
 */
function withPacketLimit(
  options: MqttSubscriberOptions,
  maxPayloadSize: number,
): MqttSubscriberOptions {
  const client = options.otherClientParameters;
  if (
    client?.protocolVersion !== 5 ||
    client.properties?.maximumPacketSize !== undefined ||
    !Number.isFinite(maxPayloadSize)
  ) {
    return options;
  }
  const maximumPacketSize = Math.min(maxPayloadSize + PACKET_OVERHEAD, MAX_PACKET_SIZE);
  return {
    ...options,
    otherClientParameters: { ...client, properties: { ...client.properties, maximumPacketSize } },
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
