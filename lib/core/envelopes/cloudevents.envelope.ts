import { pythonJsonParse } from '../codec/python-json-parse';
import { pythonJsonString, pythonJsonStringify } from '../codec/python-json';
import { ForeignEnvelopeError } from '../errors/foreign-envelope.error';
import {
  AVRO_FORMAT_TYPE,
  BYTES_FORMAT_TYPE,
  JSON_FORMAT_TYPE,
  UTF8_FORMAT_TYPE,
} from '../messages/format-types';
import type { EncodedEvent, WireContext } from './envelope';
import { RegistryPassthroughEvent } from '../wire/registry-passthrough.event';

/*
 * CloudEvents 1.0, written from the specification (the `cloudevents` package is not needed at
 * run time): the JSON event format (structured mode) and the MQTT protocol binding's binary mode,
 * where the attributes travel as MQTT 5 user properties named as the attributes and
 * `datacontenttype` as the MQTT 5 content type.
 *
 * Mapping to a Busline event: `id` is the identifier, `source` the publisher identifier, `type`
 * the message type (a name in the registry), `time` the timestamp (the arrival time when absent),
 * and `datacontenttype` the payload's format: JSON types are `'json'`, `text/*` is `'utf-8'`,
 * `application/avro` is `'avro'`, anything else `'bytes'`.
 */

/** The media type of a structured-mode CloudEvent. */
export const CLOUDEVENTS_JSON_CONTENT_TYPE = 'application/cloudevents+json';
const SPEC_VERSION = '1.0';
/** The `type` of an event without payload (CloudEvents requires one). */
const NO_PAYLOAD_TYPE = 'busline.NoPayload';
/** The `source` when the publisher identifier is empty (CloudEvents requires a non-empty one). */
const DEFAULT_SOURCE = '/busline';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  [JSON_FORMAT_TYPE]: 'application/json',
  [UTF8_FORMAT_TYPE]: 'text/plain; charset=utf-8',
  [AVRO_FORMAT_TYPE]: 'application/avro',
};

/** @internal Whether a parsed JSON document is a structured-mode CloudEvent (has `specversion`). */
export function isStructuredCloudEvent(document: unknown): document is Record<string, unknown> {
  return (
    typeof document === 'object' &&
    document !== null &&
    !Array.isArray(document) &&
    typeof (document as { specversion?: unknown }).specversion === 'string'
  );
}

/** @internal Whether an MQTT 5 message carries a binary-mode CloudEvent (user property `specversion`). */
export function isBinaryCloudEvent(context: WireContext | undefined): boolean {
  return context?.userProperties?.specversion !== undefined;
}

/** @internal A structured-mode CloudEvent, as JSON text, for `event`. */
export function encodeStructuredCloudEvent(event: RegistryPassthroughEvent): EncodedEvent {
  let text =
    '{"specversion": "1.0", "id": ' +
    pythonJsonString(event.identifier) +
    ', "source": ' +
    pythonJsonString(sourceOf(event)) +
    ', "type": ' +
    pythonJsonString(event.messageType ?? NO_PAYLOAD_TYPE) +
    ', "time": ' +
    pythonJsonString(event.timestamp.toISOString());
  const bytes = event.serializedPayload;
  if (bytes !== null) {
    const formatType = event.payloadFormatType ?? BYTES_FORMAT_TYPE;
    const contentType = CONTENT_TYPES[formatType] ?? 'application/octet-stream';
    text += ', "datacontenttype": ' + pythonJsonString(contentType);
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (formatType === JSON_FORMAT_TYPE) text += ', "data": ' + buffer.toString('utf8');
    else if (formatType === UTF8_FORMAT_TYPE) {
      text += ', "data": ' + pythonJsonString(buffer.toString('utf8'));
    } else text += ', "data_base64": "' + buffer.toString('base64') + '"';
  }
  return { payload: Buffer.from(text + '}', 'utf8'), contentType: CLOUDEVENTS_JSON_CONTENT_TYPE };
}

/**
 * @internal A binary-mode CloudEvent for `event`: the payload's bytes as they are, the attributes
 * as user properties, `datacontenttype` as the content type (and as a user property too).
 */
export function encodeBinaryCloudEvent(event: RegistryPassthroughEvent): EncodedEvent {
  const userProperties: Record<string, string> = {
    specversion: SPEC_VERSION,
    id: event.identifier,
    source: sourceOf(event),
    type: event.messageType ?? NO_PAYLOAD_TYPE,
    time: event.timestamp.toISOString(),
  };
  const bytes = event.serializedPayload;
  if (bytes === null) return { payload: new Uint8Array(0), userProperties };
  const formatType = event.payloadFormatType ?? BYTES_FORMAT_TYPE;
  const contentType = CONTENT_TYPES[formatType] ?? 'application/octet-stream';
  // Also as a user property, where the cloudevents SDK's MQTT binding reads every attribute.
  userProperties.datacontenttype = contentType;
  return { payload: bytes, contentType, userProperties };
}

