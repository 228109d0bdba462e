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
