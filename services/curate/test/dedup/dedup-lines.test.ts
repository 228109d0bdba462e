import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DedupInputError, dedupLines } from '../../src/dedup/dedup-lines.ts';
import { createTextGenerator } from './text-generator.ts';

async function* linesOf(lines: readonly string[]): AsyncGenerator<string> {
  for (const line of lines) yield line;
}

async function run(lines: readonly string[], options: Parameters<typeof dedupLines>[1] = {}): Promise<unknown[]> {
  const output: unknown[] = [];
  for await (const line of dedupLines(linesOf(lines), options)) output.push(JSON.parse(line));
  return output;
}

const longText = createTextGenerator(10).words(100);
const nearCopy = [...longText.slice(0, 60), 'different', ...longText.slice(61)];

test('end to end: exact and near duplicates point at the earliest record, in input order', async () => {
  const input = [
    JSON.stringify({ id: 'a', text: 'How do I reset my password?' }),
    JSON.stringify({ id: 'b', text: longText.join(' ') }),
    '',
    JSON.stringify({ id: 'c', text: 'how do i reset my PASSWORD' }),
    JSON.stringify({ id: 'd', text: nearCopy.join(' ') }),
    JSON.stringify({ id: 'e', text: 'Something else entirely', extra: true }),
  ];
  assert.deepEqual(await run(input), [
    { id: 'a', duplicate_of: null },
    { id: 'b', duplicate_of: null },
    { id: 'c', duplicate_of: 'a' },
    { id: 'd', duplicate_of: 'b' },
    { id: 'e', duplicate_of: null },
  ]);
});

test('numeric ids are echoed as numbers; rank picks the representative', async () => {
  const input = [
    JSON.stringify({ id: 1, text: 'same text' }),
    JSON.stringify({ id: 2, text: 'Same text.', rank: 1 }),
  ];
  assert.deepEqual(await run(input), [{ id: 1, duplicate_of: 2 }, { id: 2, duplicate_of: null }]);
});

test('the threshold option is honored', async () => {
  const input = [JSON.stringify({ id: 'b', text: longText.join(' ') }), JSON.stringify({ id: 'd', text: nearCopy.join(' ') })];
  assert.deepEqual(await run(input, { threshold: 0.99 }), [{ id: 'b', duplicate_of: null }, { id: 'd', duplicate_of: null }]);
});

test('output lines carry no newline and exactly the two fields', async () => {
  const output: string[] = [];
  for await (const line of dedupLines(linesOf(['{"id":"x","text":"t"}']))) output.push(line);
  assert.deepEqual(output, ['{"id":"x","duplicate_of":null}']);
});

async function rejection(lines: readonly string[]): Promise<DedupInputError> {
  try {
    await run(lines);
  } catch (error) {
    assert.ok(error instanceof DedupInputError);
    return error;
  }
  assert.fail('expected a DedupInputError');
}

test('a line of invalid JSON is reported by its 1-based number (blank lines count)', async () => {
  const error = await rejection(['{"id":"a","text":"ok"}', '', '{"id":"b","text":', '{"id":"c","text":"ok"}']);
  assert.equal(error.lineNumber, 3);
  assert.match(error.message, /^line 3: not valid JSON/);
});

test('records of the wrong shape are reported by line number', async () => {
  assert.match((await rejection(['[1,2]'])).message, /^line 1: expected a JSON object/);
  assert.match((await rejection(['{"id":"a","text":"x"}', '{"id":"b"}'])).message, /^line 2: "text" must be a string/);
  assert.match((await rejection(['{"id":true,"text":"x"}'])).message, /^line 1: "id" must be/);
  assert.match((await rejection(['{"id":"a","text":"x","rank":"high"}'])).message, /^line 1: "rank" must be/);
});

test('invalid options fail before any input is read', async () => {
  let read = false;
  async function* watched(): AsyncGenerator<string> {
    read = true;
    yield '{"id":"a","text":"x"}';
  }
  await assert.rejects(async () => {
    for await (const _ of dedupLines(watched(), { threshold: 2 })) { /* drain */ }
  }, RangeError);
  assert.equal(read, false);
});
