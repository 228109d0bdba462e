import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMinHasher, estimateJaccard } from '../../src/dedup/minhash.ts';
import { createDeduplicator, createStreamingDeduplicator, nearDedup, type DedupItem } from '../../src/dedup/near-dedup.ts';
import { normalizeText } from '../../src/dedup/normalize.ts';
import { shingleHashes } from '../../src/dedup/shingles.ts';
import { createTextGenerator, shuffled, trueJaccard } from './text-generator.ts';

const items = (...texts: string[]): DedupItem[] => texts.map((text, i) => ({ id: `t${i}`, text, order: i }));

test('exact duplicates modulo whitespace, case and punctuation share one representative', () => {
  const result = nearDedup(items('Where is my order?', 'where is my ORDER', '  Where  is\tmy order ? ', 'Where is my refund?'));
  assert.deepEqual(result.duplicateOf, [null, 't0', 't0', null]);
  assert.deepEqual(result.stats, { items: 4, exactDuplicates: 2, nearDuplicates: 0, clusters: 1, kept: 2, candidatePairs: 0 });
  assert.deepEqual(result.clusters, [{ representative: 't0', duplicates: ['t1', 't2'] }]);
});

/** `count` (base, edited) text pairs whose true Jaccard satisfies `accept`, each from a fresh base. */
function pairs(seed: number, count: number, words: number, edits: () => number, accept: (jaccard: number) => boolean): [string, string, number][] {
  const generator = createTextGenerator(seed);
  const found: [string, string, number][] = [];
  while (found.length < count) {
    const base = generator.words(words);
    const a = base.join(' ');
    const b = generator.edit(base, edits()).join(' ');
    const jaccard = trueJaccard(a, b);
    if (accept(jaccard)) found.push([a, b, jaccard]);
  }
  return found;
}

test('near-duplicates at J ≥ 0.85 are found and J ≤ 0.5 are not merged (200 pairs each)', (t) => {
  const similarRandom = createTextGenerator(11).random;
  const dissimilarRandom = createTextGenerator(12).random;
  // With 5-word shingles one edit changes up to 5 shingles: a 60-word text is at J ≈ 0.84 after a
  // single substitution, so the high-similarity pairs use 200-word texts (1–3 edits, J 0.85–0.98).
  const similar = pairs(1, 200, 200, () => 1 + (similarRandom.nextInt(3)), (j) => j >= 0.85);
  const dissimilar = pairs(2, 200, 60, () => 6 + dissimilarRandom.nextInt(10), (j) => j <= 0.5 && j >= 0.2);
  const all = [...similar, ...dissimilar].flatMap(([a, b], pair) => [
    { id: `p${pair}a`, text: a, order: 2 * pair },
    { id: `p${pair}b`, text: b, order: 2 * pair + 1 },
  ]);
  const { duplicateOf, stats } = nearDedup(all);
  const merged = (pair: number): boolean => duplicateOf[2 * pair + 1] === `p${pair}a`;
  const found = similar.filter((_, pair) => merged(pair)).length;
  const falseMerges = dissimilar.filter((_, pair) => merged(similar.length + pair)).length;
  t.diagnostic(`recall ${found}/${similar.length} (min J ${Math.min(...similar.map((p) => p[2])).toFixed(3)}), false merges ${falseMerges}/${dissimilar.length}`);
  assert.ok(found / similar.length >= 0.95, `recall ${found}/${similar.length}`);
  assert.ok(falseMerges / dissimilar.length <= 0.02, `false merges ${falseMerges}/${dissimilar.length}`);
  assert.ok(duplicateOf.every((rep, i) => i % 2 === 0 ? rep === null : rep === null || rep === `p${(i - 1) / 2}a`), 'no merges across pairs');
  assert.equal(stats.nearDuplicates, found + falseMerges);
});

