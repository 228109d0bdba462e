import { createSeededRandom, type SeededRandom } from '../../src/dedup/seeded-random.ts';
import { normalizeText } from '../../src/dedup/normalize.ts';
import { shingleHashes } from '../../src/dedup/shingles.ts';

/**
 * Deterministic synthetic texts for dedup tests: words drawn from a vocabulary of pseudo-words,
 * edited by random substitutions and insertions. The same seed always gives the same texts.
 */
export interface TextGenerator {
  readonly random: SeededRandom;
  words(count: number): string[];
  /** `edits` random word substitutions or insertions (half each, on average). */
  edit(words: readonly string[], edits: number): string[];
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo', 'zi', 'pa', 'do', 'gu', 'he', 'ji', 'bo', 'fe'];

export function createTextGenerator(seed: number, vocabularySize = 5000): TextGenerator {
  const random = createSeededRandom(seed);
  const vocabulary = Array.from({ length: vocabularySize }, (_, i) => {
    let word = '';
    for (let n = i + vocabularySize; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
    return word;
  });
  const word = (): string => vocabulary[random.nextInt(vocabulary.length)]!;
  return {
    random,
    words: (count) => Array.from({ length: count }, word),
    edit(words, edits) {
      const edited = [...words];
      for (let i = 0; i < edits; i++) {
        const position = random.nextInt(edited.length);
        if (random.nextFloat() < 0.5) edited[position] = word();
        else edited.splice(position, 0, word());
      }
      return edited;
    },
  };
}

/** The true Jaccard similarity of two texts' shingle sets: the quantity MinHash estimates. */
export function trueJaccard(a: string, b: string): number {
  const setA = new Set(shingleHashes(normalizeText(a)));
  const setB = new Set(shingleHashes(normalizeText(b)));
  let shared = 0;
  for (const shingle of setA) if (setB.has(shingle)) shared++;
  return shared / (setA.size + setB.size - shared);
}

/** Fisher–Yates with the seeded generator. */
export function shuffled<T>(values: readonly T[], random: SeededRandom): T[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
