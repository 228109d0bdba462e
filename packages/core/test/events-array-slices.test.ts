import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventSlices } from '../src/events-array-slices.ts';

/** Each slice, parsed on its own, next to what JSON.parse says the body's `events` holds. */
function assertSlicesMatch(text: string): void {
  const json = Buffer.from(text);
  const slices = eventSlices(json);
  assert.ok(slices, `no slices for ${text}`);
  const expected = (JSON.parse(text) as { events: unknown[] }).events;
  const actual = slices.starts.map((start, i) => JSON.parse(json.toString('utf8', start, slices.ends[i])) as unknown);
  assert.deepEqual(actual, expected);
}

/** The body's bytes at each offset 0-3 of a larger buffer, so the scanner's word reads meet every alignment. */
function assertSlicesMatchAtEveryAlignment(text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < 4; offset++) {
    const backing = Buffer.alloc(bytes.length + 8, 0x22);
    bytes.copy(backing, offset);
    const json = backing.subarray(offset, offset + bytes.length);
    const slices = eventSlices(json);
    assert.ok(slices, `no slices at offset ${offset} for ${text}`);
    const expected = (JSON.parse(text) as { events: unknown[] }).events;
    assert.deepEqual(slices.starts.map((start, i) => JSON.parse(json.toString('utf8', start, slices.ends[i])) as unknown), expected);
  }
}

/** A deterministic generator of awkward JSON values (strings full of brackets, quotes, escapes). */
function randomValue(next: () => number, depth: number): unknown {
  const pieces = ['[', ']', '{', '}', '"', '\\', ',', ':', ' ', 'é', '😀', '\n', '\u2028', 'events', '\u0001', 'a'];
  const kind = Math.floor(next() * (depth > 3 ? 4 : 6));
  if (kind === 0) return Math.round(next() * 1e6) / 100 - 5000;
  if (kind === 1) return [true, false, null][Math.floor(next() * 3)];
  if (kind <= 3) return Array.from({ length: Math.floor(next() * 8) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
  if (kind === 4) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, (_, i) => [`k${i}${String(randomValue(next, 9))}`, randomValue(next, depth + 1)]));
}

describe('eventSlices: byte ranges of the top-level events entries', () => {
  test('entries with brackets, quotes and escapes inside strings, nested values and spacing', () => {
    assertSlicesMatch('{"events":[]}');
    assertSlicesMatch(' \n{ "sent_at" : "2026-11-29T12:00:00Z" ,\n "events" : [ {"a":"]},[{\\"x\\\\"} ,\t{"b":[1,[2,{"c":"}"}]],"d":null}\n, 3 , "s" , true ] }\n');
    assertSlicesMatch('{"context":{"events":[1,2]},"events":[{"t":"\\u00e9\\ud83d\\ude00é😀","q":"\\"events\\""},{"n":-1.5e+3}],"z":[{"events":0}]}');
    assertSlicesMatch('{"\\u0065vents":[{"escaped key":true}]}');
  });

  test('randomly generated bodies slice exactly like JSON.parse reads them', () => {
    let state = 42;
    const next = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const events = Array.from({ length: Math.floor(next() * 6) }, () => randomValue(next, 0));
      const spaced = round % 2 === 0 ? JSON.stringify({ before: randomValue(next, 2), events, after: 1 }) : JSON.stringify({ events }, null, round % 4);
      assertSlicesMatch(spaced);
    }
  });

  test('long strings with quotes, backslashes and escapes at every position of a 4-byte word, at every alignment', () => {
    let state = 7;
    const next = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    // Characters for JSON.stringify to escape, and JSON string text with escapes written out.
    const characters = ['a', 'é', '😀', '"', '\\', '\n', 'events', ' ', '}', ']', '{"x":'];
    const escapedText = ['a', 'é', '😀', '\\"', '\\\\', '\\n', '\\u0041', '\\ud83d\\ude00', '\\/', 'events', '}', '{'];
    const pick = (from: string[]) => Array.from({ length: Math.floor(next() * 40) }, () => from[Math.floor(next() * from.length)]).join('');
    for (let round = 0; round < 200; round++) {
      const events = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, i) => ({ i, text: pick(characters), pad: 'p'.repeat(round % 5) }));
      assertSlicesMatchAtEveryAlignment(JSON.stringify({ events }));
      const texts = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(escapedText));
      assertSlicesMatchAtEveryAlignment(`{"events":[${texts.map((text) => `{"t":"${text}"}`).join(',')}]}`);
    }
    // A string that runs to the end of the body is truncated, whatever the alignment.
    for (let offset = 0; offset < 4; offset++) {
      const backing = Buffer.alloc(40, 0x61);
      backing.write('{"events":[{"t":"abcdefghijklmnop', offset);
      assert.equal(eventSlices(backing.subarray(offset, offset + 32)), null);
    }
  });

  test('offsets are UTF-8 byte offsets, not string indices', () => {
    const json = Buffer.from('{"x":"ééé😀","events":[{"v":"😀"},{"v":"é"}]}');
    const slices = eventSlices(json)!;
    assert.deepEqual(slices.starts.map((s, i) => json.toString('utf8', s, slices.ends[i])), ['{"v":"😀"}', '{"v":"é"}']);
  });

  test('with a duplicated events key the last array wins, as in JSON.parse', () => {
    assertSlicesMatch('{"events":[{"first":1}],"events":[{"last":1},{"last":2}]}');
  });

  test('lone surrogate escapes, a missing events array or a non-object body give null', () => {
    assert.equal(eventSlices(Buffer.from('{"events":[{"t":"\\ud83d"}]}')), null);
    assert.equal(eventSlices(Buffer.from('{"events":[{"t":"\\ud83dx"}]}')), null);
    assert.equal(eventSlices(Buffer.from('{"events":[{"t":"\\ude00"}]}')), null);
    assert.equal(eventSlices(Buffer.from('{"events":[{"t":"\\ud83d\\u0041"}]}')), null);
    assert.equal(eventSlices(Buffer.from('{"other":[{"t":1}]}')), null);
    assert.equal(eventSlices(Buffer.from('{"events":{"t":1}}')), null);
    assert.equal(eventSlices(Buffer.from('[{"events":[]}]')), null);
    assert.ok(eventSlices(Buffer.from('{"events":[{"t":"\\ud83d\\ude00"}]}')));
  });
});
