import type { IClientPublishOptions, IPublishPacket } from 'mqtt';
import type { BuslineError } from '../core/errors/busline.error';
import { ForeignEnvelopeError } from '../core/errors/foreign-envelope.error';
import type { Event } from '../core/event';
import type { Subscriber } from '../core/subscriber';
import { Countdown, type Subscription } from '../core/subscription';
import type { EncodedEvent, SubscribeEnvelope } from '../core/envelopes/envelope';
import {
  anyEnvelopeDeserializer,
  checkedPublishEnvelope,
  decodeWithEnvelope,
  encodeWithEnvelope,
  toEvent,
} from '../core/envelopes/envelope.codec';
import { UTF8_FORMAT_TYPE } from '../core/messages/format-types';
import { StringMessage } from '../core/messages/string.message';
import {
  binaryEnvelopeOfText,
  registryPassthroughEventBinarySerializer,
} from '../core/wire/registry-passthrough-event.binary';
import { messageTypeOf, RegistryPassthroughEvent } from '../core/wire/registry-passthrough.event';
import { InboundDecodeError } from './errors/inbound-decode.error';
import { headersOfPacket } from './mqtt.headers';
import type { InboundAcks } from './mqtt.inbound-acks';
import type { MqttPublishOptions, MqttSubscribeOptions } from './mqtt.options';
import type { MqttDeserializeContext, MqttEventDeserializer } from './mqtt.serialization';

/** @internal What a subscriber knows about an inbound message besides its bytes. */
export function inboundContext(topic: string, packet: IPublishPacket): MqttDeserializeContext {
  const properties = packet.properties;
  if (properties === undefined) return { topic };
  return {
    topic,
    properties,
    contentType: properties.contentType,
    userProperties: properties.userProperties,
  };
}

/** Subscriptions that read their messages with the same envelope. */
interface Route {
  /** `undefined`: the subscriber's deserializer. */
  readonly envelope: SubscribeEnvelope | undefined;
  readonly subscriptions: Subscription[];
}

/**
 * @internal Reads inbound MQTT messages for a subscriber whose subscriptions may name their
 * envelope (`subscribe(topic, handler, { envelope })`). Until one does, a message is read once
 * with the subscriber's deserializer and nothing else is done. Otherwise the subscriptions a message
 * matches are grouped by envelope and each group gets the message as its envelope reads it; a
 * group whose envelope cannot read it gets nothing, and the failure is reported.
 */
export class InboundEnvelopes {
  /** Set once a subscription names an envelope: from then on, messages are matched first. */
  private named = false;

  constructor(
    private readonly subscriber: Subscriber<MqttSubscribeOptions>,
    private readonly deserializer: MqttEventDeserializer,
  ) {}

  /** A subscription is being made with `options`. */
  subscribing(options: MqttSubscribeOptions | undefined): void {
    if (options?.envelope !== undefined) this.named = true;
  }

  /**
   * Reads the message and hands it over. With `acks` (a QoS 1 message), it owes a PUBACK for the
   * packet once the event is handled, if some subscription got it. Returns `false` when it could
   * not be read at all (each failure was reported), else what `deliver()` returned; throws what
   * the subscriber's deserializer throws.
   */
  receive(
    topic: string,
    payload: Buffer,
    packet: IPublishPacket,
    acks: InboundAcks | undefined,
  ): Promise<void> | undefined | false {
    const routes = this.routes(topic);
    if (routes === undefined) {
      // The default deserializer needs no context without MQTT 5 properties: none is made.
      const context =
        packet.properties === undefined && this.deserializer === anyEnvelopeDeserializer
          ? undefined
          : inboundContext(topic, packet);
      const event = withPacketHeaders(toEvent(this.deserializer(payload, context)), packet);
      return this.subscriber.deliver(topic, event, acks?.take(packet.messageId!));
    }
    const context = inboundContext(topic, packet);
    const decoded: [Event, Subscription[]][] = [];
    for (const route of routes) {
      try {
        const event = withPacketHeaders(this.read(route.envelope, payload, context), packet);
        decoded.push([event, route.subscriptions]);
      } catch (error) {
        this.subscriber.reportError(asInboundError(topic, payload, error));
      }
    }
    if (decoded.length === 0) return false;
    const handled = acks?.take(packet.messageId!);
    const countdown = handled && new Countdown(handled);
    let wait: Promise<void>[] | undefined;
    for (const [event, subscriptions] of decoded) {
      if (countdown) countdown.remaining++;
      const full = this.subscriber.deliverMatched(topic, event, subscriptions, countdown?.tick);
      if (full) (wait ??= []).push(full);
    }
    countdown?.tick();
    if (wait === undefined) return undefined;
    return Promise.all(wait).then(() => undefined);
  }

