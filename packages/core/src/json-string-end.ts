/*
 * The end of a JSON string in UTF-8 bytes, for the events-array scanner (events-array-slices.ts).
 * Most of an event's bytes are string contents (chat messages), so this loop sets the scanner's
 * speed. It looks for the next `"` or `\` four bytes at a time: a 32-bit word holds one of them
 * exactly when the word XOR that byte repeated has a zero byte, which the classic
 * (x - 0x01010101) & ~x & 0x80808080 test finds without a branch per byte. Only a word that holds
 * one is then read byte by byte. On the bench's 100-event bodies the whole scanner went from 0.90 to
 * 0.62 µs per event with it (session 4, docs/benchmarks.md).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const QUOTES = 0x22222222;
const BACKSLASHES = 0x5c5c5c5c;
const ONES = 0x01010101;
const HIGH_BITS = 0x80808080;

/** A body's bytes as aligned 32-bit words: word w holds json[4w - shift, 4w - shift + 4). */
export interface JsonWords {
  words: Int32Array;
  shift: number;
}

/**
 * Word 0 may begin up to 3 bytes before json (whatever precedes it in its buffer) and the view ends
 * at the last whole word inside json; the scanner reads bytes one by one up to a word boundary
 * inside json and after the last word, so only words wholly inside json are ever read.
 */
export function jsonWords(json: Uint8Array): JsonWords {
  const shift = json.byteOffset & 3;
  return { words: new Int32Array(json.buffer, json.byteOffset - shift, (json.length + shift) >> 2), shift };
}

/**
 * The offset just past the closing quote of the string opening at `open`, or -1: a truncated
 * string, or a `\uD800`-`\uDFFF` escape that is not part of a surrogate pair (JSON.parse accepts
 * it; DuckDB's UTF-8 text cannot hold it). `words` and `shift` are jsonWords(json).
 */
export function stringEnd(json: Uint8Array, words: Int32Array, shift: number, open: number): number {
  let i = open + 1;
  for (;;) {
    i = nextQuoteOrBackslash(json, words, shift, i);
    if (i >= json.length) return -1;
    if (json[i] === QUOTE) return i + 1;
    if (json[i + 1] !== LETTER_U) {
      i += 2;
      continue;
    }
    const unit = hex4(json, i + 2);
    if (unit >= 0xdc00 && unit <= 0xdfff) return -1;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = json[i + 6] === BACKSLASH && json[i + 7] === LETTER_U ? hex4(json, i + 8) : -1;
      if (low < 0xdc00 || low > 0xdfff) return -1;
      i += 12;
      continue;
    }
    i += 6;
  }
}

/** The first `"` or `\` at or after `from`, or json.length. */
function nextQuoteOrBackslash(json: Uint8Array, words: Int32Array, shift: number, from: number): number {
  const length = json.length;
  let i = from;
  for (; i < length && ((i + shift) & 3) !== 0; i++) {
    const c = json[i];
    if (c === QUOTE || c === BACKSLASH) return i;
  }
  const wordCount = words.length;
  let w = (i + shift) >> 2;
  for (; w < wordCount; w++) {
    const word = words[w]!;
    const quotes = word ^ QUOTES;
    const backslashes = word ^ BACKSLASHES;
    if ((((quotes - ONES) & ~quotes) | ((backslashes - ONES) & ~backslashes)) & HIGH_BITS) break;
  }
  for (i = Math.max(i, 4 * w - shift); i < length; i++) {
    const c = json[i];
    if (c === QUOTE || c === BACKSLASH) return i;
  }
  return length;
}

function hex4(json: Uint8Array, at: number): number {
  let value = 0;
  for (let k = at; k < at + 4; k++) {
    const c = json[k] ?? 0;
    const digit = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
    if (digit < 0 || digit > 15) return -1;
    value = value * 16 + digit;
  }
  return value;
}
