import { isUtf8 } from 'node:buffer';
import { asBuffer } from '../codec/bytes';
import { EnvelopeDecodeError } from '../errors/envelope-decode.error';
import { LARGE_ENVELOPE, parseAroundPayload } from './json-envelope.payload';
import { decodePythonBase64 } from './python-base64';
import { formatPythonIsoUtc, parsePythonIso } from '../codec/python-datetime';
import { pythonJsonString } from '../codec/python-json';
import { hasHeaders, type EventHeaders } from '../event';
import { RegistryPassthroughEvent } from './registry-passthrough.event';

/*
 * The JSON envelope of Python Busline, byte for byte: the six members in order, `", "` / `": "`
 * separators, ASCII only, `{"__type__": "bytes", "value": <base64>}` for the payload and
 * `{"__type__": "datetime", "value": <isoformat>}` for the timestamp.
 *
 * Decoding is as strict as Python's decoder where Python fails, and as lenient where Python
 * accepts what its own `publish()` writes:
 *
 * - headers: an event with headers (a request, trace context) gets a seventh member, `"headers"`, an
 *   object of strings, after the six; an event without headers has none. Python's decoder reads
 *   the six members it knows and ignores it.
 * - strict: the bytes must be UTF-8 (a BOM is refused, as `json.loads` refuses it after
 *   `decode('utf-8')`), JSON, an object, with all six members (extra members are ignored, as in
 *   Python); `serialized_payload` must be null or a bytes-tagged object whose base64 Python's
 *   `b64decode` reads, by the same rules (python-base64.ts: characters outside the standard
 *   alphabet are dropped, so URL-safe text fails on its padding; a missing `=` is "Incorrect
 *   padding"; text after a completed padding is ignored); a datetime-tagged value must be
 *   ISO 8601 that `fromisoformat` reads; `publisher_identifier` must be a string and
 *   `payload_format_type`/`message_type` strings or null (Python does not check these types, but
 *   the event it builds would break the first handler that reads them).
 * - lenient (Python's `publish()` defect, see the fixtures README): an `identifier` that is a
 *   datetime-tagged object becomes its ISO text; a `timestamp` that is a plain string is read as
 *   ISO 8601 if it is one, a number as Unix time in seconds (Python's `time.time()`), and
 *   anything else that is not a datetime-tagged object (a UUID string, null, ...) falls back to
 *   the time of decoding. These never fail.
 * - a timestamp without an offset is UTC; `Z` and offsets are honoured; digits past the
 *   millisecond are dropped.
 */

/**
 * The envelope bytes of `event`, exactly as Python Busline's
 * `registry_passthrough_event_json_serializer` writes them (the timestamp as Python writes an aware
 * UTC datetime: `2025-06-01T12:30:45.123000+00:00`). This is the MQTT publish path: plain string
 * building, no intermediate objects.
 */
export function registryPassthroughEventJsonSerializer(
  event: RegistryPassthroughEvent,
): Uint8Array {
  const payload = event.serializedPayload;
  const formatType = event.payloadFormatType;
  const messageType = event.messageType;
  const head =
    '{"identifier": ' +
    pythonJsonString(event.identifier) +
    ', "publisher_identifier": ' +
    pythonJsonString(event.publisherIdentifier) +
    ', "serialized_payload": ' +
    (payload === null ? 'null' : '{"__type__": "bytes", "value": "');
  const tail =
    (payload === null ? '' : '"}') +
    ', "payload_format_type": ' +
    (formatType === null ? 'null' : pythonJsonString(formatType)) +
    ', "message_type": ' +
    (messageType === null ? 'null' : pythonJsonString(messageType)) +
    ', "timestamp": {"__type__": "datetime", "value": "' +
    formatPythonIsoUtc(event.timestamp) +
    '"}' +
    headersMember(event.headers) +
    '}';
  // The text is pure ASCII: latin1 is an exact and the fastest encoding. The base64 goes into the
  // buffer apart from the rest, so that a large payload's text is not copied once more to join it
  // to the other members first (issue 14).
  const base64 = payload === null ? '' : asBuffer(payload).toString('base64');
  const bytes = Buffer.allocUnsafe(head.length + base64.length + tail.length);
  let at = bytes.write(head, 0, 'latin1');
  at += bytes.write(base64, at, 'latin1');
  bytes.write(tail, at, 'latin1');
  return bytes;
}

/**
 * Reads envelope bytes written by {@link registryPassthroughEventJsonSerializer} or by Python
 * Busline (its `publish()` quirks included) into a {@link RegistryPassthroughEvent}; the payload
 * stays bytes until `toEvent()`. Throws {@link EnvelopeDecodeError} for anything that is not an
 * envelope (see the rules at the top of this file).
 */
export function registryPassthroughEventJsonDeserializer(
  bytes: Uint8Array,
): RegistryPassthroughEvent {
  const buffer = asBuffer(bytes);
  const around = buffer.length >= LARGE_ENVELOPE ? parseAroundPayload(buffer) : undefined;
  const document = around === undefined ? parseWhole(buffer) : around.document;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new EnvelopeDecodeError(`expected a JSON object, got ${describe(document)}`);
  }
  const envelope = document as Record<string, unknown>;
  return new RegistryPassthroughEvent({
    identifier: readIdentifier(member(envelope, 'identifier')),
    publisherIdentifier: readString(
      member(envelope, 'publisher_identifier'),
      'publisher_identifier',
    ),
    serializedPayload:
      around === undefined ? readPayload(member(envelope, 'serialized_payload')) : around.payload,
    payloadFormatType: readNullableString(
      member(envelope, 'payload_format_type'),
      'payload_format_type',
    ),
    messageType: readNullableString(member(envelope, 'message_type'), 'message_type'),
    timestamp: readTimestamp(member(envelope, 'timestamp')),
    headers: readHeaders(envelope.headers),
  });
}

