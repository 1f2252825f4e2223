import { pythonJsonParse } from '../../../../lib/core/codec/python-json-parse';
import {
  PythonFloat,
  pythonFloat,
  pythonFloatRepr,
  pythonIntRepr,
  pythonJsonString,
  pythonJsonStringify,
} from '../../../../lib/core/codec/python-json';

describe('pythonFloatRepr (Python repr(float))', () => {
  it.each<[number, string]>([
    [3.14, '3.14'],
    [100, '100.0'],
    [-2.5, '-2.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [0.1, '0.1'],
    [1e-4, '0.0001'],
    [1.5e-4, '0.00015'],
    [1e-5, '1e-05'],
    [1e-7, '1e-07'],
    [1.234e-7, '1.234e-07'],
    [5e-324, '5e-324'],
    [1e15, '1000000000000000.0'],
    [9999999999999998, '9999999999999998.0'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1e22, '1e+22'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-1e100, '-1e+100'],
    [3.140000104904175, '3.140000104904175'],
    [49.99, '49.99'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('%p -> %s', (value, expected) => {
    expect(pythonFloatRepr(value)).toBe(expected);
  });
});

describe('pythonIntRepr', () => {
  it.each<[number | bigint, string]>([
    [42, '42'],
    [-7, '-7'],
    [-0, '0'],
    [9007199254740991, '9007199254740991'],
    [2 ** 60, '1152921504606846976'],
    [1e21, '1000000000000000000000'],
    [9007199254740993n, '9007199254740993'],
    [-(2n ** 63n), '-9223372036854775808'],
  ])('%p -> %s', (value, expected) => {
    expect(pythonIntRepr(value)).toBe(expected);
  });

  it('refuses a number with a fraction', () => {
    expect(() => pythonIntRepr(1.5)).toThrow(TypeError);
  });
});

describe('pythonJsonString (ensure_ascii)', () => {
  it.each<[string, string]>([
    ['hello', '"hello"'],
    ['', '""'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['a/b', '"a/b"'],
    ['\n\r\t\b\f', '"\\n\\r\\t\\b\\f"'],
    ['\u0000\u0001\u001f', '"\\u0000\\u0001\\u001f"'],
    ['\u007f', '"\\u007f"'],
    ['héllo', '"h\\u00e9llo"'],
    ['日本', '"\\u65e5\\u672c"'],
    ['😀', '"\\ud83d\\ude00"'],
    ['évènement-😀', '"\\u00e9v\\u00e8nement-\\ud83d\\ude00"'],
    ['\uFFFF', '"\\uffff"'],
  ])('%j -> %s', (text, expected) => {
    expect(pythonJsonString(text)).toBe(expected);
  });
});

describe('pythonJsonStringify (json.dumps)', () => {
  it('writes separators, key order and nesting as Python does', () => {
    expect(
      pythonJsonStringify({
        b: 1,
        a: [1, 2.5, 'x', null, true, false],
        c: {},
        d: [],
        e: { f: {} },
      }),
    ).toBe('{"b": 1, "a": [1, 2.5, "x", null, true, false], "c": {}, "d": [], "e": {"f": {}}}');
  });

  it('writes the MockUserCreationMessage payload of the fixtures', () => {
    expect(pythonJsonStringify({ email: 'john.doe@email.com', password: 's3cr3t!' })).toBe(
      '{"email": "john.doe@email.com", "password": "s3cr3t!"}',
    );
    expect(pythonJsonStringify({ email: 'jürgen@example.com', password: 'pässwörd😀' })).toBe(
      '{"email": "j\\u00fcrgen@example.com", "password": "p\\u00e4ssw\\u00f6rd\\ud83d\\ude00"}',
    );
  });

  it('writes integral numbers as ints, marked floats and fractions as floats, bigints exactly', () => {
    expect(
      pythonJsonStringify({
        int: 100,
        float: pythonFloat(100),
        fraction: 0.5,
        big: 2n ** 70n,
        nan: NaN,
        inf: -Infinity,
        tiny: 1e-7,
      }),
    ).toBe(
      '{"int": 100, "float": 100.0, "fraction": 0.5, "big": 1180591620717411303424, "nan": NaN, ' +
        '"inf": -Infinity, "tiny": 1e-07}',
    );
  });

  it('writes a Date as Python isoformat text in UTC', () => {
    expect(pythonJsonStringify({ when: new Date('2025-06-01T12:30:45.123Z') })).toBe(
      '{"when": "2025-06-01T12:30:45.123000+00:00"}',
    );
  });

  it('skips undefined and function members, writes undefined array items as null', () => {
    expect(pythonJsonStringify({ a: undefined, b: () => 1, c: [undefined], d: 1 })).toBe(
      '{"c": [null], "d": 1}',
    );
  });

  it('uses toJSON when an object has one', () => {
    expect(pythonJsonStringify({ x: { toJSON: () => 'custom' } })).toBe('{"x": "custom"}');
  });

  it('escapes keys too', () => {
    expect(pythonJsonStringify({ clé: 'é' })).toBe('{"cl\\u00e9": "\\u00e9"}');
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['a function', () => 1],
    ['binary data', { data: new Uint8Array([1]) }],
    ['a Map', { m: new Map() }],
    ['a Set', { s: new Set() }],
  ])('refuses %s', (_name, value) => {
    expect(() => pythonJsonStringify(value)).toThrow(TypeError);
  });

  it('refuses circular structures', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => pythonJsonStringify(loop)).toThrow(/circular/);
  });

  it('accepts shared (non-circular) references', () => {
    const shared = { x: 1 };
    expect(pythonJsonStringify({ a: shared, b: shared })).toBe('{"a": {"x": 1}, "b": {"x": 1}}');
  });

  it('PythonFloat behaves as its number', () => {
    const f = pythonFloat(2);
    expect(f).toBeInstanceOf(PythonFloat);
    expect(+f * 2).toBe(4);
    expect(JSON.stringify({ f })).toBe('{"f":2}');
  });
});

describe('pythonJsonParse (json.loads)', () => {
  it('reads ordinary documents like JSON.parse', () => {
    const text = '{"a": [1, 2.5, "x", null, true, false], "b": {"c": "\\u00e9\\n"}}';
    expect(pythonJsonParse(text)).toEqual(JSON.parse(text));
  });

  it.each<[string, unknown]>([
    ['9007199254740993', 9007199254740993n],
    ['-9223372036854775808', -(2n ** 63n)],
    ['123456789012345678901234567890', 123456789012345678901234567890n],
    ['9007199254740991', 9007199254740991],
    ['1234567890123456', 1234567890123456],
    ['0.1234567890123456', 0.1234567890123456],
    ['1e400', Infinity],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['-0', 0],
    ['-0.0', -0],
    ['{"value": 9007199254740993}', { value: 9007199254740993n }],
    ['[NaN, 1, "Infinity"]', [NaN, 1, 'Infinity']],
    [' {"a" : "NaN\\"\\u00e9" , "b":[ ] ,"c":{}} ', { a: 'NaN"é', b: [], c: {} }],
    ['{"a": 1, "a": 2, "b": 12345678901234567}', { a: 2, b: 12345678901234567n }],
  ])('%s', (text, expected) => {
    expect(pythonJsonParse(text)).toEqual(expected);
  });

  it('keeps "__proto__" as an own member, never the prototype', () => {
    const value = pythonJsonParse('{"__proto__": {"polluted": 1}, "n": NaN}') as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'n']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    '',
    '{',
    '{"a": NaN',
    '{"a" NaN}',
    '[NaN,]',
    '[NaN 1]',
    '{"a": nan}',
    'NaN extra',
    '"unterminated NaN',
    '"raw \u0001 control NaN"',
    '"bad \\x escape NaN"',
    '{NaN: 1}',
    '01234567890123456',
  ])('refuses %j with a SyntaxError', (text) => {
    expect(() => pythonJsonParse(text)).toThrow(SyntaxError);
  });

  it('round-trips what pythonJsonStringify writes', () => {
    const value = { a: 'é😀', b: [1, 2.5, 2n ** 64n], c: { d: null, e: true }, f: -1e-7 };
    expect(pythonJsonParse(pythonJsonStringify(value))).toEqual(value);
  });
});
