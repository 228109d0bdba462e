/**
 * bench/curate/minhash: MinHash signature throughput on one core, Sluice's 32-bit affine
 * permutations side by side with the textbook formula run naively in JavaScript — datasketch's
 * h_i(x) = ((a_i·x + b_i) mod (2⁶¹ − 1)) & (2³² − 1) with BigInt — on the same shingles, plus
 * the whole near-dedup operator on a synthetic corpus with planted duplicates (and, with
 * --short-corpus 1000000, on a million ~25-word texts: the "bounded time at 1M" check).
 * Near copies of short texts mostly fall below J = 0.8 — one substitution in 25 words already
 * changes 5 of ~21 shingles — so fewer are found there, as intended.
 *
 *   node bench/curate/minhash.ts [--docs 20000] [--baseline-docs 300] [--corpus 100000] [--short-corpus 0]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { chooseBandLayout } from '../../services/curate/src/dedup/lsh.ts';
import { createMinHasher, DEFAULT_MINHASH_SEED } from '../../services/curate/src/dedup/minhash.ts';
import type { DedupStats } from '../../services/curate/src/dedup/clusters.ts';
import { nearDedup, type DedupItem } from '../../services/curate/src/dedup/near-dedup.ts';
import { normalizeText } from '../../services/curate/src/dedup/normalize.ts';
import { createSeededRandom } from '../../services/curate/src/dedup/seeded-random.ts';
import { shingleHashes } from '../../services/curate/src/dedup/shingles.ts';
import { createChatTextGenerator } from './chat-texts.ts';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '20000' },
    'baseline-docs': { type: 'string', default: '300' },
    corpus: { type: 'string', default: '100000' },
    'short-corpus': { type: 'string', default: '0' },
  },
});
const NUM_PERM = 128;

/** Runs `work(i)` for i in [0, count) after a warm-up; returns items per second. */
function throughput(count: number, work: (i: number) => void): number {
  for (let i = 0; i < Math.min(count, 200); i++) work(i);
  const started = performance.now();
  for (let i = 0; i < count; i++) work(i);
  return count / ((performance.now() - started) / 1000);
}

function createBigIntMinHasher(numPerm: number, seed: number): (shingles: Uint32Array) => Uint32Array {
  const MERSENNE_61 = (1n << 61n) - 1n;
  const random = createSeededRandom(seed);
  const draw = (): bigint => ((BigInt(random.nextUint32()) << 32n) | BigInt(random.nextUint32())) % MERSENNE_61;
  const a = Array.from({ length: numPerm }, () => 1n + (draw() % (MERSENNE_61 - 1n)));
  const b = Array.from({ length: numPerm }, draw);
  return (shingles) => {
    const signature = new Uint32Array(numPerm).fill(0xffff_ffff);
    for (const shingle of shingles) {
      const x = BigInt(shingle);
      for (let i = 0; i < numPerm; i++) {
        const value = Number(((a[i]! * x + b[i]!) % MERSENNE_61) & 0xffff_ffffn);
        if (value < signature[i]!) signature[i] = value;
      }
    }
    return signature;
  };
}

// --- Signatures --------------------------------------------------------------------------------
const docs = Number(values.docs);
const generator = createChatTextGenerator(1);
const texts = Array.from({ length: docs }, () => generator.text());
const shingles = texts.map((text) => shingleHashes(normalizeText(text)));
const meanWords = texts.reduce((sum, text) => sum + text.split(/\s+/).length, 0) / docs;
const meanShingles = shingles.reduce((sum, s) => sum + s.length, 0) / docs;

const minHasher = createMinHasher({ numPerm: NUM_PERM });
const sluiceSignatures = throughput(docs, (i) => minHasher.signature(shingles[i]!));
const bigIntSignature = createBigIntMinHasher(NUM_PERM, DEFAULT_MINHASH_SEED);
const baselineSignatures = throughput(Number(values['baseline-docs']), (i) => bigIntSignature(shingles[i % docs]!));
const sluiceFromText = throughput(docs, (i) => minHasher.signature(shingleHashes(normalizeText(texts[i]!))));

// --- Near-dedup end to end ---------------------------------------------------------------------
interface CorpusRun { docs: number; words: number; seconds: number; plantedExact: number; plantedNear: number; stats: DedupStats }

/** 80% originals, 10% exact copies (re-cased, re-spaced), 10% near copies (1–3 word substitutions). */
function dedupPlantedCorpus(size: number, words: number, seed: number): CorpusRun {
  const corpusGenerator = createChatTextGenerator(seed, words);
  const originals = Math.round(size * 0.8);
  const plantedExact = Math.round((size - originals) / 2);
  const corpus: DedupItem[] = [];
  for (let i = 0; i < size; i++) {
    let text: string;
    if (i < originals) text = corpusGenerator.text();
    else {
      const source = corpus[corpusGenerator.random.nextInt(originals)]!.text;
      text = i < originals + plantedExact
        ? `  ${source.toUpperCase().replaceAll(' ', '  ')}`
        : corpusGenerator.nearCopy(source, 1 + corpusGenerator.random.nextInt(3));
    }
    corpus.push({ id: `doc-${i}`, text, order: i });
  }
  const started = performance.now();
  const { stats } = nearDedup(corpus);
  return { docs: size, words, seconds: (performance.now() - started) / 1000, plantedExact, plantedNear: size - originals - plantedExact, stats };
}

const corpusRuns = [dedupPlantedCorpus(Number(values.corpus), 200, 2)];
if (Number(values['short-corpus']) > 0) corpusRuns.push(dedupPlantedCorpus(Number(values['short-corpus']), 25, 3));

// --- Report ------------------------------------------------------------------------------------
const rate = (perSecond: number): string => `${Math.round(perSecond).toLocaleString('en-US')} docs/s`;
console.log(`\nMinHash, ${NUM_PERM} permutations, one core — ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log(`${docs} chat-like texts, ${meanWords.toFixed(0)} words / ${meanShingles.toFixed(0)} shingles on average\n`);
console.log('| Measurement | Throughput | vs naive |');
console.log('|---|---|---|');
console.log(`| naive: BigInt (a·x+b) mod (2^61−1) (datasketch's formula), signature from shingles | ${rate(baselineSignatures)} | 1× |`);
console.log(`| Sluice: 32-bit affine permutations on murmur3 shingles, signature from shingles | ${rate(sluiceSignatures)} | ${(sluiceSignatures / baselineSignatures).toFixed(0)}× |`);
console.log(`| Sluice: normalize + shingle + signature, from raw text | ${rate(sluiceFromText)} | ${(sluiceFromText / baselineSignatures).toFixed(0)}× |`);
const layout = chooseBandLayout(0.8, NUM_PERM);
console.log(`\nNear-dedup end to end at threshold 0.8 (normalize, sha256, MinHash, LSH ${layout.bands}×${layout.rows}, verification, union-find):\n`);
console.log('| Docs | Words/doc | Time | Docs/s | Planted exact / near | Found exact / near | Candidate pairs verified |');
console.log('|---|---|---|---|---|---|---|');
for (const run of corpusRuns) {
  console.log(
    `| ${run.docs.toLocaleString('en-US')} | ~${run.words} | ${run.seconds.toFixed(1)} s | ${rate(run.docs / run.seconds)} | ` +
      `${run.plantedExact} / ${run.plantedNear} | ${run.stats.exactDuplicates} / ${run.stats.nearDuplicates} | ${run.stats.candidatePairs} |`,
  );
}
