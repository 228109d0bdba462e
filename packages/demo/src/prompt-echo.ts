import type { Random } from './random.ts';

/**
 * Remembers recent personal-data-free prompts so later sessions can ask them again, verbatim or
 * lightly edited: the duplicate and near-duplicate rate is a knob rather than an accident of the
 * templates. Bounded: a ring of the last `capacity` items.
 */
export class PromptEcho<T> {
  private readonly ring: T[] = [];
  private readonly capacity: number;
  private next = 0;

  constructor(capacity = 256) {
    this.capacity = capacity;
  }

  remember(item: T): void {
    if (this.ring.length < this.capacity) this.ring.push(item);
    else this.ring[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  recall(random: Random): T | undefined {
    return this.ring.length === 0 ? undefined : random.pick(this.ring);
  }
}

export type EchoKind = 'exact' | 'near' | null;

/** Whether this session repeats an earlier prompt, and how. */
export function echoKind(random: Random, rates: { exact: number; near: number }): EchoKind {
  const draw = random.float();
  return draw < rates.exact ? 'exact' : draw < rates.exact + rates.near ? 'near' : null;
}
