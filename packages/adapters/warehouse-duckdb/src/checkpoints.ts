import type { DuckDbDatabase } from './database.ts';

/**
 * When to CHECKPOINT (fold the WAL into the database file). The adapter checkpoints itself, once
 * `threshold` bytes were written AND nothing is waiting to be materialised; DuckDB's own trigger
 * stays as a backstop that bounds the WAL under sustained overload (when the backlog never
 * empties). Origin (docs/decisions/0005): while acknowledged bodies were staged in the ingest_log
 * table, a checkpoint wrote them into the file only to delete them later, which doubled the cost
 * of a staging commit and made materialising 4.7x slower. Since decision 0010 they are staged in
 * files, and the policy keeps a checkpoint's cost (≈1.5–2 µs of DuckDB CPU per event, measured
 * under load) out of busy periods; a load that never lets the backlog empty pays it at the
 * backstop instead.
 */
export function backstopBytes(thresholdBytes: number): number {
  return Math.max(8 * thresholdBytes, 4 * 2 ** 30);
}

export interface CheckpointPolicy {
  /** Records bytes a committed transaction wrote (an estimate: its parameters' sizes). */
  wrote(bytes: number): void;
  /** Checkpoints when enough was written and `nothingStaged`; called after commits. */
  maybeCheckpoint(nothingStaged: boolean): void;
}

export function createCheckpointPolicy(db: DuckDbDatabase, thresholdBytes: number): CheckpointPolicy {
  let written = 0;
  let running = false;
  return {
    wrote(bytes) {
      written += bytes;
    },
    maybeCheckpoint(nothingStaged) {
      if (running || !nothingStaged || written < thresholdBytes) return;
      running = true;
      written = 0;
      // A failed checkpoint loses nothing (the WAL stays); the next commits try again.
      void db.transaction(() => db.run('CHECKPOINT'), { implicit: true })
        .catch(() => { written = thresholdBytes; })
        .finally(() => { running = false; });
    },
  };
}

const UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

/** '64MB', '1GiB', '512 kb' → bytes, as DuckDB reads memory sizes; throws on anything else. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[(match?.[2] || 'b').toLowerCase()];
  if (!match || unit === undefined) throw new TypeError(`not a size: ${JSON.stringify(text)}`);
  return Math.round(Number(match[1]) * unit);
}
