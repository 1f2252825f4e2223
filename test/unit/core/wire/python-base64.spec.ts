import { decodePythonBase64 } from '../../../../lib/core/wire/python-base64';

// Each row: input, then the hex that CPython's base64.b64decode returns, or its error message.
const PYTHON_RESULTS: Array<[text: string, hex: string | null, error: string]> = [
  ['aGVsbG8=', '68656c6c6f', ''],
  ['aGVsbG8', null, 'Incorrect padding'],
  ['aGk=aGk=', '6869', ''],
  ['aGk=', '6869', ''],
  ['aG==', '68', ''],
  [
    'a===',
    null,
    'Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4',
  ],
  ['====', '', ''],
  ['', '', ''],
  ['aGVs bG8=', '68656c6c6f', ''],
  ['aGVs\nbG8=', '68656c6c6f', ''],
  [
    '_-8=',
    null,
    'Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4',
  ],
  ['/+8=', 'ffef', ''],
  ['aGVsbG8==', '68656c6c6f', ''],
  ['aGVsbG8=x', '68656c6c6f', ''],
  ['=aGk', null, 'Incorrect padding'],
  ['AAAA', '000000', ''],
  ['aGVsbG8h', '68656c6c6f21', ''],
  [
    'a',
    null,
    'Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4',
  ],
  ['ab', null, 'Incorrect padding'],
  ['abc', null, 'Incorrect padding'],
  ['abc=', '69b7', ''],
  ['ab==', '69', ''],
  ['aG=k', null, 'Incorrect padding'],
  ['aGk=AAAA', '6869', ''],
  ['!!!!aGk=', '6869', ''],
  ['aG=\t=', '68', ''],
  ['aGVsbG8-', null, 'Incorrect padding'],
  ['QUJD_REVG', '414243444546', ''],
  ['é', null, 'string argument should contain only ASCII characters'],
  ['aGk=é', null, 'string argument should contain only ASCII characters'],
  ['a=b=c=d=', '69b7', ''],
  ['ab=c', null, 'Incorrect padding'],
];

describe('decodePythonBase64 (base64.b64decode)', () => {
  it.each(PYTHON_RESULTS)('%j', (text, hex, error) => {
    if (hex === null) {
      expect(() => decodePythonBase64(text)).toThrow(error);
    } else {
      expect(decodePythonBase64(text).toString('hex')).toBe(hex);
    }
  });

  it('reads every length and byte value of canonical base64 on the native path', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length) & 0xff));
      expect(decodePythonBase64(bytes.toString('base64'))).toEqual(bytes);
    }
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(decodePythonBase64(all.toString('base64'))).toEqual(all);
  });
});
