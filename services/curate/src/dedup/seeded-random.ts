import { fmix32 } from './murmur3.ts';

/**
 * A small deterministic PRNG (SplitMix32: a Weyl sequence through the murmur3 finalizer). Used
 * for MinHash parameters, where the same seed must give the same permutations on every machine
 * and Node version — which `Math.random` cannot promise — and by tests to generate data.
 */
export interface SeededRandom {
  /** Uniform in [0, 2³²). */
  nextUint32(): number;
  /** Uniform integer in [0, bound), bound ≤ 2³². */
  nextInt(bound: number): number;
  /** Uniform in [0, 1). */
  nextFloat(): number;
}

export function createSeededRandom(seed: number): SeededRandom {
  let state = seed | 0;
  const nextUint32 = (): number => {
    state = (state + 0x9e3779b9) | 0;
    return fmix32(state);
  };
  const nextFloat = (): number => nextUint32() / 0x1_0000_0000;
  return { nextUint32, nextFloat, nextInt: (bound) => Math.floor(nextFloat() * bound) };
}
