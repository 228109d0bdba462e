import { isUtf8 } from 'node:buffer';

const EVENTS_KEY = Buffer.from('"events"');
const ESCAPE_00 = Buffer.from('\\u00');
/** Hex codes of the letters of "events": an escape such as \u0065 could spell the key differently. */
const KEY_LETTERS = new Set(['65', '76', '6e', '74', '73']);

/**
 * The request body to hand to the event log as the client's bytes, or null when a reader other
 * than JSON.parse could see a different `events` array in it. The embedded store keeps these
 * bytes and lets DuckDB's JSON reader unnest them later, so both readers must agree on which
 * array is `events`: with duplicate keys JSON.parse takes the last and DuckDB the first. Cheap
 * native scans make sure the key is spelled exactly once and never through \u escapes, and that
 * the bytes are valid UTF-8 (Buffer#toString replaced bad sequences; DuckDB would refuse them).
 * Bodies that fail keep working: their events are serialised from the parsed objects instead.
 */
export function unambiguousEventsBody(json: Buffer): Buffer | null {
  const first = json.indexOf(EVENTS_KEY);
  if (first < 0 || json.indexOf(EVENTS_KEY, first + 1) >= 0) return null;
  for (let i = json.indexOf(ESCAPE_00); i >= 0; i = json.indexOf(ESCAPE_00, i + 1)) {
    if (KEY_LETTERS.has(json.toString('latin1', i + 4, i + 6).toLowerCase())) return null;
  }
  return isUtf8(json) ? json : null;
}
