import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnionFind } from '../../src/dedup/union-find.ts';

test('starts as singletons', () => {
  const sets = new UnionFind(3);
  assert.equal(sets.find(2), 2);
  assert.equal(sets.connected(0, 1), false);
});

test('is transitive: A~B and B~C put A and C together', () => {
  const sets = new UnionFind(4);
  assert.equal(sets.union(0, 1), true);
  assert.equal(sets.union(1, 2), true);
  assert.equal(sets.connected(0, 2), true);
  assert.equal(sets.connected(0, 3), false);
  assert.equal(sets.union(2, 0), false, 'already one set');
});

test('long chains compress and stay correct', () => {
  const size = 100_000;
  const sets = new UnionFind(size);
  for (let i = 1; i < size; i++) sets.union(i - 1, i);
  const root = sets.find(0);
  for (let i = 0; i < size; i += 997) assert.equal(sets.find(i), root);
});
