import { isUtf8 } from 'node:buffer';

const EVENTS_KEY = Buffer.from('"events"');
const ESCAPE_00 = Buffer.from('\\u00');
/** The tail of `"events"`, anchored on a rare byte: JSON has a quote every few bytes, a `v` far less often. */
const EVENTS_KEY_TAIL = Buffer.from('vents"');
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
  if (first < 0 || hasEventsKeyAfter(json, first + 1)) return null;
  for (let i = json.indexOf(ESCAPE_00); i >= 0; i = json.indexOf(ESCAPE_00, i + 1)) {
    if (KEY_LETTERS.has(json.toString('latin1', i + 4, i + 6).toLowerCase())) return null;
  }
  return isUtf8(json) ? json : null;
}

/**
 * Whether `"events"` occurs again at or after `from`. The same answer as
 * json.indexOf(EVENTS_KEY, from) >= 0, ~100x faster on JSON bodies: a search for a needle that
 * starts with a quote stops at every quote (measured 0.35 µs per event of a 100-event batch,
 * 5% of the ingest thread's CPU, before).
 */
function hasEventsKeyAfter(json: Buffer, from: number): boolean {
  for (let i = json.indexOf(EVENTS_KEY_TAIL, from + 2); i >= 0; i = json.indexOf(EVENTS_KEY_TAIL, i + 1)) {
    if (json[i - 2] === 0x22 && json[i - 1] === 0x65) return true;
  }
  return false;
}