  private read(
    envelope: SubscribeEnvelope | undefined,
    payload: Buffer,
    context: MqttDeserializeContext,
  ): Event {
    return toEvent(
      envelope === undefined
        ? this.deserializer(payload, context)
        : decodeWithEnvelope(payload, envelope, context),
    );
  }

  /**
   * The matched subscriptions by envelope; `undefined` while no subscription ever named one (the
   * options of a subscription are read as they are now: subscribing again may change them).
   */
  private routes(topic: string): Route[] | undefined {
    const index = this.subscriber.subscriptionIndex;
    if (!this.named) return undefined;
    const routes: Route[] = [];
    for (const subscription of index.match(topic, this.subscriber.topicNamesMatcher)) {
      const envelope = envelopeOf(subscription);
      const route = routes.find((r) => sameEnvelope(r.envelope, envelope));
      if (route === undefined) routes.push({ envelope, subscriptions: [subscription] });
      else route.subscriptions.push(subscription);
    }
    // Nothing matched (a late message after an unsubscribe): read it as the subscriber does.
    if (routes.length === 0) return undefined;
    return routes;
  }
}

/** MQTT 5: the headers that travel in the packet's properties (reply address, user properties). */
function withPacketHeaders(event: Event, packet: IPublishPacket): Event {
  const headers = packet.properties && headersOfPacket(packet);
  return headers === undefined ? event : event.withHeaders(headers);
}

/**
 * @internal The bytes to publish for `event` and the publish options to send them with, on a
 * connection of MQTT `protocolVersion` (binary CloudEvents need user properties: MQTT 5).
 */
export function encodeForMqtt(
  serializer: (event: RegistryPassthroughEvent) => Uint8Array,
  topic: string,
  event: Event,
  options: MqttPublishOptions | undefined,
  protocolVersion: number | undefined,
): { payload: Uint8Array; options: MqttPublishOptions | undefined } {
  const envelope = checkedPublishEnvelope('options.envelope', options?.envelope);
  if (envelope === undefined) {
    return { payload: serializeEvent(serializer, event), options };
  }
  if (envelope === 'cloudevents-binary' && protocolVersion !== 5) {
    throw new ForeignEnvelopeError(
      envelope,
      `its attributes travel as MQTT 5 user properties, and this publisher speaks MQTT ${protocolVersion === 3 ? '3.1' : '3.1.1'}; set otherClientParameters.protocolVersion to 5, or publish with envelope 'cloudevents' (structured mode)`,
    );
  }
  const encoded = encodeWithEnvelope(topic, event, envelope);
  return { payload: encoded.payload, options: withEnvelopeProperties(options, encoded) };
}

/**
 * `serializer(RegistryPassthroughEvent.fromEvent(event))`. A text payload (a `StringMessage`) in
 * the binary envelope is written straight into the envelope: the same bytes, without encoding the
 * text into a buffer of its own first and copying that (issue 14: a 10 KB text cost two buffers
 * of 10 KB and a copy per publish).
 */
function serializeEvent(
  serializer: (event: RegistryPassthroughEvent) => Uint8Array,
  event: Event,
): Uint8Array {
  const payload = event.payload;
  if (
    serializer === registryPassthroughEventBinarySerializer &&
    payload !== null &&
    payload.constructor === StringMessage
  ) {
    return binaryEnvelopeOfText(
      {
        identifier: event.identifier,
        publisherIdentifier: event.publisherIdentifier,
        payloadFormatType: UTF8_FORMAT_TYPE,
        messageType: messageTypeOf(StringMessage),
        timestamp: event.timestamp,
        headers: event.headers,
      },
      (payload as StringMessage).value,
    );
  }
  return serializer(RegistryPassthroughEvent.fromEvent(event));
}

/** The options with the content type and user properties the envelope asks for, if any. */
function withEnvelopeProperties(
  options: MqttPublishOptions | undefined,
  encoded: EncodedEvent,
): MqttPublishOptions | undefined {
  if (encoded.contentType === undefined && encoded.userProperties === undefined) return options;
  const properties: NonNullable<IClientPublishOptions['properties']> = {
    ...options?.properties,
  };
  if (encoded.contentType !== undefined) properties.contentType ??= encoded.contentType;
  if (encoded.userProperties !== undefined) {
    properties.userProperties = { ...encoded.userProperties, ...properties.userProperties };
  }
  return { ...options, properties };
}

function envelopeOf(subscription: Subscription): SubscribeEnvelope | undefined {
  return (subscription.options as MqttSubscribeOptions | undefined)?.envelope;
}

function sameEnvelope(a: SubscribeEnvelope | undefined, b: SubscribeEnvelope | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return 'raw' in a && 'raw' in b
    ? a.raw === b.raw
    : 'nest' in a && 'nest' in b && a.nest === b.nest;
}

function asInboundError(topic: string, payload: Buffer, error: unknown): BuslineError {
  if (error instanceof InboundDecodeError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new InboundDecodeError(topic, payload.length, reason, { cause: error });
}