test('the representative is the best rank, then the earliest order, then the smallest id', () => {
  const text = 'please summarize this support ticket for me';
  const result = nearDedup([
    { id: 'c', text, order: 1 },
    { id: 'b', text, order: 5, rank: 2 },
    { id: 'a', text, order: 9, rank: 2 },
    { id: 'd', text, order: 0, rank: 1 },
  ]);
  assert.deepEqual(result.clusters, [{ representative: 'b', duplicates: ['a', 'd', 'c'] }]);
  const byOrder = nearDedup([{ id: 'z', text, order: 1 }, { id: 'y', text, order: 2 }]);
  assert.deepEqual(byOrder.duplicateOf, [null, 'z']);
  const byId = nearDedup([{ id: 'n', text, order: 1 }, { id: 'm', text, order: 1 }]);
  assert.deepEqual(byId.duplicateOf, ['m', null]);
});

test('results do not depend on input order (shuffled five times)', () => {
  const generator = createTextGenerator(5);
  const input: DedupItem[] = [];
  for (let family = 0; family < 30; family++) {
    const base = generator.words(120);
    for (let copy = 0; copy < 4; copy++) {
      const words = copy === 0 ? base : generator.edit(base, copy);
      const item: DedupItem = { id: `f${family}-${copy}`, text: copy === 3 ? words.join(' ').toUpperCase() : words.join(' '), order: generator.random.nextInt(1000) };
      input.push(copy === 2 ? { ...item, rank: family % 3 } : item);
    }
  }
  const mapping = (result: ReturnType<typeof nearDedup>, order: readonly DedupItem[]): Map<string, string | null> =>
    new Map(order.map((item, i) => [item.id, result.duplicateOf[i]!]));
  const expected = nearDedup(input);
  for (let round = 0; round < 5; round++) {
    const order = shuffled(input, generator.random);
    const result = nearDedup(order);
    assert.deepEqual(mapping(result, order), mapping(expected, input));
    assert.deepEqual(result.clusters, expected.clusters);
    // candidatePairs is a work counter: pairs already joined are skipped, which depends on order.
    assert.deepEqual({ ...result.stats, candidatePairs: 0 }, { ...expected.stats, candidatePairs: 0 });
  }
});

test('clusters are transitive: A~B and B~C merge A and C even when A≁C', () => {
  const minHasher = createMinHasher();
  const estimate = (a: string, b: string): number =>
    estimateJaccard(minHasher.signature(shingleHashes(normalizeText(a))), minHasher.signature(shingleHashes(normalizeText(b))));
  const generator = createTextGenerator(21);
  // A chain where each link is a contiguous 10-word replacement: J(A,B) ≈ J(B,C) ≈ 0.87, J(A,C) ≈ 0.75.
  for (let attempt = 0; attempt < 20; attempt++) {
    const a = generator.words(200);
    const b = [...generator.words(10), ...a.slice(10)];
    const c = [...b.slice(0, 190), ...generator.words(10)];
    const [textA, textB, textC] = [a.join(' '), b.join(' '), c.join(' ')];
    if (estimate(textA, textB) < 0.8 || estimate(textB, textC) < 0.8 || estimate(textA, textC) >= 0.8) continue;
    const result = nearDedup(items(textC, textA, textB));
    assert.deepEqual(result.duplicateOf, [null, 't0', 't0']);
    assert.equal(result.stats.nearDuplicates, 2);
    return;
  }
  assert.fail('no chain with the required similarities was generated');
});

test('short texts (fewer than five words) match only when equal after normalization', () => {
  const result = nearDedup(items('Reset password', 'reset PASSWORD!', 'reset my password', 'reset your password', 'hi'));
  assert.deepEqual(result.duplicateOf, [null, 't0', null, null, null]);
});

test('empty texts are exact duplicates of each other and of nothing else', () => {
  const result = nearDedup(items('', '   ', '...', 'something real here'));
  assert.deepEqual(result.duplicateOf, [null, 't0', 't0', null]);
  assert.equal(nearDedup(items('')).stats.kept, 1);
  assert.deepEqual(nearDedup([]).stats, { items: 0, exactDuplicates: 0, nearDuplicates: 0, clusters: 0, kept: 0, candidatePairs: 0 });
});

