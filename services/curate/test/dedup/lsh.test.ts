import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateProbability, chooseBandLayout, forEachBandBucket } from '../../src/dedup/lsh.ts';

test('default layout at threshold 0.8 is 18 bands of 7 rows', () => {
  const layout = chooseBandLayout(0.8, 128);
  assert.deepEqual(layout, { bands: 18, rows: 7 });
  assert.ok(candidateProbability(0.8, layout) >= 0.95);
  assert.equal(candidateProbability(0.8, layout).toFixed(4), '0.9855');
  assert.equal(candidateProbability(0.5, layout).toFixed(4), '0.1317');
});

test('the documented alternatives have the documented probabilities', () => {
  assert.equal(candidateProbability(0.8, { bands: 16, rows: 8 }).toFixed(4), '0.9470');
  assert.equal(candidateProbability(0.5, { bands: 21, rows: 6 }).toFixed(4), '0.2816');
  assert.equal(candidateProbability(0.5, { bands: 32, rows: 4 }).toFixed(4), '0.8732');
});

test('other thresholds keep recall at the threshold ≥ 0.95', () => {
  assert.deepEqual(chooseBandLayout(0.7, 128), { bands: 25, rows: 5 });
  assert.deepEqual(chooseBandLayout(0.9, 128), { bands: 10, rows: 12 });
  for (const threshold of [0.3, 0.5, 0.6, 0.75, 0.85, 0.95, 1]) {
    const layout = chooseBandLayout(threshold, 128);
    assert.ok(layout.bands * layout.rows <= 128);
    assert.ok(candidateProbability(threshold, layout) >= 0.95, `threshold ${threshold}`);
  }
});

test('buckets group members whose band rows are equal, per band', () => {
  // Four signatures of 4 rows, 2 bands × 2 rows: 0 and 1 share band 0; 1 and 2 share band 1; 3 shares nothing.
  const signatures = Uint32Array.of(1, 2, 3, 4, 1, 2, 5, 6, 9, 9, 5, 6, 7, 7, 7, 7);
  const buckets: number[][] = [];
  forEachBandBucket(signatures, 4, Uint32Array.of(0, 1, 2, 3), { bands: 2, rows: 2 }, (bucket) => buckets.push([...bucket]));
  assert.deepEqual(buckets, [[0, 1], [1, 2]]);
});

test('only the listed members take part', () => {
  const signatures = Uint32Array.of(1, 1, 1, 1, 1, 1);
  const buckets: number[][] = [];
  forEachBandBucket(signatures, 2, Uint32Array.of(0, 2), { bands: 1, rows: 2 }, (bucket) => buckets.push([...bucket]));
  assert.deepEqual(buckets, [[0, 2]]);
});

test('rejects a layout larger than the signature', () => {
  assert.throws(() => forEachBandBucket(new Uint32Array(8), 4, Uint32Array.of(0, 1), { bands: 3, rows: 2 }, () => {}), RangeError);
});
