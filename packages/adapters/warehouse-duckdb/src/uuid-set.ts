/**
 * A compact set of UUIDs: open addressing over a Uint32Array, 16 bytes a slot, grown at 60% load
 * (≈27 bytes an id, against ≈100 for a Set of strings). The warehouse keeps one per source to
 * answer "was this event_id stored before?" without an index in DuckDB (a per-row PRIMARY KEY
 * costs more than the whole insert; see docs/decisions/0002-embedded-group-commit.md).
 */
const EMPTY_SENTINEL_WORDS = 4;

export class UuidSet {
  #slots: Uint32Array;
  #mask: number;
  #size = 0;
  /** The nil UUID is all zeros, which is also how an empty slot reads. */
  #hasNil = false;
  readonly #words = new Uint32Array(EMPTY_SENTINEL_WORDS);
  /** Where warm() leaves what it read, so the compiler cannot drop the reads as unused. */
  // eslint-disable-next-line no-unused-private-class-members -- written only, on purpose (see warm)
  #warmed = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity * 0.6 < initialCapacity) capacity *= 2;
    this.#slots = new Uint32Array(capacity * 4);
    this.#mask = capacity - 1;
  }

  get size(): number {
    return this.#size;
  }

  has(uuid: string): boolean {
    if (!this.#parse(uuid)) return false;
    if (this.#isNil()) return this.#hasNil;
    return this.#find(this.#slots, this.#mask) >= 0;
  }

  /** Adds the id; returns false when it was already present. Throws on a malformed UUID. */
  add(uuid: string): boolean {
    if (!this.#parse(uuid)) throw new TypeError(`not a UUID: ${uuid}`);
    return this.#addParsed();
  }

  /** Adds the id held as four words at `words[at…at+3]` (see uuidWords); returns false when it was already present. */
  addWords(words: Uint32Array, at: number): boolean {
    this.#load(words, at);
    return this.#addParsed();
  }

  /**
   * Reads the first slot each of `count` ids (four words each, from `words[0]`) would probe, before
   * they are added one by one. With millions of ids the table is far bigger than the CPU caches and
   * each add waits for a cache miss; these reads do not depend on each other, so the CPU overlaps
   * their misses, and the adds then find their slots cached (−20–25% per add on 3M ids, measured
   * with the bench's ids and with random ones).
   */
  warm(words: Uint32Array, count: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let sum = 0;
    for (let k = 0; k < count * 4; k += 4) sum += slots[(hashWords(words[k]!, words[k + 1]!, words[k + 2]!, words[k + 3]!) & mask) * 4]!;
    this.#warmed = sum;
  }

  /** Removes the id held as four words at `words[at…at+3]`; returns false when it was not present. */
  deleteWords(words: Uint32Array, at: number): boolean {
    this.#load(words, at);
    return this.#deleteParsed();
  }

  /** Copies an id's four words into #words (element by element: a subarray would allocate per id). */
  #load(words: Uint32Array, at: number): void {
    const w = this.#words;
    w[0] = words[at]!; w[1] = words[at + 1]!; w[2] = words[at + 2]!; w[3] = words[at + 3]!;
  }

  #addParsed(): boolean {
    if (this.#isNil()) {
      const added = !this.#hasNil;
      this.#hasNil = true;
      if (added) this.#size++;
      return added;
    }
    const found = this.#find(this.#slots, this.#mask);
    if (found >= 0) return false;
    if ((this.#size + 1) > (this.#mask + 1) * 0.6) {
      const pending = this.#words.slice(); // #grow re-hashes through #words
      this.#grow();
      this.#words.set(pending);
      this.#insert(this.#slots, this.#mask);
    } else {
      // The empty slot that ended the search is where the id goes: no second probe.
      this.#slots.set(this.#words, ~found * 4);
    }
    this.#size++;
    return true;
  }

  /**
   * Removes the id; returns false when it was not present. Backward-shift deletion: the slots after
   * the freed one, up to the next empty slot, move back when that brings them no further from
   * their home slot, so every probe run stays unbroken without tombstones.
   */
  delete(uuid: string): boolean {
    if (!this.#parse(uuid)) return false;
    return this.#deleteParsed();
  }

  #deleteParsed(): boolean {
    if (this.#isNil()) {
      const removed = this.#hasNil;
      this.#hasNil = false;
      if (removed) this.#size--;
      return removed;
    }
    const slots = this.#slots;
    const mask = this.#mask;
    let hole = this.#find(slots, mask);
    if (hole < 0) return false;
    const w = this.#words;
    for (let i = (hole + 1) & mask; ; i = (i + 1) & mask) {
      const o = i * 4;
      if ((slots[o]! | slots[o + 1]! | slots[o + 2]! | slots[o + 3]!) === 0) break;
      w[0] = slots[o]!; w[1] = slots[o + 1]!; w[2] = slots[o + 2]!; w[3] = slots[o + 3]!;
      const home = this.#hash() & mask;
      // The entry at i may fill the hole unless its home lies cyclically in (hole, i].
      const homeAfterHole = hole <= i ? home > hole && home <= i : home > hole || home <= i;
      if (homeAfterHole) continue;
      slots.copyWithin(hole * 4, o, o + 4);
      hole = i;
    }
    slots.fill(0, hole * 4, hole * 4 + 4);
    this.#size--;
    return true;
  }

  #parse(uuid: string): boolean {
    return uuidWords(uuid, this.#words, 0);
  }

  #isNil(): boolean {
    const w = this.#words;
    return (w[0]! | w[1]! | w[2]! | w[3]!) === 0;
  }

  #hash(): number {
    const w = this.#words;
    return hashWords(w[0]!, w[1]!, w[2]!, w[3]!);
  }

  /** The slot holding #words, or ~slot of the empty slot that ends its probe run (negative) when absent. */
  #find(slots: Uint32Array, mask: number): number {
    const w = this.#words;
    for (let i = this.#hash() & mask; ; i = (i + 1) & mask) {
      const o = i * 4;
      const a = slots[o]!, b = slots[o + 1]!, c = slots[o + 2]!, d = slots[o + 3]!;
      if ((a | b | c | d) === 0) return ~i;
      if (a === w[0] && b === w[1] && c === w[2] && d === w[3]) return i;
    }
  }

  #insert(slots: Uint32Array, mask: number): void {
    for (let i = this.#hash() & mask; ; i = (i + 1) & mask) {
      const o = i * 4;
      if ((slots[o]! | slots[o + 1]! | slots[o + 2]! | slots[o + 3]!) === 0) {
        slots.set(this.#words, o);
        return;
      }
    }
  }

  #grow(): void {
    const old = this.#slots;
    const capacity = (this.#mask + 1) * 2;
    const slots = new Uint32Array(capacity * 4);
    // Write every page once, in order, before the random inserts below: an insert reads its slot
    // first, and a first read maps the shared zero page, so the write after it faults again and
    // flushes the other cores' TLBs. 128 MB at 2.5M ids: the pause 195 -> 157 ms.
    slots.fill(0);
    const mask = capacity - 1;
    const w = this.#words;
    for (let o = 0; o < old.length; o += 4) {
      if ((old[o]! | old[o + 1]! | old[o + 2]! | old[o + 3]!) === 0) continue;
      w[0] = old[o]!; w[1] = old[o + 1]!; w[2] = old[o + 2]!; w[3] = old[o + 3]!;
      this.#insert(slots, mask);
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}

/** Mixes all four words: UUIDv7 puts a timestamp in the first ones, so no single word is enough. */
function hashWords(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 13), 0x27d4eb2f);
  h = Math.imul(h ^ d ^ (h >>> 16), 0x165667b1);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Each ASCII byte's value as a hex digit, or -1. */
