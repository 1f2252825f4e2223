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

/**
 * `date` as Python's `isoformat()` writes the same instant as an aware UTC datetime:
 * `YYYY-MM-DDTHH:MM:SS`, then `.ffffff` unless the fraction is zero, then `+00:00`
 * (e.g. `2025-06-01T12:30:45.123000+00:00`, `2025-06-01T12:30:45+00:00`).
 *
 * Throws a `RangeError` for an invalid date or a year Python cannot hold (outside 1..9999).
 */
export function formatPythonIsoUtc(date: Date): string {
  const iso = date.toISOString(); // throws RangeError for an invalid date
  if (iso.length !== ISO_LENGTH || iso.startsWith('0000')) {
    throw new RangeError(
      `Timestamp ${iso} is outside the years 1 to 9999 that Python's datetime can hold`,
    );
  }
  // 'YYYY-MM-DDTHH:MM:SS.mmmZ': milliseconds at 20..23.
  if (iso.charCodeAt(20) === 48 && iso.charCodeAt(21) === 48 && iso.charCodeAt(22) === 48) {
    return iso.slice(0, 19) + '+00:00';
  }
  return iso.slice(0, 23) + '000+00:00';
}

// date, then optionally: separator (T, t or space), HH[:MM[:SS[(.|,)fraction]]], then an optional
// offset: Z, or +/-HH[:MM[:SS[.ffffff]]] (also without colons), as `fromisoformat()` accepts them.
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2})(?::?(\d{2})(?:\.\d+)?)?)?)?)?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads an ISO 8601 date-time as Python's `datetime.fromisoformat()` does, into a `Date`;
 * `undefined` if `text` is not one. A text without an offset is UTC (what Python's `publish()`
 * writes is the UTC clock of its machine); `Z` and `+HH:MM` offsets are honoured; digits past the
 * millisecond are dropped (truncated, not rounded).
 */
export function parsePythonIso(text: string): Date | undefined {
  const m = ISO_PATTERN.exec(text);
  if (m === null) return undefined;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = m[4] === undefined ? 0 : +m[4];
  const minute = m[5] === undefined ? 0 : +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (
    year < 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > DAYS_IN_MONTH[month - 1] ||
    (month === 2 && day === 29 && !isLeapYear(year)) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  const fraction = m[7];
  const millis = fraction === undefined ? 0 : +(fraction + '00').slice(0, 3);
  let time = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (year < 100) {
    // Date.UTC maps years 0..99 to 1900..1999.
    const date = new Date(time);
    date.setUTCFullYear(year);
    time = date.getTime();
  }
  if (m[9] !== undefined) {
    const offsetHours = +m[10];
    const offsetMinutes = m[11] === undefined ? 0 : +m[11];
    const offsetSeconds = m[12] === undefined ? 0 : +m[12];
    if (offsetHours > 23 || offsetMinutes > 59 || offsetSeconds > 59) return undefined;
    const offset = (offsetHours * 3600 + offsetMinutes * 60 + offsetSeconds) * 1000;
    time += m[9] === '+' ? -offset : offset;
  }
  return new Date(time);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
