import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSeededRandom } from '../../src/dedup/seeded-random.ts';

test('the same seed gives the same sequence; another seed another', () => {
  const take = (seed: number): number[] => {
    const random = createSeededRandom(seed);
    return Array.from({ length: 5 }, () => random.nextUint32());
  };
  assert.deepEqual(take(7), take(7));
  assert.notDeepEqual(take(7), take(8));
});

test('nextInt stays in range and covers it roughly uniformly', () => {
  const random = createSeededRandom(1);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i++) counts[random.nextInt(10)]!++;
  for (const count of counts) assert.ok(Math.abs(count - 10_000) < 500, `bucket count ${count}`);
});