test('unicode: compatibility forms are exact duplicates, non-Latin near-duplicates are found', () => {
  const exact = nearDedup(items('ｶﾀｶﾅ テキスト', 'カタカナ テキスト', 'Ｆｕｌｌ ｗｉｄｔｈ', 'full width'));
  assert.deepEqual(exact.duplicateOf, [null, 't0', null, 't2']);
  const greek = createTextGenerator(8).words(100).map((word) => [...word].map((ch) => String.fromCodePoint(0x3b1 + (ch.charCodeAt(0) % 24))).join(''));
  const edited = [...greek];
  edited[50] = 'διαφορετικό';
  const near = nearDedup(items(greek.join(' '), edited.join(' ')));
  assert.deepEqual(near.duplicateOf, [null, 't0']);
  assert.ok(trueJaccard(greek.join(' '), edited.join(' ')) < 1);
});

test('exact mode merges identical texts only', () => {
  const base = createTextGenerator(3).words(200);
  const edited = [...base];
  edited[100] = 'changed';
  const texts = items(base.join(' '), edited.join(' '), base.join('  '));
  assert.deepEqual(nearDedup(texts, { mode: 'exact' }).duplicateOf, [null, null, 't0']);
  assert.deepEqual(nearDedup(texts).duplicateOf, [null, 't0', 't0']);
});

test('the threshold is configurable', () => {
  const generator = createTextGenerator(4);
  const base = generator.words(100);
  const [a, b] = [base.join(' '), generator.edit(base, 2).join(' ')];
  assert.ok(trueJaccard(a, b) < 0.9);
  assert.deepEqual(nearDedup(items(a, b), { threshold: 0.7 }).duplicateOf, [null, 't0']);
  assert.deepEqual(nearDedup(items(a, b), { threshold: 0.99 }).duplicateOf, [null, null]);
});

test('a large family of templated near-duplicates collapses into one cluster', () => {
  const generator = createTextGenerator(6);
  const template = generator.words(80);
  const family = Array.from({ length: 400 }, (_, i) => {
    const words = [...template];
    words[40] = `ticket-${i}`;
    return words.join(' ');
  });
  const result = nearDedup(items(...family, ...family));
  assert.equal(result.stats.clusters, 1);
  assert.equal(result.stats.kept, 1);
  assert.equal(result.stats.exactDuplicates, 400);
  assert.equal(result.stats.nearDuplicates, 399);
  assert.ok(result.stats.candidatePairs < 400 * 64, `verified ${result.stats.candidatePairs} pairs`);
});

test('rejects malformed items and options', () => {
  assert.throws(() => nearDedup([{ id: 'a', text: 'x', order: Number.NaN }]), TypeError);
  assert.throws(() => nearDedup([{ id: 'a', text: 'x', order: 1, rank: Number.NaN }]), TypeError);
  assert.throws(() => createDeduplicator({ threshold: 0 }), RangeError);
  assert.throws(() => createDeduplicator({ threshold: 1.5 }), RangeError);
  assert.throws(() => createDeduplicator({ bands: { bands: 20, rows: 7 } }), RangeError);
});

test('fed one item at a time, the streaming form gives the batch result; exact groups tell exact from near drops', () => {
  const generator = createTextGenerator(7);
  const base = generator.words(200);
  const texts = [base.join(' '), generator.edit(base, 1).join(' '), base.join(' ').toUpperCase(), generator.words(200).join(' ')];
  const batch = nearDedup(items(...texts));
  const streaming = createStreamingDeduplicator();
  for (const item of items(...texts)) streaming.add(item);
  const streamed = streaming.finish();
  assert.deepEqual(streamed, batch);
  assert.deepEqual(streamed.duplicateOf, [null, 't0', 't0', null]);
  const { exactGroupOf, representativeIndex } = streamed;
  assert.equal(exactGroupOf[2], exactGroupOf[representativeIndex[2]!], 't2 differs from t0 only in case: exact');
  assert.notEqual(exactGroupOf[1], exactGroupOf[representativeIndex[1]!], 't1 is an edit of t0: near');
});
