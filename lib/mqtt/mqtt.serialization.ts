import type { RegistryPassthroughEvent } from '../core/wire/registry-passthrough.event';

/**
 * Turns an event, payload already in bytes, into the bytes of an MQTT message. The default,
 * `registryPassthroughEventJsonSerializer`, writes Python Busline's JSON envelope.
 */
export type MqttEventSerializer = (event: RegistryPassthroughEvent) => Uint8Array;

/**
 * Reads the bytes of an MQTT message into an event whose payload is still in bytes; throws (a
 * typed error, ideally) when they are not one. The default,
 * `registryPassthroughEventAutoDeserializer`, reads Python Busline's JSON envelope and the binary
 * envelope, telling them apart by the first byte.
 */
export type MqttEventDeserializer = (bytes: Uint8Array) => RegistryPassthroughEvent;
