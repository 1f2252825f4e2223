import { pythonJsonParse } from '../codec/python-json-parse';
import type { Event } from '../event';
import { EnvelopeDecodeError } from '../errors/envelope-decode.error';
import { InvalidArgumentError } from '../errors/invalid-argument.error';
import type { MessageClass } from '../message';
import {
  decodeBinaryCloudEvent,
  decodeStructuredCloudEvent,
  encodeBinaryCloudEvent,
  encodeStructuredCloudEvent,
  isBinaryCloudEvent,
  isStructuredCloudEvent,
  structuredToEvent,
} from './cloudevents.envelope';
import type {
  EncodedEvent,
  PublishEnvelope,
  RawPayload,
  SubscribeEnvelope,
  WireContext,
} from './envelope';
import { decodeNestBytes, decodeNestPacket, encodeNestPacket, isNestPacket } from './nest-envelope';
import { decodeRawPayload, encodeRawPayload } from './raw-payload';
import { registryPassthroughEventAutoDeserializer } from '../wire/registry-passthrough-event.auto';
import {
  BINARY_ENVELOPE_MARKER,
  registryPassthroughEventBinaryDeserializer,
  registryPassthroughEventBinarySerializer,
} from '../wire/registry-passthrough-event.binary';
import {
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
} from '../wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../wire/registry-passthrough.event';

/**
 * What an envelope decoder gives: the event, or (Busline's envelopes, CloudEvents) the event with
 * its payload still in bytes, for the registry to decode.
 */
export type DecodedEvent = Event | RegistryPassthroughEvent;

/** @internal The event in `decoded`, its payload decoded. */
export function toEvent(decoded: DecodedEvent): Event {
  return decoded instanceof RegistryPassthroughEvent ? decoded.toEvent() : decoded;
}

/**
 * Reads any envelope that tells itself apart: Busline's binary envelope (its first byte), a
 * binary-mode CloudEvent (an MQTT 5 user property `specversion` in `context`), Busline's JSON
 * envelope, a structured CloudEvent (a `specversion` member) and a `@nestjs/microservices` packet
 * (an object of `pattern`, `data` and at most `id`). Anything else throws the JSON envelope's
 * `EnvelopeDecodeError`. Busline's own envelopes cost nothing more than before.
 */
export function anyEnvelopeDeserializer(bytes: Uint8Array, context?: WireContext): DecodedEvent {
  if (bytes.length > 0 && bytes[0] === BINARY_ENVELOPE_MARKER) {
    return registryPassthroughEventBinaryDeserializer(bytes);
  }
  if (isBinaryCloudEvent(context)) return decodeBinaryCloudEvent(bytes, context);
  try {
    return registryPassthroughEventJsonDeserializer(bytes);
  } catch (error) {
    if (!(error instanceof EnvelopeDecodeError)) throw error;
    const document = parsedOrUndefined(bytes);
    if (isStructuredCloudEvent(document)) return structuredToEvent(document);
    if (isNestPacket(document)) return decodeNestPacket(document);
    throw error;
  }
}

/** Reads `bytes` with the envelope a subscription named (see {@link SubscribeEnvelope}). */
export function decodeWithEnvelope(
  bytes: Uint8Array,
  envelope: SubscribeEnvelope,
  context?: WireContext,
): DecodedEvent {
  switch (envelope) {
    case 'auto':
      return anyEnvelopeDeserializer(bytes, context);
    case 'busline':
      return registryPassthroughEventAutoDeserializer(bytes);
    case 'cloudevents':
      return isBinaryCloudEvent(context)
        ? decodeBinaryCloudEvent(bytes, context)
        : decodeStructuredCloudEvent(bytes);
    case 'nest':
      return decodeNestBytes(bytes);
  }
  return 'raw' in envelope
    ? decodeRawPayload(bytes, envelope.raw)
    : decodeNestBytes(bytes, envelope.nest);
}

