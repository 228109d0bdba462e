/**
 * One buffer reused from one materialisation step to the next. A fresh multi-megabyte buffer per
 * step cost page faults and, as V8 counts external memory, extra garbage collections: draining
 * 300k events took 6.4–6.9 µs of CPU per event with fresh buffers and 4.9–5.1 with reused ones
 * (docs/decisions/0010).
 */
export class ScratchBuffer {
  #buffer = Buffer.allocUnsafeSlow(0);

  /** `size` bytes, valid until the next call (their content is whatever was there). */
  take(size: number): Buffer {
    if (this.#buffer.length < size) this.#buffer = Buffer.allocUnsafeSlow(Math.max(size, Math.ceil(this.#buffer.length * 1.5)));
    return this.#buffer.subarray(0, size);
  }
}

/**
 * A fixed buffer that keeps copies of byte strings in FIFO order: `put` places one after the
 * newest (wrapping to the start when the end is full), `shift` frees the oldest. One long-lived
 * allocation instead of one per record: holding fresh buffers until they are materialised made V8
 * run major collections on them (docs/decisions/0013).
 */
export class ByteRing {
  readonly #capacity: number;
  #buffer: Buffer | null = null;
  /** Live copies, oldest first: where each starts and ends. */
  readonly #live: Array<{ start: number; end: number }> = [];
  #reserved: Buffer | null = null;

  /** The byte written after each reservation (see keep). */
  readonly trailer: number;

  constructor(capacity: number, trailer = 0) {
    this.#capacity = capacity;
    this.trailer = trailer;
  }

  /** A copy of `parts`, one after the other, or null when they do not fit beside the live copies. */
  put(parts: readonly Uint8Array[]): Buffer | null {
    const size = parts.reduce((n, part) => n + part.length, 0);
    const start = this.#place(size);
    if (start === null) return null;
    this.#buffer ??= Buffer.allocUnsafeSlow(this.#capacity);
    let at = start;
    for (const part of parts) {
      this.#buffer.set(part, at);
      at += part.length;
    }
    this.#live.push({ start, end: at });
    return this.#buffer.subarray(start, at);
  }

  /**
   * `size` bytes where the next copy would go, for the caller to fill in place of building the
   * bytes elsewhere and copying them in; null when they do not fit or another reservation is open.
   * The reservation holds nothing until `keep` turns it into the newest live copy; `cancel` (or a
   * `keep` of other bytes) drops it.
   */
  reserve(size: number): Buffer | null {
    if (this.#reserved) return null;
    const start = this.#place(size + 1);
    if (start === null) return null;
    this.#buffer ??= Buffer.allocUnsafeSlow(this.#capacity);
    this.#reserved = this.#buffer.subarray(start, start + size);
    this.#buffer[start + size] = this.trailer;
    return this.#reserved;
  }

  /**
   * Keeps `bytes` as the newest copy: without copying when they are the open reservation, else as
   * `put([bytes])`. A kept reservation is followed by the byte `trailer` (held with it), so copies
   * kept one after the other read as one run of bytes with `trailer` between them.
   */
  keep(bytes: Buffer): Buffer | null {
    const reserved = this.#reserved;
    this.#reserved = null;
    if (reserved === null || !sameBytes(bytes, reserved)) return this.put([bytes]);
    const start = reserved.byteOffset - this.#buffer!.byteOffset;
    this.#live.push({ start, end: start + reserved.length + 1 });
    return reserved;
  }

  /** Drops the open reservation, if `bytes` are it. */
  cancel(bytes: Uint8Array): void {
    if (this.#reserved && sameBytes(bytes, this.#reserved)) this.#reserved = null;
  }

  /** Frees the oldest live copy. */
  shift(): void {
    this.#live.shift();
  }

  #place(size: number): number | null {
    const oldest = this.#live[0];
    const newest = this.#live.at(-1);
    if (!oldest || !newest) return size <= this.#capacity ? 0 : null;
    // Not wrapped: free space after the newest copy, then before the oldest.
    if (newest.end >= oldest.start) {
      if (this.#capacity - newest.end >= size) return newest.end;
      return size < oldest.start ? 0 : null;
    }
    // Wrapped: free space between the newest copy and the oldest.
    return oldest.start - newest.end > size ? newest.end : null;
  }
}

/** Whether two views are the same bytes of the same memory. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length;
}
