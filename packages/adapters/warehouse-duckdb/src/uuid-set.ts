/**
 * A compact set of UUIDs (≈27–40 bytes an id, against ≈100 for a Set of strings). The warehouse
 * keeps one per source to answer "was this event_id stored before?" without an index in DuckDB (a
 * per-row PRIMARY KEY costs more than the whole insert; see docs/decisions/0002-embedded-group-commit.md).
 *
 * Extendible hashing over small open-addressing tables, so that growing never stops the ingest
 * thread for long: a directory of 2^depth entries, chosen by the low bits of an id's hash, points to
 * buckets. A bucket is a linear-probing table of 16-byte slots, indexed by the hash's bits from 16
 * up, that doubles at 60% load until it has BUCKET_SLOTS slots; past that it splits in two by one
 * more hash bit. A split or a doubling moves at most one bucket's ids (≈10,000: 11–14 ms at worst,
 * measured at 3M and 10M ids). One table for all ids, as before, stopped the thread for 150 ms to
 * rehash 2.5M ids, 300 ms at 5M, and twice as long at every doubling after that (decision 0021).
 */
const EMPTY_SENTINEL_WORDS = 4;
/**
 * Slots of a full-sized bucket (256 KB); the directory then grows instead. With 4,096-slot buckets
 * an add cost 0.205 µs at 10M ids against 0.17 for one table (more buckets than the caches hold);
 * with 16,384 it costs the same as one table (0.163–0.166), and a split, the longest pause, 11–14 ms.
 */
const BUCKET_SLOTS = 16_384;
/** The directory uses the hash's low bits and a bucket its bits from 16 up: at most 16 of each. */
const MAX_DIRECTORY_DEPTH = 16;
const SLOT_SHIFT = 16;
const MAX_LOAD = 0.6;

/** One linear-probing table: the ids whose hash ends in the `depth` low bits it stands for. */
interface Bucket {
  slots: Uint32Array;
  mask: number;
  size: number;
  /** How many low hash bits all of its ids share (its "local depth"). */
  depth: number;
}

function newBucket(capacity: number, depth: number): Bucket {
  return { slots: new Uint32Array(capacity * 4), mask: capacity - 1, size: 0, depth };
}

