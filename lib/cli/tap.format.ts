import type { Event } from '../core/event';
// The built-in wrappers register themselves when loaded: load them, so tap decodes them.
import '../core/messages/float32.message';
import '../core/messages/float64.message';
import '../core/messages/int32.message';
import '../core/messages/int64.message';
import '../core/messages/string.message';
import { registryPassthroughEventAutoDeserializer } from '../core/wire/registry-passthrough-event.auto';
import type { RegistryPassthroughEvent } from '../core/wire/registry-passthrough.event';

/** What `busline tap` shows of one MQTT message. */
export interface TappedEvent {
  readonly topic: string;
  /** The envelope's message type; `null` without payload, `'(raw)'` for a message without envelope. */
  readonly messageType: string | null;
  readonly identifier: string | null;
  readonly publisher: string | null;
  /** ISO 8601, UTC. */
  readonly time: string | null;
  /** The payload as JSON data (fields of a decoded message; raw payloads as JSON, text or hex). */
  readonly payload: unknown;
  /** How the payload was read: `decoded`, or why it is shown raw. */
  readonly decoding: string;
}

/**
 * Read one MQTT message the way a Busline subscriber would (the default auto deserializer: the
 * Python JSON envelope, the binary one, and whatever envelopes it learns), then its payload
 * through the registry. Nothing here throws: what cannot be decoded is shown raw.
 */
export function tapEvent(topic: string, bytes: Uint8Array): TappedEvent {
  let envelope: RegistryPassthroughEvent;
  try {
    envelope = registryPassthroughEventAutoDeserializer(bytes);
  } catch (error) {
    return {
      topic,
      messageType: '(raw)',
      identifier: null,
      publisher: null,
      time: null,
      payload: rawPayload(bytes),
      decoding: `not a Busline envelope (${firstLine(error)})`,
    };
  }
  const base = {
    topic,
    messageType: envelope.messageType,
    identifier: envelope.identifier,
    publisher: envelope.publisherIdentifier,
    time: envelope.timestamp.toISOString(),
  };
  let event: Event;
  try {
    event = envelope.toEvent();
  } catch (error) {
    return {
      ...base,
      payload: {
        payload_format_type: envelope.payloadFormatType,
        serialized_payload: rawPayload(envelope.serializedPayload ?? new Uint8Array()),
      },
      decoding: `payload shown raw (${firstLine(error)})`,
    };
  }
  return { ...base, payload: plain(event.payload), decoding: 'decoded' };
}

/** One line: time, topic, message type, identifier, publisher, payload as JSON. */
export function tapLine(event: TappedEvent): string {
  const fields = [
    event.time ?? '-',
    event.topic,
    event.messageType ?? '-',
    event.identifier ?? '-',
    event.publisher ?? '-',
    JSON.stringify(event.payload) ?? 'null',
  ];
  const note = event.decoding === 'decoded' ? '' : `  # ${event.decoding}`;
  return `${fields.join('  ')}${note}`;
}

/** The event as one JSON object (for `--json`). */
export function tapJson(event: TappedEvent): string {
  return JSON.stringify(event);
}

/** Raw bytes as JSON data when they are JSON, as text when they are UTF-8, else as hex. */
function rawPayload(bytes: Uint8Array): unknown {
  const text = new TextDecoder('utf-8', { fatal: true });
  let decoded: string;
  try {
    decoded = text.decode(bytes);
  } catch {
    return { hex: Buffer.from(bytes).toString('hex') };
  }
  try {
    return JSON.parse(decoded) as unknown;
  } catch {
    // Text with control characters is binary data that happens to be valid UTF-8.
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(decoded)
      ? { hex: Buffer.from(bytes).toString('hex') }
      : decoded;
  }
}

/** A message as plain JSON data: its fields (dates as ISO text, big integers as numbers or text). */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)) : v,
    ),
  ) as unknown;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}
