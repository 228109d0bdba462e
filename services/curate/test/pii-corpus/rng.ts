import { createSeededRandom } from '../../src/dedup/seeded-random.ts';

/** Draws for the corpus templates, on top of the seeded SplitMix32 used elsewhere in curate. */
export interface Rng {
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `[weight, value]` pairs; weights need not sum to one. */
  weighted<T>(items: ReadonlyArray<readonly [number, T]>): T;
  chars(alphabet: string, length: number): string;
  /** Shuffles in place (Fisher-Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[];
  digits(length: number): string;
}

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const HEX = '0123456789abcdef';

export function createRng(seed: number): Rng {
  const random = createSeededRandom(seed);
  const int = (min: number, max: number): number => min + random.nextInt(max - min + 1);
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[random.nextInt(items.length)] as T;
  };
  const chars = (alphabet: string, length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[random.nextInt(alphabet.length)];
    return out;
  };
  return {
    int,
    chance: (probability) => random.nextFloat() < probability,
    pick,
    weighted<T>(items: ReadonlyArray<readonly [number, T]>): T {
      const total = items.reduce((sum, [weight]) => sum + weight, 0);
      let draw = random.nextFloat() * total;
      for (const [weight, value] of items) {
        draw -= weight;
        if (draw < 0) return value;
      }
      return pick(items)[1];
    },
    chars,
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = random.nextInt(i + 1);
        [items[i], items[j]] = [items[j] as T, items[i] as T];
      }
      return items;
    },
    digits: (length) => chars(DIGITS, length),
  };
}
