import type { DuckDbDatabase } from './database.ts';
import { eventRow, INSERT_EVENTS } from './event-insert.ts';
import { eventsOfIngestLogRow, MATERIALIZE_INGEST_LOG_ROW } from './ingest-log.ts';
import { isDataRefused, MaterializeMismatch } from './materialize-errors.ts';

/**
 * Versions before docs/decisions/0010 staged acknowledged bodies in the `ingest_log` table. At
 * open, whatever such a version left there goes into `events`, one row per transaction that also
 * deletes it (exactly once across crashes), before the ids and sequences are loaded. Rows DuckDB
 * cannot take as they are (format 1, or a body it reads differently) go through JSON.parse in JS.
 */
export async function materializeLegacyIngestLog(db: DuckDbDatabase): Promise<number> {
  const rows = await db.query<{ log_seq: number; events: number }>('SELECT log_seq::DOUBLE AS log_seq, events FROM ingest_log ORDER BY log_seq');
  for (const { log_seq: logSeq, events } of rows) {
    const inSql = await db.transaction(async () => {
      const inserted = await db.run(MATERIALIZE_INGEST_LOG_ROW, [logSeq]);
      if (inserted !== events) throw new MaterializeMismatch(`${inserted} events materialised, ${events} expected`);
      await db.run('DELETE FROM ingest_log WHERE log_seq = $1', [logSeq]);
      return true;
    }).catch((error: unknown) => {
      if (isDataRefused(error)) return false;
      throw error;
    });
    if (inSql) continue;
    await db.transaction(async () => {
      const [row] = await db.writeQuery<{ format: number; bodies: Uint8Array; meta: string }>(
        'SELECT format, bodies, meta FROM ingest_log WHERE log_seq = $1', [logSeq]);
      if (row) {
        const parsed = eventsOfIngestLogRow(row.format, row.bodies, row.meta).map((e) => eventRow(e.event, e.seq, e.payload));
        if (parsed.length > 0) await db.run(INSERT_EVENTS, [JSON.stringify(parsed)]);
      }
      await db.run('DELETE FROM ingest_log WHERE log_seq = $1', [logSeq]);
    });
  }
  return rows.length;
}
