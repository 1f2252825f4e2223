import { PayloadDecodeError } from '../../../../lib/core/errors/payload-decode.error';
import { EventRegistry } from '../../../../lib/core/event.registry';
import { UnsupportedFormatError } from '../../../../lib/core/errors/unsupported-format.error';
import { Float32Message } from '../../../../lib/core/messages/float32.message';
import { Float64Message } from '../../../../lib/core/messages/float64.message';
import { Int32Message } from '../../../../lib/core/messages/int32.message';
import { Int64Message } from '../../../../lib/core/messages/int64.message';
import { StringMessage } from '../../../../lib/core/messages/string.message';

type Wrapper = StringMessage | Int64Message | Int32Message | Float32Message | Float64Message;
interface WrapperClass {
  new (value: never): Wrapper;
  deserialize(formatType: string | null | undefined, data: Uint8Array): Wrapper;
  readonly name: string;
}

const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');
const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');
const make = (cls: WrapperClass, value: unknown) => new cls(value as never);

// [class, value, format, exact bytes (hex) as Python writes them, or null when only the round trip is checked]
const ROUND_TRIPS: Array<[WrapperClass, unknown, string, string | null]> = [
  [StringMessage, 'hello', 'utf-8', '68656c6c6f'],
  [StringMessage, 'hello', 'json', Buffer.from('{"value": "hello"}').toString('hex')],
  [StringMessage, 'hello', 'avro', '0a68656c6c6f'],
  [StringMessage, '', 'utf-8', ''],
  [StringMessage, 'héllo wörld – ✓ 日本語 😀', 'utf-8', null],
  [StringMessage, 'héllo wörld – ✓ 日本語 😀', 'json', null],
  [StringMessage, 'héllo wörld – ✓ 日本語 😀', 'avro', null],
  [StringMessage, '\ufeffbom kept', 'utf-8', 'efbbbf626f6d206b657074'],
  [Int64Message, 42, 'bytes', '000000000000002a'],
  [Int64Message, 42, 'json', Buffer.from('{"value": 42}').toString('hex')],
  [Int64Message, 42, 'avro', '54'],
  [Int64Message, -1, 'bytes', 'ffffffffffffffff'],
  [Int64Message, 0, 'bytes', '0000000000000000'],
  [Int64Message, Number.MAX_SAFE_INTEGER, 'bytes', '001fffffffffffff'],
  [Int64Message, -Number.MAX_SAFE_INTEGER, 'bytes', 'ffe0000000000001'],
  [Int64Message, 9007199254740993n, 'bytes', '0020000000000001'],
  [Int64Message, 9007199254740993n, 'json', null],
  [Int64Message, 9007199254740993n, 'avro', null],
  [Int64Message, 2n ** 63n - 1n, 'bytes', '7fffffffffffffff'],
  [Int64Message, 2n ** 63n - 1n, 'json', null],
  [Int64Message, 2n ** 63n - 1n, 'avro', 'feffffffffffffffff01'],
  [Int64Message, -(2n ** 63n), 'bytes', '8000000000000000'],
  [Int64Message, -(2n ** 63n), 'json', null],
  [Int64Message, -(2n ** 63n), 'avro', 'ffffffffffffffffff01'],
  [Int64Message, -(2n ** 53n), 'bytes', 'ffe0000000000000'],
  [Int32Message, -7, 'bytes', 'fffffff9'],
  [Int32Message, -7, 'json', Buffer.from('{"value": -7}').toString('hex')],
  [Int32Message, -7, 'avro', '0d'],
  [Int32Message, 7, 'bytes', '00000007'],
  [Int32Message, 2147483647, 'bytes', '7fffffff'],
  [Int32Message, -2147483648, 'bytes', '80000000'],
  [Int32Message, -2147483648, 'avro', 'ffffffff0f'],
  [Float64Message, 3.14, 'bytes', '40091eb851eb851f'],
  [Float64Message, 3.14, 'json', Buffer.from('{"value": 3.14}').toString('hex')],
  [Float64Message, 3.14, 'avro', '1f85eb51b81e0940'],
  [Float64Message, 100, 'json', Buffer.from('{"value": 100.0}').toString('hex')],
  [Float64Message, 1e-7, 'json', Buffer.from('{"value": 1e-07}').toString('hex')],
  [Float64Message, 1e16, 'json', Buffer.from('{"value": 1e+16}').toString('hex')],
  [Float64Message, NaN, 'json', Buffer.from('{"value": NaN}').toString('hex')],
  [Float64Message, -Infinity, 'json', Buffer.from('{"value": -Infinity}').toString('hex')],
  [Float64Message, Infinity, 'bytes', '7ff0000000000000'],
  [Float64Message, NaN, 'avro', null],
  [Float64Message, -0, 'bytes', '8000000000000000'],
  [Float32Message, 3.140000104904175, 'bytes', '4048f5c3'],
  [Float32Message, 3.14, 'json', Buffer.from('{"value": 3.14}').toString('hex')],
  [Float32Message, 3.14, 'avro', '1f85eb51b81e0940'],
  [Float32Message, 0.5, 'bytes', '3f000000'],
  [Float32Message, NaN, 'json', null],
];

