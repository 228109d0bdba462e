import type { Sample } from '@sluice/core';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FLUSH_BYTES = 4 * 1024 * 1024;

/**
 * Where a curation run keeps its candidate samples between the per-sample steps and dedup: a
 * temporary local file of JSON texts, so memory holds only their offsets. Dedup needs every
 * candidate before it can decide which to keep; holding them all as objects cost ~10 KB each
 * (3 GB at a million events). The file lives in the OS temp directory and is removed by `close`.
 *
 * Samples are numbered 0, 1, 2… in the order appended; `read` returns any of them by number.
 */
export class SampleSpill {
  readonly #dir: string;
  readonly #fd: number;
  #offsets = new Float64Array(1024);
  #count = 0;
  #written = 0;
  #pending: string[] = [];
  #pendingBytes = 0;

  constructor(directory: string = tmpdir()) {
    this.#dir = mkdtempSync(join(directory, 'sluice-curate-spill-'));
    this.#fd = openSync(join(this.#dir, 'samples.jsonl'), 'w+');
  }

  get size(): number {
    return this.#count;
  }

  /** Appends a sample; returns its number. */
  append(sample: Sample): number {
    const json = JSON.stringify(sample);
    const bytes = Buffer.byteLength(json);
    if (this.#count + 1 >= this.#offsets.length) {
      const larger = new Float64Array(this.#offsets.length * 2);
      larger.set(this.#offsets);
      this.#offsets = larger;
    }
    const start = this.#offsets[this.#count]!;
    this.#offsets[++this.#count] = start + bytes;
    this.#pending.push(json);
    this.#pendingBytes += bytes;
    if (this.#pendingBytes >= FLUSH_BYTES) this.#flush();
    return this.#count - 1;
  }

  /** The samples with these numbers, in the order asked. */
  read(numbers: readonly number[]): Sample[] {
    this.#flush();
    return numbers.map((n) => {
      if (!(n >= 0 && n < this.#count)) throw new RangeError(`no spilled sample ${n} (${this.#count} spilled)`);
      const start = this.#offsets[n]!;
      const buffer = Buffer.allocUnsafe(this.#offsets[n + 1]! - start);
      let done = 0;
      while (done < buffer.length) done += readSync(this.#fd, buffer, done, buffer.length - done, start + done);
      return JSON.parse(buffer.toString('utf8')) as Sample;
    });
  }

  close(): void {
    closeSync(this.#fd);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const text = Buffer.from(this.#pending.join(''));
    let done = 0;
    while (done < text.length) done += writeSync(this.#fd, text, done, text.length - done, this.#written + done);
    this.#written += text.length;
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
