import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAhead } from '../src/read-ahead.ts';

/** A chunked source that records when each chunk was fetched and whether it was closed. */
function source(chunks: number[][], log: string[], failAt?: number): AsyncIterable<number[]> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (let i = 0; i < chunks.length; i++) {
          await Promise.resolve();
          if (i === failAt) throw new Error(`fetch ${i} failed`);
          log.push(`fetched ${i}`);
          yield chunks[i]!;
        }
      } finally {
        log.push('closed');
      }
    },
  };
}

test('readAhead yields every chunk in order and fetches the next one before the caller asks', async () => {
  const log: string[] = [];
  const seen: number[][] = [];
  for await (const chunk of readAhead(source([[1, 2], [3], [4, 5]], log))) {
    await new Promise((resolve) => setImmediate(resolve));
    log.push(`used ${seen.length}`);
    seen.push(chunk);
  }
  assert.deepEqual(seen, [[1, 2], [3], [4, 5]]);
  // Chunk n+1 is fetched while chunk n is in use (and the end of the source is found during the last).
  assert.deepEqual(log, ['fetched 0', 'fetched 1', 'used 0', 'fetched 2', 'used 1', 'closed', 'used 2']);
});

test('readAhead closes the source when the caller stops early', async () => {
  const log: string[] = [];
  for await (const chunk of readAhead(source([[1], [2], [3], [4]], log))) {
    if (chunk[0] === 2) break;
  }
  assert.equal(log.at(-1), 'closed');
  assert.ok(!log.includes('fetched 3'));
});

test('readAhead passes a failed fetch on to the caller', async () => {
  const log: string[] = [];
  const seen: number[][] = [];
  await assert.rejects(async () => {
    for await (const chunk of readAhead(source([[1], [2], [3]], log, 1))) seen.push(chunk);
  }, /fetch 1 failed/);
  assert.deepEqual(seen, [[1]]);
  assert.equal(log.at(-1), 'closed');
});