describe.each(ROUND_TRIPS)('%p(%p) in %s', (cls, value, format, expectedHex) => {
  it('serializes as Python does and round-trips exactly', () => {
    const [formatType, data] = make(cls, value).serialize(format);
    expect(formatType).toBe(format);
    expect(data).toBeInstanceOf(Uint8Array);
    if (expectedHex !== null) expect(hex(data)).toBe(expectedHex);
    const back = cls.deserialize(formatType, data);
    expect(back).toBeInstanceOf(cls);
    expect(back.value).toEqual(value);
    expect(Object.is(back.value, value) || typeof value === 'bigint').toBe(true);
  });

  it('round-trips from a Uint8Array that is not a Buffer, at an offset', () => {
    const [, data] = make(cls, value).serialize(format);
    const padded = new Uint8Array(data.byteLength + 3);
    padded.set(data, 3);
    expect(cls.deserialize(format, padded.subarray(3)).value).toEqual(value);
  });
});

describe('default formats (serialize() without a format)', () => {
  it.each<[Wrapper, string, string]>([
    [new StringMessage('hello'), 'utf-8', '68656c6c6f'],
    [new Int64Message(42), 'bytes', '000000000000002a'],
    [new Int32Message(-7), 'bytes', 'fffffff9'],
    [new Float32Message(3.14), 'bytes', '4048f5c3'],
    [new Float64Message(3.14), 'bytes', '40091eb851eb851f'],
  ])('%p -> %s', (message, format, expectedHex) => {
    const [formatType, data] = message.serialize();
    expect(formatType).toBe(format);
    expect(hex(data)).toBe(expectedHex);
  });

  it.each<[WrapperClass, string, unknown]>([
    [StringMessage, '68656c6c6f', 'hello'],
    [Int64Message, '000000000000002a', 42],
    [Int32Message, 'fffffff9', -7],
    [Float32Message, '4048f5c3', 3.140000104904175],
    [Float64Message, '40091eb851eb851f', 3.14],
  ])('%p.deserialize(null) reads the default format', (cls, bytesHex, value) => {
    expect(cls.deserialize(null, Buffer.from(bytesHex, 'hex')).value).toBe(value);
    expect(cls.deserialize(undefined, Buffer.from(bytesHex, 'hex')).value).toBe(value);
  });
});