export class UuidSet {
  #directory: Bucket[];
  #depth = 0;
  #size = 0;
  /** The nil UUID is all zeros, which is also how an empty slot reads. */
  #hasNil = false;
  readonly #words = new Uint32Array(EMPTY_SENTINEL_WORDS);
  /** Where warm() leaves what it read, so the compiler cannot drop the reads as unused. */
  // eslint-disable-next-line no-unused-private-class-members -- written only, on purpose (see warm)
  #warmed = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity * MAX_LOAD < initialCapacity && capacity < BUCKET_SLOTS) capacity *= 2;
    this.#directory = [newBucket(capacity, 0)];
  }

  get size(): number {
    return this.#size;
  }

  has(uuid: string): boolean {
    if (!this.#parse(uuid)) return false;
    if (this.#isNil()) return this.#hasNil;
    const hash = this.#hash();
    return find(this.#bucketOf(hash), hash, this.#words) >= 0;
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
   * they are added one by one. With millions of ids the tables are far bigger than the CPU caches
   * and each add waits for a cache miss; these reads do not depend on each other, so the CPU
   * overlaps their misses, and the adds then find their slots cached (−20–25% per add on 3M ids,
   * measured with the bench's ids and with random ones).
   */
  warm(words: Uint32Array, count: number): void {
    const directory = this.#directory;
    const directoryMask = directory.length - 1;
    let sum = 0;
    for (let k = 0; k < count * 4; k += 4) {
      const hash = hashWords(words[k]!, words[k + 1]!, words[k + 2]!, words[k + 3]!);
      const bucket = directory[hash & directoryMask]!;
      sum += bucket.slots[((hash >>> SLOT_SHIFT) & bucket.mask) * 4]!;
    }
    this.#warmed = sum;
  }

  /** Removes the id held as four words at `words[at…at+3]`; returns false when it was not present. */
  deleteWords(words: Uint32Array, at: number): boolean {
    this.#load(words, at);
    return this.#deleteParsed();
  }

  /** Removes the id; returns false when it was not present. */
  delete(uuid: string): boolean {
    if (!this.#parse(uuid)) return false;
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
    const hash = this.#hash();
    let bucket = this.#bucketOf(hash);
    const found = find(bucket, hash, this.#words);
    if (found >= 0) return false;
    if (bucket.size + 1 > (bucket.mask + 1) * MAX_LOAD) {
      this.#makeRoom(bucket);
      bucket = this.#bucketOf(hash);
      insert(bucket, hash, this.#words);
    } else {
      // The empty slot that ended the search is where the id goes: no second probe.
      bucket.slots.set(this.#words, ~found * 4);
    }
    bucket.size++;
    this.#size++;
    return true;
  }

  #deleteParsed(): boolean {
    if (this.#isNil()) {
      const removed = this.#hasNil;
      this.#hasNil = false;
      if (removed) this.#size--;
      return removed;
    }
    const hash = this.#hash();
    const bucket = this.#bucketOf(hash);
    if (!remove(bucket, hash, this.#words)) return false;
    bucket.size--;
    this.#size--;
    return true;
  }

  #bucketOf(hash: number): Bucket {
    return this.#directory[hash & (this.#directory.length - 1)]!;
  }

  /** A full bucket doubles below BUCKET_SLOTS, else splits in two (the directory doubling first if it must). */
  #makeRoom(bucket: Bucket): void {
    const capacity = bucket.mask + 1;
    if (capacity < BUCKET_SLOTS || bucket.depth >= MAX_DIRECTORY_DEPTH) {
      const grown = newBucket(capacity * 2, bucket.depth);
      moveAll(bucket, [grown], 0);
      this.#replace(bucket, [grown]);
      return;
    }
    if (bucket.depth === this.#depth) {
      // Every bucket keeps its entries; each now has twice as many directory entries.
      this.#directory = [...this.#directory, ...this.#directory];
      this.#depth++;
    }
    const halves = [newBucket(capacity, bucket.depth + 1), newBucket(capacity, bucket.depth + 1)];
    moveAll(bucket, halves, bucket.depth);
    this.#replace(bucket, halves);
  }

  /** Points the directory entries of `old` at its replacement: by the next hash bit when it was split in two. */
  #replace(old: Bucket, by: readonly Bucket[]): void {
    const directory = this.#directory;
    for (let i = 0; i < directory.length; i++) {
      if (directory[i] === old) directory[i] = by.length === 1 ? by[0]! : by[(i >>> old.depth) & 1]!;
    }
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
}

/** The slot holding `words[0…3]`, or ~slot of the empty slot that ends its probe run (negative) when absent. */
function find(bucket: Bucket, hash: number, w: Uint32Array): number {
  const { slots, mask } = bucket;
  for (let i = (hash >>> SLOT_SHIFT) & mask; ; i = (i + 1) & mask) {
    const o = i * 4;
    const a = slots[o]!, b = slots[o + 1]!, c = slots[o + 2]!, d = slots[o + 3]!;
    if ((a | b | c | d) === 0) return ~i;
    if (a === w[0] && b === w[1] && c === w[2] && d === w[3]) return i;
  }
}

/** Puts `words[0…3]` (known absent, with room left) in the first empty slot of its probe run. */
function insert(bucket: Bucket, hash: number, words: Uint32Array, at = 0): void {
  const { slots, mask } = bucket;
  for (let i = (hash >>> SLOT_SHIFT) & mask; ; i = (i + 1) & mask) {
    const o = i * 4;
    if ((slots[o]! | slots[o + 1]! | slots[o + 2]! | slots[o + 3]!) === 0) {
      slots[o] = words[at]!; slots[o + 1] = words[at + 1]!; slots[o + 2] = words[at + 2]!; slots[o + 3] = words[at + 3]!;
      return;
    }
  }
}

/** Moves every id of `from` into `to`: the one table, or the two halves chosen by hash bit `bit`. */
function moveAll(from: Bucket, to: readonly Bucket[], bit: number): void {
  const slots = from.slots;
  for (let o = 0; o < slots.length; o += 4) {
    if ((slots[o]! | slots[o + 1]! | slots[o + 2]! | slots[o + 3]!) === 0) continue;
    const hash = hashWords(slots[o]!, slots[o + 1]!, slots[o + 2]!, slots[o + 3]!);
    const target = to.length === 1 ? to[0]! : to[(hash >>> bit) & 1]!;
    insert(target, hash, slots, o);
    target.size++;
  }
}

/**
 * Removes `words[0…3]` from the bucket; false when it is not there. Backward-shift deletion: the
 * slots after the freed one, up to the next empty slot, move back when that brings them no
 * further from their home slot, so every probe run stays unbroken without tombstones.
 */
function remove(bucket: Bucket, hash: number, w: Uint32Array): boolean {
  const { slots, mask } = bucket;
  let hole = find(bucket, hash, w);
  if (hole < 0) return false;
  for (let i = (hole + 1) & mask; ; i = (i + 1) & mask) {
    const o = i * 4;
    if ((slots[o]! | slots[o + 1]! | slots[o + 2]! | slots[o + 3]!) === 0) break;
    const home = (hashWords(slots[o]!, slots[o + 1]!, slots[o + 2]!, slots[o + 3]!) >>> SLOT_SHIFT) & mask;
    // The entry at i may fill the hole unless its home lies cyclically in (hole, i].
    const homeAfterHole = hole <= i ? home > hole && home <= i : home > hole || home <= i;
    if (homeAfterHole) continue;
    slots.copyWithin(hole * 4, o, o + 4);
    hole = i;
  }
  slots.fill(0, hole * 4, hole * 4 + 4);
  return true;
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
