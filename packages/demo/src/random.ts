/**
 * The generator's only source of randomness: a small counter-based PRNG (SplitMix32 through the
 * murmur3 finalizer), so the same seed gives the same traffic on every machine and Node version,
 * which `Math.random` cannot promise. Every session draws from its own stream, derived from the
 * seed and the session's index, so one session's content never depends on how many draws another
 * one made.
 */

export interface Random {
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `[weight, value]` pairs; weights need not sum to one. */
  weighted<T>(items: ReadonlyArray<readonly [number, T]>): T;
  chars(alphabet: string, length: number): string;
  /** Exponentially distributed with the given mean (waiting times between user actions). */
  exponential(mean: number): number;
}

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const HEX = '0123456789abcdef';

export function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit seed for one stream: (seed, a, b) → an independent, well-mixed state. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = fmix32(seed ^ 0x5bd1e995);
  for (const part of parts) h = fmix32(h ^ fmix32(part + 0x9e3779b9));
  return h;
}

/** `--seed 42` and `--seed demo-2026` both work: integers are used as is, other text is hashed (FNV-1a). */
export function seedFrom(text: string | number): number {
  if (typeof text === 'number') return text >>> 0;
  if (/^\d+$/.test(text) && Number(text) <= 0xffff_ffff) return Number(text) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function createRandom(seed: number): Random {
  let state = seed | 0;
  const float = (): number => {
    state = (state + 0x9e3779b9) | 0;
    return fmix32(state) / 0x1_0000_0000;
  };
  const int = (min: number, max: number): number => min + Math.floor(float() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(float() * items.length)] as T;
  };
  return {
    float,
    int,
    chance: (probability) => float() < probability,
    pick,
    weighted<T>(items: ReadonlyArray<readonly [number, T]>): T {
      const total = items.reduce((sum, [weight]) => sum + weight, 0);
      let draw = float() * total;
      for (const [weight, value] of items) {
        draw -= weight;
        if (draw < 0) return value;
      }
      return items[items.length - 1]![1];
    },
    chars(alphabet, length) {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(float() * alphabet.length)];
      return out;
    },
    exponential: (mean) => -Math.log(1 - float()) * mean,
  };
}