describe('Int64Message values', () => {
  it('is a number while safe and a bigint beyond', () => {
    expect(new Int64Message(42n).value).toBe(42);
    expect(new Int64Message(9007199254740991n).value).toBe(9007199254740991);
    expect(new Int64Message(9007199254740992n).value).toBe(9007199254740992n);
    expect(new Int64Message(2 ** 60).value).toBe(2n ** 60n);
    expect(new Int64Message(-0).value).toBe(0);
  });

  it('decodes 9007199254740993 exactly from JSON', () => {
    const message = Int64Message.deserialize('json', Buffer.from('{"value": 9007199254740993}'));
    expect(message.value).toBe(9007199254740993n);
  });

  it('reads JSON 42.0 as 42 and writes JSON for big values exactly', () => {
    expect(Int64Message.deserialize('json', Buffer.from('{"value": 42.0}')).value).toBe(42);
    expect(text(new Int64Message(-(2n ** 63n)).serialize('json')[1])).toBe(
      '{"value": -9223372036854775808}',
    );
  });

  it('reads 1 to 8 raw bytes, sign-extended, as Python reads any length', () => {
    expect(Int64Message.deserialize('bytes', Buffer.from('0000002a', 'hex')).value).toBe(42);
    expect(Int64Message.deserialize('bytes', Buffer.from('ff', 'hex')).value).toBe(-1);
    expect(Int64Message.deserialize('bytes', Buffer.from('80', 'hex')).value).toBe(-128);
    expect(Int64Message.deserialize('bytes', Buffer.from('7fffffffffffff', 'hex')).value).toBe(
      2n ** 55n - 1n,
    );
    expect(Int64Message.deserialize('bytes', Buffer.from('80000000000000', 'hex')).value).toBe(
      -(2n ** 55n),
    );
  });

  it.each<[unknown, ErrorConstructor]>([
    [1.5, TypeError],
    ['42', TypeError],
    [null, TypeError],
    [2n ** 63n, RangeError],
    [-(2n ** 63n) - 1n, RangeError],
    [1e19, RangeError],
  ])('refuses %p', (value, error) => {
    expect(() => new Int64Message(value as number)).toThrow(error);
  });
});

describe('Int32Message values', () => {
  it('is signed in every format (Python cannot encode negatives in bytes)', () => {
    for (const format of ['bytes', 'json', 'avro']) {
      const [, data] = new Int32Message(-7).serialize(format);
      expect(Int32Message.deserialize(format, data).value).toBe(-7);
    }
  });

  it('reads 1 to 4 raw bytes, sign-extended', () => {
    expect(Int32Message.deserialize('bytes', Buffer.from('07', 'hex')).value).toBe(7);
    expect(Int32Message.deserialize('bytes', Buffer.from('fff9', 'hex')).value).toBe(-7);
  });

  it.each<[unknown, ErrorConstructor]>([
    [1.5, TypeError],
    [7n, TypeError],
    [2147483648, RangeError],
    [-2147483649, RangeError],
  ])('refuses %p', (value, error) => {
    expect(() => new Int32Message(value as number)).toThrow(error);
  });
});

describe('Float messages', () => {
  it('Float32 keeps its value until the raw form rounds it, as Python', () => {
    const message = new Float32Message(3.14);
    expect(message.value).toBe(3.14);
    expect(Float32Message.deserialize('bytes', message.serialize()[1]).value).toBe(
      3.140000104904175,
    );
    expect(Float32Message.deserialize('avro', message.serialize('avro')[1]).value).toBe(3.14);
  });

  it('reads JSON ints and Python tokens', () => {
    expect(Float64Message.deserialize('json', Buffer.from('{"value": 3}')).value).toBe(3);
    expect(Float64Message.deserialize('json', Buffer.from('{"value": NaN}')).value).toBeNaN();
    expect(Float64Message.deserialize('json', Buffer.from('{"value": Infinity}')).value).toBe(
      Infinity,
    );
    expect(Float32Message.deserialize('json', Buffer.from('{"value": -Infinity}')).value).toBe(
      -Infinity,
    );
  });

  it('refuses a value that is not a number', () => {
    expect(() => new Float64Message('3.14' as unknown as number)).toThrow(TypeError);
    expect(() => new Float32Message(undefined as unknown as number)).toThrow(TypeError);
  });
});

describe('unsupported formats', () => {
  it.each<[Wrapper, string]>([
    [new StringMessage('hello'), 'bytes'],
    [new Float64Message(3.14), 'utf-8'],
    [new Int64Message(1), 'utf-8'],
    [new Int32Message(1), 'JSON'],
    [new Float32Message(1), 'msgpack'],
  ])(
    '%p.serialize(%s) is an UnsupportedFormatError naming the supported ones',
    (message, format) => {
      expect(() => message.serialize(format)).toThrow(UnsupportedFormatError);
      expect(() => message.serialize(format)).toThrow(/use one of/);
    },
  );

  it.each<[WrapperClass, string]>([
    [StringMessage, 'bytes'],
    [Int64Message, 'utf-8'],
    [Int32Message, 'utf-8'],
    [Float32Message, 'utf-8'],
    [Float64Message, 'raw'],
  ])('%p.deserialize(%s) is an UnsupportedFormatError', (cls, format) => {
    expect(() => cls.deserialize(format, Buffer.from('00000000', 'hex'))).toThrow(
      UnsupportedFormatError,
    );
  });
});

