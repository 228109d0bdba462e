import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { duckDbType, hfFeature, json, jsonStructure, list, string, struct } from '../src/formats/column-types.ts';
import { messagesType } from '../src/formats/messages.ts';
import { shardFileName } from '../src/shards/shard-names.ts';
import { openExportEngine } from '../src/shards/export-engine.ts';
import { shardRanges } from '../src/shards/shard-ranges.ts';

test('shardRanges: contiguous, non-empty ranges of about equal weight', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-shards-test-'));
  const engine = await openExportEngine({ tempDirectory: dir });
  try {
    const cut = async (weights: number[], count: number) => {
      await engine.run(`CREATE OR REPLACE TABLE w AS SELECT * FROM (VALUES ${weights.map((w, i) => `(${i}, ${w})`).join(', ')}) AS t(rn, weight)`);
      const total = weights.reduce((a, b) => a + b, 0);
      return (await shardRanges(engine, { from: 'w WHERE true', weight: 'weight' }, count, total)).map((r) => [r.first, r.last, r.rows]);
    };
    const even = Array.from({ length: 10 }, () => 10);
    assert.deepEqual(await cut(even, 2), [[0, 4, 5], [5, 9, 5]]);
    assert.deepEqual(await cut(even, 1), [[0, 9, 10]]);
    assert.equal((await cut(even, 20)).length, 10, 'never more ranges than rows');
    // One huge row first: it fills its range and the next; the empty one is dropped.
    assert.deepEqual(await cut([1000, 1, 1, 1], 3), [[0, 0, 1], [1, 3, 3]]);
  } finally {
    engine.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('shard names follow Hugging Face: <split>-00001-of-00004', () => {
  assert.equal(shardFileName('train', 1, 4, 'parquet'), 'train-00001-of-00004.parquet');
  assert.equal(shardFileName('eval', 0, 1, 'jsonl'), 'eval-00000-of-00001.jsonl');
});

test('one column description gives the DuckDB type and the datasets feature', () => {
  const type = struct([['role', string], ['args', json], ['tags', list(string)]]);
  assert.equal(duckDbType(type), 'STRUCT("role" VARCHAR, "args" JSON, "tags" VARCHAR[])');
  assert.deepEqual(hfFeature(type), {
    role: { dtype: 'string', _type: 'Value' }, args: { _type: 'Json' }, tags: { feature: { dtype: 'string', _type: 'Value' }, _type: 'List' },
  });
  assert.deepEqual(jsonStructure(type), { role: 'VARCHAR', args: 'JSON', tags: ['VARCHAR'] });
  assert.match(duckDbType(messagesType), /"function" STRUCT\("name" VARCHAR, "arguments" JSON\)/);
});
