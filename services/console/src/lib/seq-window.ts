/**
 * A log read in sequence order — the events or the quarantine table through the Warehouse port,
 * which offers "rows after sequence number N, oldest first" and nothing time-based.
 */
export interface SeqLog<T> {
  after(seq: number, limit: number): Promise<T[]>;
  seqOf(row: T): number;
  /** Received time (epoch ms): it grows with the sequence, both following commit order. */
  timeOf(row: T): number;
}

/** How far received time may run backwards along the sequence (request arrival vs commit order). */
export const SKEW_MS = 5 * 60_000;
const PAGE = 1000;

/**
 * The sequence number to read after to see every row received at or after `time`. A binary search
 * over sequence numbers with one-row probes: O(log n) cheap queries instead of a scan. It starts
 * SKEW_MS early so rows committed slightly out of order are not missed; callers filter exactly.
 */
export async function seqAtTime<T>(log: SeqLog<T>, time: number): Promise<number> {
  const target = time - SKEW_MS;
  // reaches(a): the row after `a` is absent or received at/after the target time.
  const reaches = async (a: number): Promise<boolean> => {
    const [row] = await log.after(a, 1);
    return row === undefined || log.timeOf(row) >= target;
  };
  if (await reaches(0)) return 0;
  let lo = 0;
  let hi = 1;
  while (!(await reaches(hi))) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await reaches(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface WindowScan {
  /** Read rows after this sequence number. */
  afterSeq: number;
  /** Received-time bounds (epoch ms, inclusive). */
  since?: number;
  until?: number;
  /** Rows to return at most. */
  limit: number;
  /** Rows to read at most in this call; the scan then stops and reports where to continue. */
  budget: number;
}

export interface WindowScanOf<T> extends WindowScan {
  /** A filter the store cannot apply itself. */
  match?: (row: T) => boolean;
}

export interface WindowPage<T> {
  rows: T[];
  /** Pass as afterSeq to continue; null when the window is exhausted. */
  nextAfterSeq: number | null;
  scanned: number;
}

/** Rows received within [since, until], oldest first, reading at most `budget` rows. */
export async function scanWindow<T>(log: SeqLog<T>, scan: WindowScanOf<T>): Promise<WindowPage<T>> {
  const rows: T[] = [];
  let cursor = scan.afterSeq;
  let scanned = 0;
  for (;;) {
    const want = Math.min(PAGE, scan.budget - scanned);
    const page = await log.after(cursor, want);
    for (const row of page) {
      cursor = log.seqOf(row);
      scanned++;
      const time = log.timeOf(row);
      if (scan.until !== undefined && time > scan.until + SKEW_MS) return { rows, nextAfterSeq: null, scanned };
      const inWindow = (scan.since === undefined || time >= scan.since) && (scan.until === undefined || time <= scan.until);
      if (inWindow && (scan.match === undefined || scan.match(row))) {
        rows.push(row);
        if (rows.length === scan.limit) return { rows, nextAfterSeq: cursor, scanned };
      }
    }
    if (page.length < want) return { rows, nextAfterSeq: null, scanned };
    if (scanned >= scan.budget) return { rows, nextAfterSeq: cursor, scanned };
  }
}