/** The envelope's JSON document, parsed from all of its bytes. */
function parseWhole(buffer: Buffer): unknown {
  const text = buffer.toString('utf8');
  // Decoding turns invalid UTF-8 into U+FFFD: only then is the full check worth its cost.
  if (text.includes('\uFFFD') && !isUtf8(buffer)) {
    throw new EnvelopeDecodeError('the bytes are not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EnvelopeDecodeError(
      `the bytes are not JSON (${(error as Error).message})`,
      undefined,
      {
        cause: error,
      },
    );
  }
}

/**
 * The `"headers"` member after the six of Python Busline, or nothing for an event without
 * headers (then the envelope is byte for byte Python's). Python's decoder reads the six members
 * it knows and ignores this one.
 */
function headersMember(headers: EventHeaders): string {
  if (!hasHeaders(headers)) return '';
  let text = ', "headers": {';
  let first = true;
  for (const name in headers) {
    text += (first ? '' : ', ') + pythonJsonString(name) + ': ' + pythonJsonString(headers[name]);
    first = false;
  }
  return text + '}';
}

/** The optional `"headers"` member: absent or null is none; else an object of strings. */
function readHeaders(value: unknown): EventHeaders | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new EnvelopeDecodeError(
      `"headers" must be an object of strings, got ${describe(value)}`,
      'headers',
    );
  }
  for (const [name, text] of Object.entries(value)) {
    if (typeof text !== 'string') {
      throw new EnvelopeDecodeError(
        `"headers" member "${name}" must be a string, got ${describe(text)}`,
        'headers',
      );
    }
  }
  return value as EventHeaders;
}

function member(envelope: Record<string, unknown>, name: string): unknown {
  const value = envelope[name];
  if (value === undefined || !Object.prototype.hasOwnProperty.call(envelope, name)) {
    throw new EnvelopeDecodeError(`the member "${name}" is missing`, name);
  }
  return value;
}

function readString(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new EnvelopeDecodeError(`"${name}" must be a string, got ${describe(value)}`, name);
  }
  return value;
}

function readNullableString(value: unknown, name: string): string | null {
  if (value !== null && typeof value !== 'string') {
    throw new EnvelopeDecodeError(
      `"${name}" must be a string or null, got ${describe(value)}`,
      name,
    );
  }
  return value;
}

function readIdentifier(value: unknown): string {
  if (typeof value === 'string') return value;
  // Python's publish() sends its datetime.now() as the identifier: keep the text.
  const text = taggedValue(value, 'datetime', 'identifier');
  if (text !== undefined) {
    if (parsePythonIso(text) === undefined) {
      throw new EnvelopeDecodeError(
        `"identifier" holds an invalid datetime "${text}"`,
        'identifier',
      );
    }
    return text;
  }
  throw new EnvelopeDecodeError(
    `"identifier" must be a string (or a datetime-tagged object), got ${describe(value)}`,
    'identifier',
  );
}

function readPayload(value: unknown): Uint8Array | null {
  if (value === null) return null;
  const text = taggedValue(value, 'bytes', 'serialized_payload');
  if (text === undefined) {
    throw new EnvelopeDecodeError(
      `"serialized_payload" must be null or {"__type__": "bytes", "value": <base64>}, got ${describe(value)}`,
      'serialized_payload',
    );
  }
  try {
    return decodePythonBase64(text);
  } catch (error) {
    throw new EnvelopeDecodeError(
      `"serialized_payload" is not base64 that Python reads (${(error as Error).message})`,
      'serialized_payload',
      { cause: error },
    );
  }
}

function readTimestamp(value: unknown): Date {
  if (typeof value === 'string') return parsePythonIso(value) ?? new Date();
  if (typeof value === 'number') {
    const date = new Date(value * 1000);
    return Number.isNaN(date.getTime()) ? new Date() : date;
  }
  const text = taggedValue(value, 'datetime', 'timestamp');
  if (text === undefined) return new Date();
  const date = parsePythonIso(text);
  if (date === undefined) {
    throw new EnvelopeDecodeError(`"timestamp" holds an invalid datetime "${text}"`, 'timestamp');
  }
  return date;
}

/**
 * The `value` text of `{"__type__": <tag>, "value": <text>}`; `undefined` when `value` is not
 * tagged `tag`. A `tag` object whose value is not a string is an error.
 */
function taggedValue(value: unknown, tag: string, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tagged = value as { __type__?: unknown; value?: unknown };
  if (tagged.__type__ !== tag) return undefined;
  if (typeof tagged.value !== 'string') {
    throw new EnvelopeDecodeError(
      `"${name}" is tagged ${tag} but its "value" is ${describe(tagged.value)}, not a string`,
      name,
    );
  }
  return tagged.value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return `${typeof value} ${String(value)}`;
}
