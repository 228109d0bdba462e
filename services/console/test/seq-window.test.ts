import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SKEW_MS, scanWindow, seqAtTime, type SeqLog } from '../src/lib/seq-window.ts';

interface Row { seq: number; at: number }

/** An in-memory log with gaps in its sequence (erasures) that counts the reads it serves. */
function memoryLog(rows: Row[]): SeqLog<Row> & { reads: number } {
  const log = {
    reads: 0,
    async after(seq: number, limit: number) {
      log.reads++;
      return rows.filter((r) => r.seq > seq).slice(0, limit);
    },
    seqOf: (r: Row) => r.seq,
    timeOf: (r: Row) => r.at,
  };
  return log;
}

const MIN = 60_000;
// 10,000 rows one minute apart, every seventh sequence number missing.
const rows = Array.from({ length: 10_000 }, (_, i) => ({ seq: i + 1 + Math.floor(i / 6), at: i * MIN }));

describe('seqAtTime', () => {
  test('finds where the rows received at or after a time start, in O(log n) one-row reads', async () => {
    const log = memoryLog(rows);
    const after = await seqAtTime(log, 5000 * MIN);
    const next = rows.find((r) => r.seq > after)!;
    assert.equal(next.at, 5000 * MIN - SKEW_MS, 'starts SKEW_MS early');
    assert.ok(log.reads < 40, `${log.reads} reads`);
  });

  test('before the first row: 0; after the last: past the end', async () => {
    assert.equal(await seqAtTime(memoryLog(rows), -MIN * 100), 0);
    const end = await seqAtTime(memoryLog(rows), 20_000 * MIN);
    assert.ok(end >= rows[rows.length - 1]!.seq);
    assert.equal(await seqAtTime(memoryLog([]), 0), 0);
  });
});

describe('scanWindow', () => {
  test('returns the rows inside [since, until], oldest first, and where to continue', async () => {
    const log = memoryLog(rows);
    const page = await scanWindow(log, { afterSeq: 0, since: 10 * MIN, until: 20 * MIN, limit: 5, budget: 1000 });
    assert.deepEqual(page.rows.map((r) => r.at / MIN), [10, 11, 12, 13, 14]);
    const rest = await scanWindow(log, { afterSeq: page.nextAfterSeq!, since: 10 * MIN, until: 20 * MIN, limit: 50, budget: 1000 });
    assert.deepEqual(rest.rows.map((r) => r.at / MIN), [15, 16, 17, 18, 19, 20]);
    assert.equal(rest.nextAfterSeq, null, 'stops once rows are past until + skew');
    assert.ok(rest.scanned < 30);
  });

  test('stops at the read budget and hands back a cursor; applies a match filter', async () => {
    const page = await scanWindow(memoryLog(rows), { afterSeq: 0, limit: 100, budget: 250, match: (r) => r.at % (100 * MIN) === 0 });
    assert.equal(page.scanned, 250);
    assert.deepEqual(page.rows.map((r) => r.at / MIN), [0, 100, 200]);
    assert.equal(page.nextAfterSeq, rows[249]!.seq);
    const end = await scanWindow(memoryLog(rows.slice(0, 10)), { afterSeq: 0, limit: 100, budget: 250 });
    assert.equal(end.rows.length, 10);
    assert.equal(end.nextAfterSeq, null);
  });
});
