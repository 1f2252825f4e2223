import { decodeCanonicalBase64 } from './python-base64';

/*
 * Reading a large JSON envelope without running JSON.parse over its payload (issue 14). In a 10 KB
 * message the payload's base64 is 13.7 KB of the 14 KB envelope, and JSON.parse spent more time
 * on it than anything else on the receiving side; then the text was decoded from base64 anyway.
 * Here the base64 is cut out of the bytes, decoded straight from them, and JSON.parse reads the
 * rest (about 300 bytes). Anything unusual falls back to reading the whole envelope, so the result
 * and the errors are those of the full read.
 */

/**
 * @internal Envelopes shorter than this are parsed whole: cutting out a short payload saves
 * nothing.
 */
export const LARGE_ENVELOPE = 2048;

const PAYLOAD_KEY = Buffer.from('"serialized_payload"', 'latin1');
/** The payload member as Busline (and Python Busline) write it, up to its base64 text. */
const PAYLOAD_OPENING = Buffer.from(
  '"serialized_payload": {"__type__": "bytes", "value": "',
  'latin1',
);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSING_BRACE = 0x7d;

/** @internal An envelope document read without its payload's base64, and that payload decoded. */
export interface EnvelopeAroundPayload {
  /** The envelope, its `serialized_payload` holding an empty base64 text. */
  readonly document: unknown;
  /** The payload, decoded from the base64 that was taken out. */
  readonly payload: Buffer;
}

/**
 * @internal For an envelope of {@link LARGE_ENVELOPE} bytes or more, written as Busline writes it:
 * the document without its payload's base64, and the payload. `undefined` whenever that reading
 * might differ from parsing the whole text (the member is written otherwise, appears twice, is not
 * a member of the top-level object, its base64 is not canonical, the rest is not valid UTF-8 or
 * not JSON): the caller then reads the whole envelope.
 */
export function parseAroundPayload(buffer: Buffer): EnvelopeAroundPayload | undefined {
  const key = buffer.indexOf(PAYLOAD_OPENING);
  // The first "serialized_payload" must be this one, and a member of the top-level object.
  if (key < 0 || buffer.indexOf(PAYLOAD_KEY) !== key || !atTopLevel(buffer, key)) return undefined;
  const start = key + PAYLOAD_OPENING.length;
  const end = buffer.indexOf(QUOTE, start);
  if (end < 0 || buffer[end + 1] !== CLOSING_BRACE) return undefined;
  const backslash = buffer.indexOf(BACKSLASH, start);
  if (backslash >= 0 && backslash < end) return undefined;
  if (buffer.indexOf(PAYLOAD_KEY, end) >= 0) return undefined;
  // Canonical base64 is ASCII of the standard alphabet: nothing JSON would have read otherwise.
  const payload = decodeCanonicalBase64(buffer.toString('latin1', start, end));
  if (payload === undefined) return undefined;
  const text = buffer.toString('utf8', 0, start) + buffer.toString('utf8', end);
  // Invalid UTF-8 (decoded as U+FFFD) gets the full read's error.
  if (text.includes('\uFFFD')) return undefined;
  try {
    return { document: JSON.parse(text), payload };
  } catch {
    return undefined;
  }
}

/** Whether `at` is outside any string, directly inside the top-level object or array. */
function atTopLevel(buffer: Buffer, at: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < at; i++) {
    const byte = buffer[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === 0x7b || byte === 0x5b) depth++;
    else if (byte === CLOSING_BRACE || byte === 0x5d) depth--;
  }
  return depth === 1 && !inString;
}
