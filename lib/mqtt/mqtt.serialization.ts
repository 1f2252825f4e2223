import type { IPublishPacket } from 'mqtt';
import type { Event } from '../core/event';
import type { WireContext } from '../core/envelopes/envelope';
import type { RegistryPassthroughEvent } from '../core/wire/registry-passthrough.event';

/**
 * Turns an event, payload already in bytes, into the bytes of an MQTT message. The default,
 * `registryPassthroughEventJsonSerializer`, writes Python Busline's JSON envelope. A publish that
 * names an `envelope` is written in that envelope instead.
 */
export type MqttEventSerializer = (event: RegistryPassthroughEvent) => Uint8Array;

/**
 * What an MQTT subscriber knows about a message besides its bytes: the topic, and over MQTT 5 its
 * content type, user properties and the packet's other properties.
 */
export interface MqttDeserializeContext extends WireContext {
  /** The MQTT 5 properties of the PUBLISH packet, if it had any. */
  readonly properties?: IPublishPacket['properties'];
}

/**
 * Reads the bytes of an MQTT message into an event (or an event whose payload is still in bytes,
 * which the registry then decodes); throws (a typed error, ideally) when they are not one. The
 * second argument, which a deserializer may ignore, says where the message came from. The default,
 * `anyEnvelopeDeserializer`, reads Python Busline's JSON envelope, the binary envelope,
 * CloudEvents and `@nestjs/microservices` packets, telling them apart by themselves. A
 * subscription that names an `envelope` is read with that envelope instead.
 */
export type MqttEventDeserializer = (
  bytes: Uint8Array,
  context?: MqttDeserializeContext,
) => RegistryPassthroughEvent | Event;
