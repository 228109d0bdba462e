import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countEqualRows, createMinHasher, estimateJaccard, EMPTY_ROW, hasEqualRows } from '../../src/dedup/minhash.ts';
import { normalizeText } from '../../src/dedup/normalize.ts';
import { shingleHashes } from '../../src/dedup/shingles.ts';
import { createTextGenerator, trueJaccard } from './text-generator.ts';

const minHasher = createMinHasher();

test('signatures are deterministic Uint32Arrays of 128 rows', () => {
  const shingles = shingleHashes(normalizeText('the same text gives the same signature everywhere'));
  const signature = minHasher.signature(shingles);
  assert.ok(signature instanceof Uint32Array);
  assert.equal(signature.length, 128);
  assert.deepEqual(createMinHasher().signature(shingles), signature);
  assert.notDeepEqual(createMinHasher({ seed: 1 }).signature(shingles), signature);
});

test('signatures are pinned for the default seed', () => {
  // Signatures may be stored between runs: a change here must be a deliberate, versioned one.
  const signature = minHasher.signature(shingleHashes(normalizeText('The quick brown fox jumps over the lazy dog')));
  assert.deepEqual([...signature.slice(0, 4)], [0x0ce3eef2, 0x02bbf933, 0x0b0b3dc0, 0x32a7dcc4]);
});

test('an empty shingle set gives the empty signature', () => {
  assert.ok(minHasher.signature(new Uint32Array(0)).every((row) => row === EMPTY_ROW));
});

test('identical sets estimate 1; the order of shingles does not matter', () => {
  const shingles = shingleHashes(normalizeText('one two three four five six seven eight nine ten'));
  assert.equal(estimateJaccard(minHasher.signature(shingles), minHasher.signature(shingles.slice().reverse())), 1);
});

/**
 * Sets of shingles with an exact Jaccard: `shared` words-windows in common plus private ones,
 * built from real text shingles so the test exercises the same hash inputs as production.
 */
function pairWithJaccard(jaccard: number, union: number, seed: number): [Uint32Array, Uint32Array] {
  const generator = createTextGenerator(seed);
  const all = [...new Set(shingleHashes(generator.words(union + 40).join(' ')))].slice(0, union);
  assert.equal(all.length, union);
  const shared = Math.round(jaccard * union);
  const onlyA = Math.floor((union - shared) / 2);
  return [Uint32Array.from(all.slice(0, shared + onlyA)), Uint32Array.from([...all.slice(0, shared), ...all.slice(shared + onlyA)])];
}

for (const jaccard of [0.5, 0.8, 0.9]) {
  test(`estimates J=${jaccard} without bias and with binomial spread over 500 pairs`, () => {
    const errors: number[] = [];
    for (let seed = 0; seed < 500; seed++) {
      const [a, b] = pairWithJaccard(jaccard, 200, seed * 7919 + 1);
      errors.push(estimateJaccard(minHasher.signature(a), minHasher.signature(b)) - jaccard);
    }
    const bias = errors.reduce((sum, e) => sum + e, 0) / errors.length;
    const meanAbsolute = errors.reduce((sum, e) => sum + Math.abs(e), 0) / errors.length;
    const spread = Math.sqrt(errors.reduce((sum, e) => sum + (e - bias) ** 2, 0) / errors.length);
    const binomial = Math.sqrt((jaccard * (1 - jaccard)) / 128);
    assert.ok(meanAbsolute < 0.1, `mean |error| ${meanAbsolute}`);
    assert.ok(Math.abs(bias) < 0.01, `bias ${bias}`);
    // Correlated permutations would widen the spread beyond that of 128 independent draws.
    assert.ok(spread < binomial * 1.2, `spread ${spread} vs binomial ${binomial}`);
  });
}

test('tracks the true Jaccard of edited texts', () => {
  const generator = createTextGenerator(99);
  let totalError = 0;
  const pairs = 200;
  for (let i = 0; i < pairs; i++) {
    const base = generator.words(150);
    const edited = generator.edit(base, 1 + (i % 12));
    const [a, b] = [base.join(' '), edited.join(' ')];
    const estimate = estimateJaccard(minHasher.signature(shingleHashes(a)), minHasher.signature(shingleHashes(b)));
    totalError += Math.abs(estimate - trueJaccard(a, b));
  }
  assert.ok(totalError / pairs < 0.05, `mean |error| ${totalError / pairs}`);
});

test('hasEqualRows answers countEqualRows >= needed for every threshold, at any offsets', () => {
  // Two flat arrays of 3 signatures of 16 rows; rows equal with growing frequency.
  const rows = 16;
  const a = new Uint32Array(3 * rows);
  const b = new Uint32Array(3 * rows);
  for (let i = 0; i < a.length; i++) {
    a[i] = i;
    b[i] = i % (1 + Math.floor(i / rows)) === 0 ? i : i + 1000;
  }
  for (let sig = 0; sig < 3; sig++) {
    const equal = countEqualRows(a, sig * rows, b, sig * rows, rows);
    for (let needed = -1; needed <= rows + 1; needed++) {
      assert.equal(hasEqualRows(a, sig * rows, b, sig * rows, rows, needed), equal >= needed, `signature ${sig}, ${equal} equal, needed ${needed}`);
    }
  }
});
