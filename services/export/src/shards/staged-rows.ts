import { open, type FileHandle } from 'node:fs/promises';

/** Lines buffered before a write: big enough to amortize syscalls, small enough to bound memory. */
const FLUSH_BYTES = 4 * 1024 * 1024;

/**
 * Rows of one (config, split), staged as JSON Lines on local disk in the order they were added.
 * Keeps the byte offset where every line ends, so shards can later be cut between rows by size.
 */
export class StagedRows {
  readonly path: string;
  /** lineEnds[i] is the byte offset just past row i's newline. */
  readonly lineEnds: number[] = [];
  #pending: string[] = [];
  #pendingBytes = 0;
  #bytes = 0;
  #handle: FileHandle | null = null;

  constructor(path: string) {
    this.path = path;
  }

  get rows(): number {
    return this.lineEnds.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** `line` is one JSON document without a newline. */
  add(line: string): void {
    const size = Buffer.byteLength(line) + 1;
    this.#bytes += size;
    this.lineEnds.push(this.#bytes);
    this.#pending.push(line);
    this.#pendingBytes += size;
  }

  get needsFlush(): boolean {
    return this.#pendingBytes >= FLUSH_BYTES;
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    this.#handle ??= await open(this.path, 'w');
    const text = this.#pending.join('\n') + '\n';
    this.#pending = [];
    this.#pendingBytes = 0;
    await this.#handle.write(text);
  }

  /** Flushes and closes the file; the rows can then be read by DuckDB. */
  async close(): Promise<void> {
    await this.flush();
    // An empty split still gets its (empty) file, so readers never meet a missing path.
    this.#handle ??= await open(this.path, 'w');
    if (this.#handle) await this.#handle.close();
    this.#handle = null;
  }
}

/**
 * Cuts `rows` into `count` contiguous, non-empty ranges of about equal bytes. Returns the first
 * row of each range plus the total, e.g. [0, 412, 830, 1200] for three ranges.
 */
export function balancedCuts(lineEnds: readonly number[], count: number): number[] {
  const rows = lineEnds.length;
  const parts = Math.max(1, Math.min(count, rows));
  const total = lineEnds[rows - 1] ?? 0;
  const cuts = [0];
  let row = 0;
  for (let k = 1; k < parts; k++) {
    const target = (total * k) / parts;
    while (row < rows && lineEnds[row]! <= target) row++;
    // Every range keeps at least one row, and leaves one for each range after it.
    const cut = Math.min(Math.max(row, cuts[k - 1]! + 1), rows - (parts - k));
    cuts.push(cut);
    row = cut;
  }
  cuts.push(rows);
  return cuts;
}
