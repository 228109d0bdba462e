import type { CurationRun, CurationStore, ErasureRecord, ErasureRequest, EventScan, Sample, SampleScan, SnapshotUser, StoredEvent, StoredRuleset } from '@sluice/core';
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { DuckDbDatabase, Row } from './database.ts';
import { EVENT_COLUMNS, toStoredEvent } from './event-rows.ts';

/**
 * Rows per row group of the samples file export reads (writeSamplesFile): export parses row groups
 * on all its cores, so small ones share out evenly, and the COPY flushes them sooner (measured, 100k
 * samples: dump + parse median 1.07 s at 4,096 rows, 1.15 s at 8,192, 1.41 s at 16,384).
 */
const SAMPLES_FILE_ROW_GROUP = 4096;
const SAMPLE_ROW_TYPE = JSON.stringify([{ r: 'VARCHAR', id: 'VARCHAR', sp: 'VARCHAR', tn: 'VARCHAR', src: 'VARCHAR', m: 'VARCHAR', s: 'BIGINT', j: 'VARCHAR' }]);

/**
 * The DuckDB implementation of curation's side of the Warehouse port. `beforeRead` runs before
 * anything reads `events`, so acknowledged events still in ingest_log are there first.
 */
export function createDuckDbCurationStore(db: DuckDbDatabase, hooks: { beforeRead: () => Promise<void> }): CurationStore {
  async function eraseUsers(requests: readonly ErasureRequest[]): Promise<ErasureRecord[]> {
    if (requests.length === 0) return [];
    await hooks.beforeRead();
    // The users as one JSON parameter, joined against events: one count and one DELETE for the
    // whole batch, not a scan of the events table per request.
    const users = JSON.stringify(distinctUsers(requests));
    const byUser = `(SELECT unnest(from_json($1::VARCHAR, '${ERASED_USER_TYPE}'), recursive := true)) AS r`;
    const matches = `events.tenant = r.tenant AND events.user_id = r."userId" AND events.type <> 'erasure_request'`;
    return db.transaction(async () => {
      const counted = await db.writeQuery<{ tenant: string; userId: string; n: number; maxSeq: number }>(
        `SELECT r.tenant, r."userId", count(*)::DOUBLE AS n, max(events.ingest_seq)::DOUBLE AS "maxSeq"
         FROM events JOIN ${byUser} ON ${matches} GROUP BY ALL`, [users]);
      if (counted.length > 0) await db.run(`DELETE FROM events USING ${byUser} WHERE ${matches}`, [users]);
      const audited = auditRows(requests, new Map(counted.map((c) => [userOf(c), c])));
      await db.run(`INSERT INTO erasures (tenant, user_id, request_event_id, deleted_events, erased_at, max_erased_seq, user_key)
        SELECT tenant, "userId", "requestEventId", "deletedEvents", make_timestamp("erasedAt" * 1000), "maxSeq", "userKey"
        FROM (SELECT unnest(from_json($1::VARCHAR, '${AUDIT_ROW_TYPE}'), recursive := true))`, [JSON.stringify(audited)]);
      return audited.map(({ maxSeq: _, ...record }) => record);
    });
  }

  return {
    async maxIngestSeq() {
      await hooks.beforeRead();
      const [row] = await db.query<{ seq: number }>('SELECT coalesce(max(ingest_seq), 0)::DOUBLE AS seq FROM events');
      return row?.seq ?? 0;
    },

    async *scanEvents(scan: EventScan): AsyncIterable<StoredEvent[]> {
      await hooks.beforeRead();
      const batchSize = scan.batchSize ?? 5000;
      // Windows of ingest_seq, not LIMIT pages: a page `ingest_seq > $after … LIMIT n` reads the
      // payload of every later matching row to pick its first n, so a scan was quadratic (1M
      // events: ~55 s in 100-odd pages). A window only touches the row groups its range covers.
      const window = batchSize * 4;
      const where = ['ingest_seq > $after::BIGINT'];
      const params: Record<string, DuckDBValue> = {};
      if (scan.types) { where.push('list_contains($types::VARCHAR[], type)'); params.types = listValue([...scan.types]); }
      if (scan.sources) { where.push('list_contains($sources::VARCHAR[], source)'); params.sources = listValue([...scan.sources]); }
      if (scan.tenant !== undefined) { where.push('tenant = $tenant'); params.tenant = scan.tenant; }
      const filter = where.join(' AND ');
      // Sequence numbers are integers: a fractional watermark must not round up inside a BIGINT cast.
      const upTo = Math.floor(scan.upToSeq);
      let pending: StoredEvent[] = [];
      let after = 0;
      while (after < upTo) {
        const end = Math.min(after + window, upTo);
        const rows = await db.query(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${filter} AND ingest_seq <= $end::BIGINT ORDER BY ingest_seq`,
          { ...params, after, end });
        if (rows.length === 0) {
          // Skip a gap (sparse types, erased users) straight to the next matching event.
          const [next] = await db.query<{ seq: number | null }>(
            `SELECT min(ingest_seq)::DOUBLE AS seq FROM events WHERE ${filter} AND ingest_seq <= $upTo`, { ...params, after, upTo });
          if (next?.seq === null || next?.seq === undefined) break;
          after = next.seq - 1;
          continue;
        }
        for (const row of rows) pending.push(toStoredEvent(row));
        while (pending.length >= batchSize) {
          yield pending.slice(0, batchSize);
          pending = pending.slice(batchSize);
        }
        after = end;
      }
      if (pending.length > 0) yield pending;
    },

    async saveRuleset(ruleset: StoredRuleset) {
      await db.transaction(async () => {
        const existing = await db.writeQuery('SELECT 1 FROM rulesets WHERE name = $1 AND hash = $2', [ruleset.name, ruleset.hash]);
        if (existing.length > 0) return;
        await db.run('INSERT INTO rulesets VALUES ($1, $2, $3, $4, make_timestamp($5 * 1000))',
          [ruleset.name, ruleset.hash, ruleset.content, ruleset.sourceText, ruleset.createdAt]);
      });
    },

    async listRulesets(name?: string) {
      const rows = await db.query(
        `SELECT name, hash, content, source_text, epoch_ms(created_at)::DOUBLE AS created_at FROM rulesets
         ${name === undefined ? '' : 'WHERE name = $name'} ORDER BY created_at DESC, hash`, name === undefined ? {} : { name });
      return rows.map((r) => ({
        name: r.name as string, hash: r.hash as string, content: r.content as string,
        sourceText: r.source_text as string, createdAt: r.created_at as number,
      }));
    },

    async createCurationRun(run: CurationRun) {
      await db.transaction(() => db.run(
        'INSERT INTO curation_runs VALUES ($1, $2, $3, $4, $5, $6, make_timestamp($7 * 1000), NULL)',
        [run.runId, run.rulesetName, run.rulesetHash, run.watermark, run.status, JSON.stringify(run.stats), run.createdAt]));
    },

    async appendSamples(runId: string, samples: readonly Sample[]) {
      if (samples.length === 0) return;
      const rows = samples.map((s) => ({ r: runId, id: s.sampleId, sp: s.split, tn: s.tenant, src: s.source, m: s.model, s: s.ingestSeq, j: JSON.stringify(s) }));
      await db.transaction(() => db.run(
        `INSERT INTO samples SELECT r, id, sp, tn, src, m, s, j FROM (SELECT unnest(from_json($1::VARCHAR, '${SAMPLE_ROW_TYPE}'), recursive := true))`,
        [JSON.stringify(rows)]));
    },

    async finishCurationRun(runId, result) {
      await db.transaction(() => db.run(
        'UPDATE curation_runs SET status = $2, stats = $3, finished_at = make_timestamp($4 * 1000) WHERE run_id = $1',
        [runId, result.status, JSON.stringify(result.stats), result.finishedAt]));
    },

    async getCurationRun(runId: string) {
      const rows = await db.query(`${RUN_SELECT} WHERE run_id = $runId`, { runId });
      return rows[0] ? toRun(rows[0]) : null;
    },

    async listCurationRuns(filter = {}) {
      const where: string[] = [];
      const params: Record<string, string> = {};
      if (filter.rulesetName !== undefined) { where.push('ruleset_name = $name'); params.name = filter.rulesetName; }
      if (filter.status !== undefined) { where.push('status = $status'); params.status = filter.status; }
      const rows = await db.query(`${RUN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, run_id`, params);
      return rows.map(toRun);
    },

    async *scanSamples(scan: SampleScan): AsyncIterable<Sample[]> {
      const batchSize = scan.batchSize ?? 2000;
      let after = '';
      for (;;) {
        const rows = await db.query<{ sample_id: string; sample: string }>(
          `SELECT sample_id, sample FROM samples WHERE run_id = $runId AND sample_id > $after
           ${scan.split === undefined ? '' : 'AND split = $split'} ORDER BY sample_id LIMIT $limit`,
          { runId: scan.runId, after, limit: batchSize, ...(scan.split === undefined ? {} : { split: scan.split }) });
        if (rows.length === 0) return;
        yield rows.map((r) => JSON.parse(r.sample) as Sample);
        after = rows[rows.length - 1]!.sample_id;
        if (rows.length < batchSize) return;
      }
    },

    async writeSamplesFile(scan: { runId: string }, path: string) {
      // A parallel COPY straight from the table; the file is an intermediate, only its rows
      // matter. Not sorted: only the keys are, and each row gets its position (`rn`) by a join —
      // sorting the rows themselves moves all of their JSON and took longer than the whole rest.
      // No dictionaries: every sample's JSON is distinct, trying one is wasted work. Row groups
      // of SAMPLES_FILE_ROW_GROUP rows: a reader parses them on all its cores.
      const [written] = await db.query<{ Count: bigint }>(
        `COPY (SELECT s.sample_id, s.split, s.sample, k.rn FROM samples s
           JOIN (SELECT rowid AS row, row_number() OVER (ORDER BY sample_id) - 1 AS rn FROM samples WHERE run_id = $runId) k ON s.rowid = k.row
           WHERE s.run_id = $runId)
         TO '${path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION uncompressed, DICTIONARY_SIZE_LIMIT 1, ROW_GROUP_SIZE ${SAMPLES_FILE_ROW_GROUP})`,
        { runId: scan.runId });
      return Number(written?.Count ?? 0);
    },

    async eraseUser(request) {
      const [record] = await eraseUsers([request]);
      return record!;
    },

    eraseUsers,

    async listErasures(tenant?: string) {
      const rows = await db.query(
        `SELECT tenant, user_id, user_key, request_event_id, deleted_events::DOUBLE AS deleted_events, epoch_ms(erased_at)::DOUBLE AS erased_at
         FROM erasures ${tenant === undefined ? '' : 'WHERE tenant = $tenant'} ORDER BY erased_at DESC`, tenant === undefined ? {} : { tenant });
      return rows.map((r) => ({
        tenant: r.tenant as string, userId: r.user_id as string, userKey: (r.user_key as string | null) ?? null, requestEventId: r.request_event_id as string,
        deletedEvents: r.deleted_events as number, erasedAt: r.erased_at as number,
      }));
    },

    async registerSnapshotUsers(snapshotId: string, users: readonly SnapshotUser[]) {
      await db.transaction(async () => {
        await db.run('DELETE FROM snapshot_users WHERE snapshot_id = $1', [snapshotId]);
        if (users.length === 0) return;
        await db.run(`INSERT INTO snapshot_users SELECT $1, tenant, "userKey"
          FROM (SELECT unnest(from_json($2::VARCHAR, '[{"tenant": "VARCHAR", "userKey": "VARCHAR"}]'), recursive := true))`,
          [snapshotId, JSON.stringify(users)]);
      });
    },

    async snapshotErasures(snapshotIds: readonly string[]) {
      if (snapshotIds.length === 0) return [];
      const rows = await db.query(
        `SELECT u.snapshot_id, e.user_key, e.request_event_id, epoch_ms(e.erased_at)::DOUBLE AS erased_at
         FROM snapshot_users u JOIN erasures e ON e.tenant = u.tenant AND e.user_key = u.user_key
         WHERE list_contains($ids::VARCHAR[], u.snapshot_id) ORDER BY u.snapshot_id, e.erased_at, e.request_event_id`,
        { ids: listValue([...snapshotIds]) });
      return rows.map((r) => ({
        snapshotId: r.snapshot_id as string, userKey: r.user_key as string, requestEventId: r.request_event_id as string, erasedAt: r.erased_at as number,
      }));
    },
  };
}

const ERASED_USER_TYPE = JSON.stringify([{ tenant: 'VARCHAR', userId: 'VARCHAR' }]);
const AUDIT_ROW_TYPE = JSON.stringify([{
  tenant: 'VARCHAR', userId: 'VARCHAR', userKey: 'VARCHAR', requestEventId: 'VARCHAR', deletedEvents: 'BIGINT', erasedAt: 'BIGINT', maxSeq: 'BIGINT',
}]);

function userOf(u: { tenant: string; userId: string }): string {
  return `${u.tenant}\u0000${u.userId}`;
}

function distinctUsers(requests: readonly ErasureRequest[]): { tenant: string; userId: string }[] {
  const seen = new Map<string, { tenant: string; userId: string }>();
  for (const r of requests) seen.set(userOf(r), { tenant: r.tenant, userId: r.userId });
  return [...seen.values()];
}

/**
 * One audit row per request, in request order. A user's events go to their first request in the
 * batch; a later request for the same user finds none left (as when carried out one by one).
 */
function auditRows(requests: readonly ErasureRequest[], counted: Map<string, { n: number; maxSeq: number }>): (ErasureRecord & { maxSeq: number })[] {
  const claimed = new Set<string>();
  return requests.map((r) => {
    const user = userOf(r);
    const found = claimed.has(user) ? undefined : counted.get(user);
    claimed.add(user);
    return {
      tenant: r.tenant, userId: r.userId, userKey: r.userKey ?? null, requestEventId: r.requestEventId,
      deletedEvents: found?.n ?? 0, erasedAt: r.erasedAt, maxSeq: found?.maxSeq ?? 0,
    };
  });
}

const RUN_SELECT = `SELECT run_id, ruleset_name, ruleset_hash, watermark::DOUBLE AS watermark, status, stats,
  epoch_ms(created_at)::DOUBLE AS created_at, epoch_ms(finished_at)::DOUBLE AS finished_at FROM curation_runs`;

function toRun(r: Row): CurationRun {
  return {
    runId: r.run_id as string, rulesetName: r.ruleset_name as string, rulesetHash: r.ruleset_hash as string,
    watermark: r.watermark as number, status: r.status as CurationRun['status'],
    stats: JSON.parse(r.stats as string) as Record<string, unknown>,
    createdAt: r.created_at as number, finishedAt: (r.finished_at as number | null) ?? null,
  };
}