/** @internal The event in a structured-mode CloudEvent (JSON text). */
export function decodeStructuredCloudEvent(bytes: Uint8Array): RegistryPassthroughEvent {
  let document: unknown;
  try {
    document = pythonJsonParse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ForeignEnvelopeError(
      'cloudevents',
      `the message is not JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  return structuredToEvent(document);
}

/** @internal {@link decodeStructuredCloudEvent} from the parsed JSON document. */
export function structuredToEvent(document: unknown): RegistryPassthroughEvent {
  if (!isStructuredCloudEvent(document)) {
    throw new ForeignEnvelopeError('cloudevents', 'expected a JSON object with "specversion"');
  }
  const contentType = optionalString(document, 'datacontenttype');
  let data: Uint8Array | null = null;
  let formatType: string | null = null;
  if (document.data_base64 !== undefined) {
    if (typeof document.data_base64 !== 'string') {
      throw new ForeignEnvelopeError('cloudevents', '"data_base64" must be a string');
    }
    data = Buffer.from(document.data_base64, 'base64');
    formatType = formatOf(contentType);
  } else if (document.data !== undefined) {
    // A string under a non-JSON content type is the data as text; anything else is JSON.
    const declared = formatOf(contentType ?? 'application/json');
    if (typeof document.data === 'string' && declared !== JSON_FORMAT_TYPE) {
      data = Buffer.from(document.data, 'utf8');
      formatType = declared;
    } else {
      data = Buffer.from(pythonJsonStringify(document.data), 'utf8');
      formatType = JSON_FORMAT_TYPE;
    }
  }
  return toPassthrough(document, data, formatType);
}

/** @internal The event in a binary-mode CloudEvent: attributes from the user properties. */
export function decodeBinaryCloudEvent(
  bytes: Uint8Array,
  context: WireContext | undefined,
): RegistryPassthroughEvent {
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(context?.userProperties ?? {})) {
    attributes[name] = Array.isArray(value) ? value[0] : value;
  }
  const contentType = context?.contentType ?? optionalString(attributes, 'datacontenttype');
  const empty = bytes.length === 0 && contentType === undefined;
  return toPassthrough(attributes, empty ? null : bytes, empty ? null : formatOf(contentType));
}

function toPassthrough(
  attributes: Record<string, unknown>,
  data: Uint8Array | null,
  formatType: string | null,
): RegistryPassthroughEvent {
  if (attributes.specversion !== SPEC_VERSION) {
    throw new ForeignEnvelopeError(
      'cloudevents',
      `"specversion" is ${JSON.stringify(attributes.specversion)}; only "1.0" is supported`,
    );
  }
  const id = requiredString(attributes, 'id');
  const source = requiredString(attributes, 'source');
  const type = requiredString(attributes, 'type');
  const time = optionalString(attributes, 'time');
  let timestamp = new Date();
  if (time !== undefined) {
    timestamp = new Date(time);
    if (Number.isNaN(timestamp.getTime())) {
      throw new ForeignEnvelopeError('cloudevents', `"time" is not an RFC 3339 timestamp: ${time}`);
    }
  }
  return new RegistryPassthroughEvent({
    identifier: id,
    publisherIdentifier: source,
    serializedPayload: data,
    payloadFormatType: formatType,
    messageType: data === null ? null : type,
    timestamp,
  });
}

function formatOf(contentType: string | undefined): string {
  if (contentType === undefined) return BYTES_FORMAT_TYPE;
  const media = contentType.split(';')[0].trim().toLowerCase();
  if (media === 'application/json' || media.endsWith('+json') || media === 'text/json') {
    return JSON_FORMAT_TYPE;
  }
  if (media.startsWith('text/')) return UTF8_FORMAT_TYPE;
  if (media === 'application/avro' || media === 'avro/binary') return AVRO_FORMAT_TYPE;
  return BYTES_FORMAT_TYPE;
}

function sourceOf(event: RegistryPassthroughEvent): string {
  return event.publisherIdentifier === '' ? DEFAULT_SOURCE : event.publisherIdentifier;
}

function requiredString(attributes: Record<string, unknown>, name: string): string {
  const value = attributes[name];
  if (typeof value !== 'string' || value === '') {
    throw new ForeignEnvelopeError('cloudevents', `the required attribute "${name}" is missing`);
  }
  return value;
}

function optionalString(attributes: Record<string, unknown>, name: string): string | undefined {
  const value = attributes[name];
  return typeof value === 'string' ? value : undefined;
}
