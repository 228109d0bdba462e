import { person, type Person } from './content/people.ts';
import { deriveSeed, createRandom, type Random } from './random.ts';
import type { DemoSource } from './types.ts';

/**
 * The people behind the traffic, one population per product. A user's consent habit and whether
 * they will ask for erasure are functions of (seed, product, index), so only three flags per user
 * are kept while generating: one byte each, a few hundred kilobytes at ten million events.
 */

export type ConsentHabit = 'granted' | 'revokes' | 'declined' | 'never';

export interface DemoUser {
  index: number;
  id: string;
  habit: ConsentHabit;
  /** Will send an erasure request at the end of one of their sessions. */
  erases: boolean;
  name: Person;
  locale: string;
  /** First session of this user: the consent prompt is shown now. */
  firstSession: boolean;
}

export const LOCALES = ['en-GB', 'en-US', 'de-DE', 'nl-NL', 'fr-FR', 'en-IE'];

const SEEN = 1;
const REVOKED = 2;
const ERASED = 4;

export class UserPool {
  readonly source: DemoSource;
  readonly size: number;
  private readonly seed: number;
  private readonly habits: ReadonlyArray<readonly [number, ConsentHabit]>;
  private readonly erasureRate: number;
  private readonly flags: Uint8Array;
  private readonly prefix: string;

  constructor(seed: number, source: DemoSource, size: number, habits: ReadonlyArray<readonly [number, ConsentHabit]>, erasureRate: number) {
    this.seed = seed;
    this.source = source;
    this.size = size;
    this.habits = habits;
    this.erasureRate = erasureRate;
    this.flags = new Uint8Array(size);
    this.prefix = source === 'support-web' ? 'cus_' : 'dev_';
  }

  /** Heavy users come back often: a power-law pick, so a few users own many sessions. Erased users never return. */
  pick(random: Random): DemoUser | null {
    for (let attempt = 0; attempt < 8; attempt++) {
      const index = Math.min(this.size - 1, Math.floor(this.size * random.float() ** 1.7));
      if (this.flags[index]! & ERASED) continue;
      const firstSession = (this.flags[index]! & SEEN) === 0;
      this.flags[index] = this.flags[index]! | SEEN;
      return { ...this.profile(index), firstSession };
    }
    return null;
  }

  get seen(): number {
    let n = 0;
    for (const f of this.flags) if (f & SEEN) n++;
    return n;
  }

  /** A revoking user revokes once, in a later session. */
  markRevoked(index: number): boolean {
    if (this.flags[index]! & REVOKED) return false;
    this.flags[index] = this.flags[index]! | REVOKED;
    return true;
  }

  markErased(index: number): void {
    this.flags[index] = this.flags[index]! | ERASED;
  }

  private profile(index: number): Omit<DemoUser, 'firstSession'> {
    const random = createRandom(deriveSeed(this.seed, this.source === 'support-web' ? 1 : 2, index));
    const tag = random.chars('0123456789abcdef', 6);
    return {
      index, id: `${this.prefix}${index.toString(36)}${tag}`, habit: random.weighted(this.habits), erases: random.chance(this.erasureRate),
      name: person(random), locale: random.pick(LOCALES),
    };
  }
}
