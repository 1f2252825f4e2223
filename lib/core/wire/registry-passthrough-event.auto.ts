import {
  BINARY_ENVELOPE_MARKER,
  registryPassthroughEventBinaryDeserializer,
} from './registry-passthrough-event.binary';
import { registryPassthroughEventJsonDeserializer } from './registry-passthrough-event.json';
import type { RegistryPassthroughEvent } from './registry-passthrough.event';

/**
 * Reads either envelope, telling them apart by the first byte: the binary envelope starts with
 * the byte 0xb5, which no JSON text starts with; anything else is read as Python
 * Busline's JSON envelope. One subscriber thus serves Python publishers and TypeScript publishers
 * that opted into the binary envelope. Throws `EnvelopeDecodeError` as the envelope's own
 * deserializer does.
 */
export function registryPassthroughEventAutoDeserializer(
  bytes: Uint8Array,
): RegistryPassthroughEvent {
  return bytes.length > 0 && bytes[0] === BINARY_ENVELOPE_MARKER
    ? registryPassthroughEventBinaryDeserializer(bytes)
    : registryPassthroughEventJsonDeserializer(bytes);
}
