import { isUtf8 } from 'node:buffer';

const EVENTS_KEY = Buffer.from('"events"');
const ESCAPE_00 = Buffer.from('\\u00');
/** Hex codes of the letters of "events": an escape such as \u0065 could spell the key differently. */
const KEY_LETTERS = new Set(['65', '76', '6e', '74', '73']);

/**
 * The request body to hand to the event log as the client's bytes, or null when it is safer to
 * serialise the parsed events instead. The embedded store copies each event's payload out of
 * these bytes (@sluice/core's events-array-slices.ts finds the entries), so the bytes must
 * mean exactly what JSON.parse read: valid UTF-8 (Buffer#toString replaced bad sequences before
 * JSON.parse saw them; DuckDB would refuse them), and an `events` key spelled once and never
 * through \u escapes. The scanner resolves duplicate and escaped keys as JSON.parse does too;
 * this cheap native pre-check keeps such rare bodies off the byte-copy path altogether.
 */
export function unambiguousEventsBody(json: Buffer): Buffer | null {
  const first = json.indexOf(EVENTS_KEY);
  if (first < 0 || json.indexOf(EVENTS_KEY, first + 1) >= 0) return null;
  for (let i = json.indexOf(ESCAPE_00); i >= 0; i = json.indexOf(ESCAPE_00, i + 1)) {
    if (KEY_LETTERS.has(json.toString('latin1', i + 4, i + 6).toLowerCase())) return null;
  }
  return isUtf8(json) ? json : null;
}
