import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readJsonColumns, duckDbType, hfFeature, json, list, string, struct } from '../src/formats/column-types.ts';
import { messagesType } from '../src/formats/messages.ts';
import { shardFileName } from '../src/shards/shard-names.ts';
import { balancedCuts } from '../src/shards/staged-rows.ts';

test('balancedCuts: contiguous, non-empty ranges of about equal bytes', () => {
  const ends = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  assert.deepEqual(balancedCuts(ends, 2), [0, 5, 10]);
  assert.deepEqual(balancedCuts(ends, 1), [0, 10]);
  assert.deepEqual(balancedCuts(ends, 20), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'never more ranges than rows');
  // One huge row first: it gets a range of its own, the rest still leave a row for each range.
  assert.deepEqual(balancedCuts([1000, 1001, 1002, 1003], 3), [0, 1, 2, 4]);
  const skewed = balancedCuts([1, 2, 3, 4, 1000], 2);
  assert.deepEqual(skewed, [0, 4, 5]);
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
  assert.equal(readJsonColumns([["it's", string]]), `{'it''s': 'VARCHAR'}`);
  assert.match(duckDbType(messagesType), /"function" STRUCT\("name" VARCHAR, "arguments" JSON\)/);
});
