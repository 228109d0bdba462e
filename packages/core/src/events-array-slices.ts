/*
 * Where each entry of a request body's top-level `events` array lies, as byte offsets into the
 * body, so a store can copy an event's payload out of the request's bytes instead of serialising
 * the parsed event again (the DuckDB materialiser: docs/decisions/0005, "Later").
 *
 * The body has already been parsed by JSON.parse, so it is valid JSON: the scanner only tracks
 * strings (with their escapes) and nesting, and never validates. It works on the UTF-8 bytes, so
 * the offsets are exact byte offsets whatever the characters are.
 */
import { wasmArrayEntries } from './events-array-wasm.ts';
import { jsonWords, stringEnd, type JsonWords } from './json-string-end.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const EVENTS = Buffer.from('events');

/** Byte ranges of the `events` entries: entry i is `json[starts[i], ends[i])`. */
export interface EventSlices {
  starts: number[];
  ends: number[];
}

/**
 * The byte range of every entry of the top-level `events` array, or null when the body cannot be
 * copied byte for byte: no top-level `events` array, or a `\uD800`-`\uDFFF` escape that is not
 * part of a surrogate pair (JSON.parse accepts it, DuckDB's UTF-8 text cannot hold it; the
 * materialiser's JS path replaces it). With a duplicated `events` key the last one wins, as in
 * JSON.parse.
 */
export function eventSlices(json: Uint8Array): EventSlices | null {
  const words = jsonWords(json);
  let i = skipSpace(json, 0);
  if (json[i] !== OPEN_BRACE) return null;
  i = skipSpace(json, i + 1);
  let found: EventSlices | null = null;
  while (json[i] === QUOTE) {
    const keyEnd = stringEnd(json, words.words, words.shift, i);
    if (keyEnd < 0) return null;
    const isEvents = isEventsKey(json, i + 1, keyEnd - 1);
    i = skipSpace(json, keyEnd);
    if (json[i] !== COLON) return null;
    i = skipSpace(json, i + 1);
    if (isEvents) {
      if (json[i] !== OPEN_BRACKET) return null;
      // The SIMD scanner, unless it hands the array back (events-array-wasm.ts).
      const fast = wasmArrayEntries(json, i);
      const slices = fast === undefined ? arrayEntries(json, i, words) : fast;
      if (!slices) return null;
      found = slices.entries;
      i = slices.end;
    } else {
      i = valueEnd(json, i, words);
      if (i < 0) return null;
    }
    i = skipSpace(json, i);
    if (json[i] !== COMMA) break;
    i = skipSpace(json, i + 1);
  }
  return json[i] === CLOSE_BRACE ? found : null;
}

/** The entries of the array opening at `open`, and the offset just past its `]`. */
function arrayEntries(json: Uint8Array, open: number, words: JsonWords): { entries: EventSlices; end: number } | null {
  const entries: EventSlices = { starts: [], ends: [] };
  let i = skipSpace(json, open + 1);
  if (json[i] === CLOSE_BRACKET) return { entries, end: i + 1 };
  for (;;) {
    const end = valueEnd(json, i, words);
    if (end < 0) return null;
    entries.starts.push(i);
    entries.ends.push(end);
    i = skipSpace(json, end);
    if (json[i] === CLOSE_BRACKET) return { entries, end: i + 1 };
    if (json[i] !== COMMA) return null;
    i = skipSpace(json, i + 1);
  }
}

/** The offset just past the value starting at `start`, or -1 (lone surrogate, truncated input). */
function valueEnd(json: Uint8Array, start: number, { words, shift }: JsonWords): number {
  const first = json[start];
  if (first === QUOTE) return stringEnd(json, words, shift, start);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A number, true, false or null: it ends at the next delimiter or space.
    let i = start;
    while (i < json.length && !isDelimiter(json[i]!)) i++;
    return i;
  }
  let depth = 0;
  let i = start;
  while (i < json.length) {
    const c = json[i]!;
    if (c === QUOTE) {
      i = stringEnd(json, words, shift, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

/** Whether the key text json[from, to) is `events`; a key with escapes is decoded first. */
function isEventsKey(json: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    if (json[k] === BACKSLASH) {
      return JSON.parse(Buffer.from(json.buffer, json.byteOffset + from - 1, to - from + 2).toString('utf8')) === 'events';
    }
  }
  if (to - from !== EVENTS.length) return false;
  for (let k = 0; k < EVENTS.length; k++) if (json[from + k] !== EVENTS[k]) return false;
  return true;
}

function skipSpace(json: Uint8Array, from: number): number {
  let i = from;
  while (i < json.length && isSpace(json[i]!)) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c);
}