const HEX_VALUES = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let c = 0; c < 10; c++) values[0x30 + c] = c;
  for (let c = 0; c < 6; c++) values[0x41 + c] = values[0x61 + c] = 10 + c;
  return values;
})();

/** Where the i-th of the 32 hex digits sits in a UUID with dashes (8-4-4-4-12). */
const DASHED_INDEX = Uint8Array.from({ length: 32 }, (_, i) => i + (i >= 8 ? 1 : 0) + (i >= 12 ? 1 : 0) + (i >= 16 ? 1 : 0) + (i >= 20 ? 1 : 0));

/**
 * Reads the 32 hex digits of `uuid` (dashes optional, any case) into `out[at…at+3]`, most
 * significant word first; false when it is not a UUID. It runs for every ingested event, so it
 * allocates nothing and branches little: each digit through a lookup table, the misfits collected
 * in one sign bit and checked once (~90 ns an id, against ~200 with a comparison chain per digit).
 */
export function uuidWords(uuid: string, out: Uint32Array, at: number): boolean {
  const dashed = uuid.length === 36;
  if (dashed) {
    if (uuid.charCodeAt(8) !== 0x2d || uuid.charCodeAt(13) !== 0x2d || uuid.charCodeAt(18) !== 0x2d || uuid.charCodeAt(23) !== 0x2d) return false;
  } else if (uuid.length !== 32) {
    return false;
  }
  // Negative once any digit is not hex: a -1 from the table, or a char beyond ASCII (0x7f - c < 0).
  let misfit = 0;
  for (let w = 0; w < 4; w++) {
    let word = 0;
    for (let d = w * 8; d < w * 8 + 8; d++) {
      const c = uuid.charCodeAt(dashed ? DASHED_INDEX[d]! : d);
      const value = HEX_VALUES[c & 0x7f]!;
      misfit |= value | (0x7f - c);
      word = (word << 4) | (value & 0xf);
    }
    out[at + w] = word >>> 0;
  }
  return misfit >= 0;
}
