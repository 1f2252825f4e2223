import { formatPythonIsoUtc, parsePythonIso } from '../../../../lib/core/codec/python-datetime';

describe('formatPythonIsoUtc (isoformat() of an aware UTC datetime)', () => {
  it.each<[string, string]>([
    ['2025-06-01T12:30:45.123Z', '2025-06-01T12:30:45.123000+00:00'],
    ['2025-06-01T12:30:45.000Z', '2025-06-01T12:30:45+00:00'],
    ['2025-06-01T12:30:45.005Z', '2025-06-01T12:30:45.005000+00:00'],
    ['2025-01-02T03:04:05.678Z', '2025-01-02T03:04:05.678000+00:00'],
    ['0001-01-01T00:00:00.000Z', '0001-01-01T00:00:00+00:00'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999000+00:00'],
  ])('%s -> %s', (iso, expected) => {
    expect(formatPythonIsoUtc(new Date(iso))).toBe(expected);
  });

  it('refuses invalid dates and years Python cannot hold', () => {
    expect(() => formatPythonIsoUtc(new Date(NaN))).toThrow(RangeError);
    expect(() => formatPythonIsoUtc(new Date('+010000-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => formatPythonIsoUtc(new Date('0000-06-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => formatPythonIsoUtc(new Date('-000001-06-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('parsePythonIso (datetime.fromisoformat)', () => {
  it.each<[string, string]>([
    ['2025-06-01T12:30:45.123456', '2025-06-01T12:30:45.123Z'],
    ['2025-06-01T12:30:45.999999', '2025-06-01T12:30:45.999Z'],
    ['2025-06-01T12:30:45', '2025-06-01T12:30:45.000Z'],
    ['2025-06-01T12:30:45.123456+00:00', '2025-06-01T12:30:45.123Z'],
    ['2025-06-01T14:30:45.005000+02:00', '2025-06-01T12:30:45.005Z'],
    ['2025-06-01T10:00:00-05:30', '2025-06-01T15:30:00.000Z'],
    ['2025-06-01T12:30:45.123Z', '2025-06-01T12:30:45.123Z'],
    ['2025-06-01T12:30:45Z', '2025-06-01T12:30:45.000Z'],
    ['2025-06-01 12:30:45.1', '2025-06-01T12:30:45.100Z'],
    ['2025-06-01T12:30', '2025-06-01T12:30:00.000Z'],
    ['2025-06-01', '2025-06-01T00:00:00.000Z'],
    ['2024-02-29T00:00:00', '2024-02-29T00:00:00.000Z'],
    ['2025-06-01T12:30:45+0200', '2025-06-01T10:30:45.000Z'],
    ['0050-01-01T00:00:00', '0050-01-01T00:00:00.000Z'],
  ])('%s -> %s', (text, expected) => {
    expect(parsePythonIso(text)?.toISOString()).toBe(expected);
  });

  it.each([
    'explicit-id',
    '279a2ccd-2122-42b2-8b75-e260b98eafd7',
    '',
    '2025-13-01T00:00:00',
    '2025-02-30T00:00:00',
    '2025-02-29T00:00:00',
    '2025-06-01T24:00:00',
    '2025-06-01T12:60:00',
    '2025-06-01T12:30:45+25:00',
    '0000-01-01T00:00:00',
    '2025-06-01T12:30:45 trailing',
    '25-06-01',
  ])('%j is not a datetime', (text) => {
    expect(parsePythonIso(text)).toBeUndefined();
  });

  it('reads back what formatPythonIsoUtc writes', () => {
    for (const ms of [0, 1, 999, 1748781045123, 253402300799999, -62135596800000]) {
      const date = new Date(ms);
      expect(parsePythonIso(formatPythonIsoUtc(date))?.getTime()).toBe(ms);
    }
  });
});

describe('the per-second caches of the hot paths', () => {
  it('formats consecutive instants in and across seconds correctly', () => {
    const base = Date.UTC(2025, 5, 1, 12, 30, 45);
    const cases: Array<[number, string]> = [
      [base, '2025-06-01T12:30:45+00:00'],
      [base + 1, '2025-06-01T12:30:45.001000+00:00'],
      [base + 999, '2025-06-01T12:30:45.999000+00:00'],
      [base + 1000, '2025-06-01T12:30:46+00:00'],
      [base + 10, '2025-06-01T12:30:45.010000+00:00'],
      [-1, '1969-12-31T23:59:59.999000+00:00'],
      [0, '1970-01-01T00:00:00+00:00'],
    ];
    for (const [ms, expected] of cases) expect(formatPythonIsoUtc(new Date(ms))).toBe(expected);
    expect(() => formatPythonIsoUtc(new Date(NaN))).toThrow(RangeError);
  });

  it('parses texts that share the cached second, and still validates the rest', () => {
    expect(parsePythonIso('2025-06-01T12:30:45.123456')?.toISOString()).toBe(
      '2025-06-01T12:30:45.123Z',
    );
    expect(parsePythonIso('2025-06-01T12:30:45.5+02:00')?.toISOString()).toBe(
      '2025-06-01T10:30:45.500Z',
    );
    expect(parsePythonIso('2025-06-01T12:30:45.12')?.toISOString()).toBe(
      '2025-06-01T12:30:45.120Z',
    );
    expect(parsePythonIso('2025-06-01T12:30:45')?.toISOString()).toBe('2025-06-01T12:30:45.000Z');
    for (const bad of [
      '2025-06-01T12:30:45.',
      '2025-06-01T12:30:45.x',
      '2025-06-01T12:30:45+2:00',
      '2025-06-01T12:30:45+24:00',
      '2025-06-01T12:30:45Zx',
      '2025-06-01T12:30:450',
    ]) {
      expect(parsePythonIso(bad)).toBeUndefined();
    }
  });
});
