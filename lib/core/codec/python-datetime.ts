/**
 * Timestamps as Python's `datetime` writes and reads them, for the wire.
 *
 * A JavaScript `Date` holds milliseconds; Python's `datetime` holds microseconds. We write the
 * instant the way `datetime.isoformat()` writes an aware UTC datetime and read what
 * `datetime.fromisoformat()` reads (the extended ISO 8601 forms), dropping digits past the
 * millisecond.
 */

/** Python's `datetime` covers years 1 to 9999; `toISOString()` has this shape for all of them. */
const ISO_LENGTH = 24;

/** What follows the seconds for each millisecond: `+00:00`, `.001000+00:00`, ... */
const FRACTION_AND_OFFSET: string[] = [];
for (let ms = 0; ms < 1000; ms++) {
  FRACTION_AND_OFFSET.push(ms === 0 ? '+00:00' : '.' + String(ms).padStart(3, '0') + '000+00:00');
}

// Events come in bursts within the same second: keep the last second's 'YYYY-MM-DDTHH:MM:SS'.
let formattedSecond = NaN;
let formattedPrefix = '';

/**
 * `date` as Python's `isoformat()` writes the same instant as an aware UTC datetime:
 * `YYYY-MM-DDTHH:MM:SS`, then `.ffffff` unless the fraction is zero, then `+00:00`
 * (e.g. `2025-06-01T12:30:45.123000+00:00`, `2025-06-01T12:30:45+00:00`).
 *
 * Throws a `RangeError` for an invalid date or a year Python cannot hold (outside 1..9999).
 */
export function formatPythonIsoUtc(date: Date): string {
  const time = date.getTime();
  const ms = ((time % 1000) + 1000) % 1000; // NaN for an invalid date
  const second = (time - ms) / 1000;
  if (second !== formattedSecond) {
    const iso = date.toISOString(); // throws RangeError for an invalid date
    if (iso.length !== ISO_LENGTH || iso.startsWith('0000')) {
      throw new RangeError(
        `Timestamp ${iso} is outside the years 1 to 9999 that Python's datetime can hold`,
      );
    }
    formattedPrefix = iso.slice(0, 19);
    formattedSecond = second;
  }
  return formattedPrefix + FRACTION_AND_OFFSET[ms];
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads an ISO 8601 date-time as Python's `datetime.fromisoformat()` does, into a `Date`;
 * `undefined` if `text` is not one. A text without an offset is UTC (what Python's `publish()`
 * writes is the UTC clock of its machine); `Z` and `+HH:MM` offsets are honoured; digits past the
 * millisecond are dropped (truncated, not rounded).
 */
export function parsePythonIso(text: string): Date | undefined {
  const time = parseCommonForm(text) ?? parseAnyForm(text);
  return time === undefined ? undefined : new Date(time);
}

// The last 'YYYY-MM-DDTHH:MM:SS' read and its epoch milliseconds (events come in bursts).
let parsedPrefix = '';
let parsedBase = 0;

/**
 * The receive hot path: `YYYY-MM-DDTHH:MM:SS`, an optional `.fraction`, then nothing, `Z`, or
 * `+HH:MM`/`-HH:MM`; epoch milliseconds, or `undefined` to let {@link parseAnyForm} decide.
 */
function parseCommonForm(text: string): number | undefined {
  const length = text.length;
  if (length < 19) return undefined;
  let base: number;
  if (parsedPrefix !== '' && text.startsWith(parsedPrefix)) {
    base = parsedBase;
  } else {
    if (
      text.charCodeAt(4) !== 45 || // -
      text.charCodeAt(7) !== 45 ||
      text.charCodeAt(10) !== 84 || // T
      text.charCodeAt(13) !== 58 || // :
      text.charCodeAt(16) !== 58
    ) {
      return undefined;
    }
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    if (!isValidDateTime(year, month, day, hour, minute, second)) return undefined;
    base = utcMillis(year, month, day, hour, minute, second, 0);
    parsedPrefix = text.slice(0, 19);
    parsedBase = base;
  }
  let pos = 19;
  let millis = 0;
  if (text.charCodeAt(pos) === 46) {
    // .fraction: at least one digit; the first three are the milliseconds.
    const start = ++pos;
    while (pos < length) {
      const d = text.charCodeAt(pos) - 48;
      if (d < 0 || d > 9) break;
      if (pos - start < 3) millis = millis * 10 + d;
      pos++;
    }
    const count = pos - start;
    if (count === 0) return undefined;
    if (count < 3) millis *= count === 1 ? 100 : 10;
  }
  if (pos === length) return base + millis;
  const sign = text.charCodeAt(pos);
  if ((sign === 90 || sign === 122) && pos + 1 === length) return base + millis; // Z, z
  if ((sign === 43 || sign === 45) && pos + 6 === length && text.charCodeAt(pos + 3) === 58) {
    const hours = digits(text, pos + 1, 2);
    const minutes = digits(text, pos + 4, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
    const offset = (hours * 60 + minutes) * 60000;
    return base + millis + (sign === 43 ? -offset : offset);
  }
  return undefined;
}

// date, then optionally: separator (T, t or space), HH[:MM[:SS[(.|,)fraction]]], then an optional
// offset: Z, or +/-HH[:MM[:SS[.ffffff]]] (also without colons), as `fromisoformat()` accepts them.
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2})(?::?(\d{2})(?:\.\d+)?)?)?)?)?$/;

/** Every form `fromisoformat()` reads (see {@link ISO_PATTERN}); epoch milliseconds. */
function parseAnyForm(text: string): number | undefined {
  const m = ISO_PATTERN.exec(text);
  if (m === null) return undefined;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = m[4] === undefined ? 0 : +m[4];
  const minute = m[5] === undefined ? 0 : +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (!isValidDateTime(year, month, day, hour, minute, second)) return undefined;
  const fraction = m[7];
  const millis = fraction === undefined ? 0 : +(fraction + '00').slice(0, 3);
  let time = utcMillis(year, month, day, hour, minute, second, millis);
  if (m[9] !== undefined) {
    const offsetHours = +m[10];
    const offsetMinutes = m[11] === undefined ? 0 : +m[11];
    const offsetSeconds = m[12] === undefined ? 0 : +m[12];
    if (offsetHours > 23 || offsetMinutes > 59 || offsetSeconds > 59) return undefined;
    const offset = (offsetHours * 3600 + offsetMinutes * 60 + offsetSeconds) * 1000;
    time += m[9] === '+' ? -offset : offset;
  }
  return time;
}

/** The number written by `count` decimal digits at `start`, or -1 if one is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function isValidDateTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): boolean {
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= DAYS_IN_MONTH[month - 1] &&
    (month !== 2 || day !== 29 || isLeapYear(year)) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59
  );
}

function utcMillis(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
): number {
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (year >= 100) return time;
  // Date.UTC maps years 0..99 to 1900..1999.
  const date = new Date(time);
  date.setUTCFullYear(year);
  return date.getTime();
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
