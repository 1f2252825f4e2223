/**
 * Base64 decoding with the exact rules of Python's `base64.b64decode(text)` (non-strict
 * `binascii.a2b_base64`), which is how Python Busline reads `{"__type__": "bytes"}` values:
 * characters outside the standard alphabet are skipped (so the URL-safe `-`/`_` are dropped, not
 * mapped), a completed `=` padding ends the input (anything after it is ignored), and a last
 * group that is not complete and padded is refused ("Incorrect padding").
 */

// Standard alphabet only: -1 for everything else.
const ALPHABET = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  ALPHABET['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
}

const NON_ASCII = /[^\u0000-\u007f]/; // eslint-disable-line no-control-regex

/**
 * The bytes `text` stands for, as Python's `b64decode` reads it; throws an `Error` with Python's
 * reason when Python refuses it.
 */
export function decodePythonBase64(text: string): Buffer {
  return decodeCanonicalBase64(text) ?? decodeSlowly(text);
}

/**
 * The bytes of well-formed, padded, standard base64 (every character in the standard alphabet),
 * which Node's native decoder reads as Python does; `undefined` for any other text.
 */
export function decodeCanonicalBase64(text: string): Buffer | undefined {
  const decoded = Buffer.from(text, 'base64');
  return isCanonical(text, decoded.length) ? decoded : undefined;
}

/**
 * True when `text` is standard, padded base64 that Node decoded into `decodedLength` bytes. Node
 * skips characters outside its alphabet (fewer bytes come out than the length promises) but also
 * takes the URL-safe `-` and `_`, which Python does not.
 */
function isCanonical(text: string, decodedLength: number): boolean {
  const length = text.length;
  if (length % 4 !== 0) return false;
  let padding = 0;
  if (length > 0 && text.charCodeAt(length - 1) === 0x3d) {
    padding = text.charCodeAt(length - 2) === 0x3d ? 2 : 1;
  }
  return (
    decodedLength === (length / 4) * 3 - padding && text.indexOf('-') < 0 && text.indexOf('_') < 0
  );
}

function decodeSlowly(text: string): Buffer {
  if (NON_ASCII.test(text)) throw new Error('string argument should contain only ASCII characters');
  const out = Buffer.allocUnsafe(Math.ceil(text.length / 4) * 3);
  let written = 0;
  let quadPos = 0;
  let leftChar = 0;
  let pads = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3d) {
      // '=': once a group has its padding, the rest of the input is ignored.
      if (quadPos >= 2 && quadPos + ++pads >= 4) return out.subarray(0, written);
      continue;
    }
    const value = ALPHABET[code];
    if (value < 0) continue;
    pads = 0;
    switch (quadPos) {
      case 0:
        leftChar = value;
        quadPos = 1;
        break;
      case 1:
        out[written++] = (leftChar << 2) | (value >> 4);
        leftChar = value & 0x0f;
        quadPos = 2;
        break;
      case 2:
        out[written++] = (leftChar << 4) | (value >> 2);
        leftChar = value & 0x03;
        quadPos = 3;
        break;
      default:
        out[written++] = ((leftChar << 6) | value) & 0xff;
        quadPos = 0;
    }
  }
  if (quadPos === 1) {
    throw new Error(
      `Invalid base64-encoded string: number of data characters (${(written / 3) * 4 + 1}) ` +
        'cannot be 1 more than a multiple of 4',
    );
  }
  if (quadPos !== 0) throw new Error('Incorrect padding');
  return out.subarray(0, written);
}