describe('bad bytes are PayloadDecodeErrors naming the class and format', () => {
  it.each<[WrapperClass, string, string, RegExp]>([
    [StringMessage, 'utf-8', 'ff', /StringMessage.*'utf-8'.*not valid UTF-8/],
    [StringMessage, 'utf-8', 'c328', /not valid UTF-8/],
    [StringMessage, 'json', Buffer.from('{"value": 42}').toString('hex'), /must be a string/],
    [StringMessage, 'json', Buffer.from('{"value": "x"').toString('hex'), /invalid JSON/],
    [StringMessage, 'json', Buffer.from('{"other": "x"}').toString('hex'), /"value" member/],
    [StringMessage, 'json', Buffer.from('["x"]').toString('hex'), /"value" member/],
    [StringMessage, 'json', 'ff', /not valid UTF-8/],
    [StringMessage, 'avro', '0a6865', /truncated/],
    [StringMessage, 'avro', '', /truncated/],
    [Int64Message, 'bytes', '', /1 to 8 .* got 0/],
    [Int64Message, 'bytes', '000000000000000001', /got 9/],
    [Int64Message, 'json', Buffer.from('{"value": 4.5}').toString('hex'), /integer/],
    [Int64Message, 'json', Buffer.from('{"value": "42"}').toString('hex'), /integer/],
    [Int64Message, 'json', Buffer.from('{"value": 9223372036854775808}').toString('hex'), /64-bit/],
    [Int64Message, 'avro', 'ff', /truncated/],
    [Int32Message, 'bytes', '0000000001', /1 to 4 .* got 5/],
    [Int32Message, 'json', Buffer.from('{"value": 2147483648}').toString('hex'), /32-bit/],
    [Int32Message, 'json', Buffer.from('{"value": 9007199254740993}').toString('hex'), /32-bit/],
    [Int32Message, 'avro', '808080801f', /32-bit/],
    [Float32Message, 'bytes', '4048f5', /expected 4 bytes, got 3/],
    [Float64Message, 'bytes', '4048f5c3', /expected 8 bytes, got 4/],
    [Float64Message, 'json', Buffer.from('{"value": null}').toString('hex'), /number/],
    [Float64Message, 'json', Buffer.from('{"value": nan}').toString('hex'), /invalid JSON/],
    [Float64Message, 'avro', '1f85eb51', /truncated/],
  ])('%p from %s %s', (cls, format, bytesHex, reason) => {
    let error: unknown;
    try {
      cls.deserialize(format, Buffer.from(bytesHex, 'hex'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PayloadDecodeError);
    const decodeError = error as PayloadDecodeError;
    expect(decodeError.name).toBe('PayloadDecodeError');
    expect(decodeError.messageType).toBe(cls.name);
    expect(decodeError.formatType).toBe(format);
    expect(decodeError.message).toContain(cls.name);
    expect(decodeError.message).toMatch(reason);
  });
});

describe('registry', () => {
  it('holds the five wrappers from module load, under their Python names', () => {
    const registry = new EventRegistry();
    for (const cls of [StringMessage, Int64Message, Int32Message, Float32Message, Float64Message]) {
      expect(registry.retrieveClass(cls.name)).toBe(cls);
    }
  });
});

describe('text and JSON forms for logs', () => {
  it('reads as its value in template strings', () => {
    expect(`${new StringMessage('created')}`).toBe('created');
    expect(`${new Int64Message(2n ** 60n)}`).toBe('1152921504606846976');
    expect(`${new Int32Message(-7)}`).toBe('-7');
    expect(`${new Float32Message(0.5)}`).toBe('0.5');
    expect(`${new Float64Message(3.14)}`).toBe('3.14');
  });

  it('survives JSON.stringify with a bigint value', () => {
    expect(JSON.stringify(new Int64Message(2n ** 60n))).toBe('{"value":"1152921504606846976"}');
    expect(JSON.stringify(new Int64Message(42))).toBe('{"value":42}');
  });
});
