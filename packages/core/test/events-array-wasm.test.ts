import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { generateWasmModule, wasmModuleFile } from '../scripts/gen-wasm.ts';
import { wasmArrayEntries } from '../src/events-array-wasm.ts';

/** Every entry, cut out at the offsets the SIMD scanner gives and parsed alone, is the entry JSON.parse reads. */
function assertScanned(text: string, padding: number): void {
  const json = Buffer.concat([Buffer.alloc(padding, 0x20), Buffer.from(text)]);
  const open = json.indexOf('[', json.indexOf('"events"'));
  const result = wasmArrayEntries(json, open);
  assert.ok(result, `handed back: ${text}`);
  const expected = (JSON.parse(text) as { events: unknown[] }).events;
  assert.deepEqual(result.entries.starts.map((start, i) => JSON.parse(json.toString('utf8', start, result.entries.ends[i])) as unknown), expected);
  assert.equal(json[result.end - 1], 0x5d, 'end is just past the array');
}

describe('the SIMD scanner of events entries (events-array-wasm.ts)', () => {
  test('events-array-scan.wasm.gen.ts is assembled from the current .wat', async () => {
    assert.equal(readFileSync(wasmModuleFile, 'utf8'), await generateWasmModule(), 'run `npm run gen` and commit the result');
  });

  test('object entries with quotes, backslashes, brackets and escapes anywhere in a 16-byte block, compact or spaced', () => {
    let state = 99;
    const next = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const characters = ['a', 'é', '😀', '"', '\\', '\n', '\\n', 'events', ' ', '}', ']', '{"x":', '[', '\u2028'];
    const escapedText = ['a', '\\"', '\\\\', '\\n', '\\u0041', '\\u00e9', '\\/', '}', '{', ']', '[', '\\\\\\"'];
    const pick = (from: string[], most: number) => Array.from({ length: Math.floor(next() * most) }, () => from[Math.floor(next() * from.length)]).join('');
    for (let round = 0; round < 400; round++) {
      const events = Array.from({ length: Math.floor(next() * 5) }, (_, i) => ({
        i, text: pick(characters, 50), nested: [{ deep: pick(characters, 8) }, [pick(characters, 5)], {}], n: round,
      }));
      const text = round % 3 === 0 ? JSON.stringify({ events }) : JSON.stringify({ sent_at: 'x', events }, null, round % 3 === 1 ? 1 : '\t ');
      assertScanned(text, round % 32);
      const texts = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(escapedText, 40));
      assertScanned(`{"events":[${texts.map((t) => `{"t":"${t}","a":["${t}"]}`).join(' ,\n')}]}`, (round * 7) % 32);
    }
  });

  test('hands back entries that are not objects or arrays, and surrogate escapes; null when the bytes end inside', () => {
    const scan = (text: string) => wasmArrayEntries(Buffer.from(text), text.indexOf('['));
    assert.equal(scan('{"events":[{"a":1}, 3]}'), undefined);
    assert.equal(scan('{"events":["s"]}'), undefined);
    assert.equal(scan('{"events":[{"t":"\\ud83d\\ude00"}]}'), undefined);
    assert.equal(scan('{"events":[{"t":"\\uDC00"}]}'), undefined);
    assert.equal(scan('{"events":[{"t":"abc'), null);
    assert.equal(scan('{"events":[{"t":"abc\\'), null);
    assert.equal(scan('{"events":[{"t":{"u":[1,2]}}'), null);
    assert.deepEqual(scan('{"events":[]}'), { entries: { starts: [], ends: [] }, end: 12 });
    assert.deepEqual(scan('{"events":[[1],{"t":"\\u00e9"}]}'), { entries: { starts: [11, 15], ends: [14, 29] }, end: 30 });
  });
});
