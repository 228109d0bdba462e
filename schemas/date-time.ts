/**
 * Fast check for the JSON Schema `date-time` format, as used by the Sluice contract: an RFC 3339 §5.6
 * `date-time`, i.e. `YYYY-MM-DD` `T` `HH:MM:SS` [`.` fraction] (`Z` | `+HH:MM` | `-HH:MM`), with a real
 * calendar date and ajv-formats' leap-second rule (second 60 only at 23:59 UTC). `T`/`Z` may be lower case.
 *
 * It replaces ajv-formats' `date-time` (which splits and runs two capturing regexes, ~0.6 µs per value — the
 * single most expensive check on a small event). It is also slightly stricter than ajv-formats, exactly where
 * RFC 3339's grammar is: a space instead of `T`, offsets without a colon (`+0100`) and hour-only offsets
 * (`+01`) are rejected.
 */

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) return -1;
  return a * 10 + b;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days in `month` (1–12) of `year`; 0 for any other month. */
function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month] ?? 0);
}

export function isRfc3339DateTime(s: string): boolean {
  const n = s.length;
  if (n < 20) return false;
  const century = digits2(s, 0);
  const yy = digits2(s, 2);
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  const hour = digits2(s, 11);
  const minute = digits2(s, 14);
  const second = digits2(s, 17);
  if (
    century < 0 ||
    yy < 0 ||
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    (s.charCodeAt(10) | 0x20) !== 116 || // T or t
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60
  ) {
    return false;
  }
  if (day > daysInMonth(century * 100 + yy, month)) return false;

  let i = 19;
  if (s.charCodeAt(i) === 46) {
    // . fraction: at least one digit
    i += 1;
    const start = i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i += 1;
    }
    if (i === start) return false;
  }
  const offsetChar = s.charCodeAt(i);
  let offsetMinutes = 0;
  if ((offsetChar | 0x20) === 122) {
    // Z or z
    if (i + 1 !== n) return false;
  } else if (offsetChar === 43 || offsetChar === 45) {
    // +HH:MM or -HH:MM
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return false;
    const offsetHour = digits2(s, i + 1);
    const offsetMinute = digits2(s, i + 4);
    if (offsetHour < 0 || offsetHour > 23 || offsetMinute < 0 || offsetMinute > 59) return false;
    offsetMinutes = (offsetChar === 45 ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  } else {
    return false;
  }
  if (second < 60) return true;
  // Leap second: only at 23:59:60 UTC.
  const utcMinuteOfDay = (((hour * 60 + minute - offsetMinutes) % 1440) + 1440) % 1440;
  return utcMinuteOfDay === 23 * 60 + 59;
}

/**
 * `Date.parse(s)` for any string, computed without Date.parse for the form SDKs send
 * (`toISOString()`: `YYYY-MM-DDTHH:MM:SS.sssZ`, or without the fraction). Every ingested event's
 * occurred_at goes through it, and Date.parse was 2.4% of the preparation thread.
 */
export function dateTimeMillis(s: string): number {
  const n = s.length;
  if ((n !== 24 && n !== 20) || s.charCodeAt(n - 1) !== 90 || s.charCodeAt(10) !== 84 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45
    || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || (n === 24 && s.charCodeAt(19) !== 46)) {
    return Date.parse(s);
  }
  const century = digits2(s, 0);
  const yy = digits2(s, 2);
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  const hour = digits2(s, 11);
  const minute = digits2(s, 14);
  const second = digits2(s, 17);
  const millis = n === 24 ? digits3(s, 20) : 0;
  const year = century * 100 + yy;
  if (century < 0 || yy < 0 || millis < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
    || second < 0 || second > 59
    || day > daysInMonth(year, month)) {
    return Date.parse(s);
  }
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
}

function digits3(s: string, i: number): number {
  const a = digits2(s, i);
  const c = s.charCodeAt(i + 2) - 48;
  return a < 0 || !(c >= 0 && c <= 9) ? -1 : a * 10 + c;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