/** Writes `event`, published on `topic`, in `envelope` (see {@link PublishEnvelope}). */
export function encodeWithEnvelope(
  topic: string,
  event: Event,
  envelope: PublishEnvelope,
): EncodedEvent {
  switch (envelope) {
    case 'busline':
      return { payload: registryPassthroughEventJsonSerializer(passthrough(event)) };
    case 'binary':
      return { payload: registryPassthroughEventBinarySerializer(passthrough(event)) };
    case 'raw':
      return { payload: encodeRawPayload(event) };
    case 'nest':
      return { payload: encodeNestPacket(topic, event) };
    case 'cloudevents':
      return encodeStructuredCloudEvent(passthrough(event));
    case 'cloudevents-binary':
      return encodeBinaryCloudEvent(passthrough(event));
  }
}

const PUBLISH_ENVELOPES: readonly string[] = [
  'busline',
  'binary',
  'raw',
  'nest',
  'cloudevents',
  'cloudevents-binary',
];
const SUBSCRIBE_ENVELOPES: readonly string[] = ['auto', 'busline', 'cloudevents', 'nest'];
const RAW_KINDS: readonly string[] = ['json', 'text', 'bytes'];

/** @internal `value` if it is a {@link PublishEnvelope}; an `InvalidArgumentError` otherwise. */
export function checkedPublishEnvelope(
  parameter: string,
  value: unknown,
): PublishEnvelope | undefined {
  if (value === undefined || PUBLISH_ENVELOPES.includes(value as string)) {
    return value as PublishEnvelope | undefined;
  }
  throw new InvalidArgumentError(parameter, `one of ${PUBLISH_ENVELOPES.join(', ')}`, value);
}

/** @internal `value` if it is a {@link SubscribeEnvelope}; an `InvalidArgumentError` otherwise. */
export function checkedSubscribeEnvelope(
  parameter: string,
  value: unknown,
): SubscribeEnvelope | undefined {
  if (value === undefined || SUBSCRIBE_ENVELOPES.includes(value as string)) {
    return value as SubscribeEnvelope | undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const { raw, nest } = value as { raw?: unknown; nest?: unknown };
    if (Object.keys(value).length === 1) {
      if (RAW_KINDS.includes(raw as string) || isMessageClass(raw)) {
        return value as { raw: RawPayload };
      }
      if (isMessageClass(nest)) return value as { nest: MessageClass };
    }
  }
  throw new InvalidArgumentError(
    parameter,
    `one of ${SUBSCRIBE_ENVELOPES.join(', ')}, { raw: MessageClass | 'json' | 'text' | 'bytes' } or { nest: MessageClass }`,
    value,
  );
}

const internedRaw = new Map<unknown, { raw: RawPayload }>();
const internedNest = new Map<unknown, { nest: MessageClass }>();

/**
 * @internal One object per envelope: `{ raw: Reading }` written twice gives the same object, so
 * option merging can compare envelopes with `===`.
 */
export function internedEnvelope(envelope: SubscribeEnvelope): SubscribeEnvelope {
  if (typeof envelope !== 'object') return envelope;
  if ('raw' in envelope) {
    let interned = internedRaw.get(envelope.raw);
    if (interned === undefined) internedRaw.set(envelope.raw, (interned = { raw: envelope.raw }));
    return interned;
  }
  let interned = internedNest.get(envelope.nest);
  if (interned === undefined) internedNest.set(envelope.nest, (interned = { nest: envelope.nest }));
  return interned;
}

function isMessageClass(value: unknown): value is MessageClass {
  return (
    typeof value === 'function' &&
    typeof (value as Partial<MessageClass>).deserialize === 'function'
  );
}

function passthrough(event: Event): RegistryPassthroughEvent {
  return RegistryPassthroughEvent.fromEvent(event);
}

function parsedOrUndefined(bytes: Uint8Array): unknown {
  try {
    return pythonJsonParse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}
