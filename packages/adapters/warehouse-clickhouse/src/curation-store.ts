import type { CurationRun, CurationStore, ErasureRecord, ErasureRequest, EventScan, Sample, SampleScan, SnapshotUser, StoredEvent, StoredRuleset } from '@sluice/core';
import { Conditions } from './conditions.ts';
import {
  ERASURE_COLUMNS, RULESET_COLUMNS, RUN_COLUMNS, erasureRow, rowToken, rulesetRow, runRow, sampleRow, samplesToken, toErasure, toRuleset, toRun,
} from './curation-rows.ts';
import type { ClickHouseDatabase } from './database.ts';
import { EVENT_COLUMNS, toStoredEvent } from './rows.ts';
import type { Tables } from './tables.ts';

const EVENT_BATCH = 5000;
const SAMPLE_BATCH = 2000;
const SNAPSHOT_USER_BATCH = 50_000;
/** Users per erasure count and DELETE: the list travels as a query parameter (in the URL over HTTP). */
const ERASE_USERS_PER_STATEMENT = 1000;
/** Rows per row group of the samples file export reads (writeSamplesFile): export parses row groups on all cores; small ones share out evenly. */
const SAMPLES_FILE_ROW_GROUP = 4096;

/**
 * The CurationStore port on ClickHouse, every statement through the one execution point. What
 * differs from DuckDB (no transactions, state changes as replacing rows, erasure as a mutation)
 * is explained in ../README.md, "Curation tables".
 */
export function createClickHouseCurationStore(db: ClickHouseDatabase, tables: Tables): CurationStore {
  async function getCurationRun(runId: string): Promise<CurationRun | null> {
    const [row] = await db.query('getCurationRun', `SELECT ${RUN_COLUMNS} FROM ${tables.curationRuns} FINAL WHERE run_id = {id:String}`, { id: runId });
    return row === undefined ? null : toRun(row);
  }

  /*
   * Count (FINAL: events, not copies), delete, audit: per tenant one count and one DELETE for all
   * the users of the batch, then one insert of every audit row. No transaction spans them: the
   * delete is idempotent, and a retry after a failure between delete and audit records 0 deleted
   * events. The DELETE is a lightweight delete, i.e. a mutation: rows are masked at once (the
   * execution point waits for it on every replica) and physically dropped when their parts next
   * merge; one per tenant rather than per user, as each mutation has a fixed cost.
   */
  async function eraseUsers(requests: readonly ErasureRequest[]): Promise<ErasureRecord[]> {
    if (requests.length === 0) return [];
    const counted = new Map<string, { n: number; top: number }>();
    for (const [tenant, users] of usersByTenant(requests)) {
      const params = { tenant, users };
      const where = `tenant = {tenant:String} AND user_id IN {users:Array(String)} AND type != 'erasure_request'`;
      const rows = await db.query<{ u: string; n: number; top: number }>('eraseUsers: count',
        `SELECT user_id AS u, count() AS n, max(ingest_seq) AS top FROM ${tables.events} FINAL WHERE ${where} GROUP BY user_id`, params);
      for (const r of rows) counted.set(userOf({ tenant, userId: r.u }), { n: Number(r.n), top: Number(r.top) });
      if (rows.length > 0) await db.mutate('eraseUsers: delete', `DELETE FROM ${tables.events} WHERE ${where}`, params);
    }
    // A user's events go to their first request in the batch; a later one finds none left.
    const claimed = new Set<string>();
    const audited = requests.map((request) => {
      const user = userOf(request);
      const found = claimed.has(user) ? undefined : counted.get(user);
      claimed.add(user);
      const record: ErasureRecord = {
        tenant: request.tenant, userId: request.userId, userKey: request.userKey ?? null, requestEventId: request.requestEventId,
        deletedEvents: found?.n ?? 0, erasedAt: request.erasedAt,
      };
      return { record, row: erasureRow(record, found?.top ?? 0) };
    });
    const rows = audited.map((a) => a.row);
    await db.insert('eraseUsers: audit', tables.erasures, rows, rowToken('erasures', { rows }));
    return audited.map((a) => a.record);
  }

  return {
    async maxIngestSeq() {
      const [row] = await db.query<{ seq: number }>('maxIngestSeq', `SELECT max(ingest_seq) AS seq FROM ${tables.events}`);
      return Number(row?.seq ?? 0);
    },

    /*
     * Keyset pagination on ingest_seq: each page is one bounded query, nothing is held open
     * between chunks. FINAL so that race copies read once; every filter but ingest_seq is on the
     * sorting key (equal across copies), and WHERE applies after FINAL's merge, so a later copy
     * never shows through when the first one is paged past. The table is sorted by (tenant,
     * source, type, occurred_at, event_id), not ingest_seq: each page sorts what the key and the
     * ingest_seq minmax index leave, a scan rather than a seek (README, "Curation tables").
     */
    async *scanEvents(scan: EventScan): AsyncIterable<StoredEvent[]> {
      const batchSize = scan.batchSize ?? EVENT_BATCH;
      const where = new Conditions({ limit: batchSize });
      where.add('ingest_seq > {after:UInt64}', 'after', 0); // the key of the page before; rebound per page
      where.add('ingest_seq <= {upTo:UInt64}', 'upTo', scan.upToSeq);
      where.add('tenant = {tenant:String}', 'tenant', scan.tenant);
      where.add('source IN {sources:Array(String)}', 'sources', scan.sources);
      where.add('type IN {types:Array(String)}', 'types', scan.types);
      const sql = `SELECT ${EVENT_COLUMNS} FROM ${tables.events} FINAL ${where.sql()} ORDER BY ingest_seq LIMIT {limit:UInt32}`;
      let after = 0;
      for (;;) {
        const rows = await db.query('scanEvents', sql, { ...where.params, after });
        if (rows.length === 0) return;
        const events = rows.map(toStoredEvent);
        yield events;
        after = events[events.length - 1]!.ingestSeq;
        if (rows.length < batchSize) return;
      }
    },

    async saveRuleset(ruleset: StoredRuleset) {
      // A no-op when the version is stored. Two saves racing past this check both insert; FINAL
      // (ReplacingMergeTree on (name, hash)) still reads one row, with the same content.
      const [found] = await db.query<{ n: number }>('saveRuleset: exists',
        `SELECT count() AS n FROM ${tables.rulesets} WHERE name = {name:String} AND hash = {hash:String}`, { name: ruleset.name, hash: ruleset.hash });
      if ((found?.n ?? 0) > 0) return;
      const row = rulesetRow(ruleset);
      await db.insert('saveRuleset', tables.rulesets, [row], rowToken('rulesets', row));
    },

    async listRulesets(name?: string) {
      const where = new Conditions({});
      where.add('name = {name:String}', 'name', name);
      const rows = await db.query('listRulesets',
        `SELECT ${RULESET_COLUMNS} FROM ${tables.rulesets} FINAL ${where.sql()} ORDER BY created_at DESC, hash`, where.params);
      return rows.map(toRuleset);
    },

    async createCurationRun(run: CurationRun) {
      const row = runRow(run);
      await db.insert('createCurationRun', tables.curationRuns, [row], rowToken('curation_runs', row));
    },

    async appendSamples(runId: string, samples: readonly Sample[]) {
      if (samples.length === 0) return;
      await db.insert('appendSamples', tables.samples, samples.map((s) => sampleRow(runId, s)), samplesToken(runId, samples));
    },

    /*
     * No UPDATE: the finished state is the whole row inserted again with state_rank 1, which
     * FINAL prefers to the building row. Like an UPDATE of no rows, finishing an unknown run does
     * nothing.
     */
    async finishCurationRun(runId, result) {
      const run = await getCurationRun(runId);
      if (run === null) return;
      const row = runRow({ ...run, status: result.status, stats: result.stats, finishedAt: result.finishedAt });
      await db.insert('finishCurationRun', tables.curationRuns, [row], rowToken('curation_runs', row));
    },

    getCurationRun,

    async listCurationRuns(filter = {}) {
      // status is not in the sorting key and differs between a run's rows: WHERE filters the
      // rows FINAL kept, so a finished run is not listed as building.
      const where = new Conditions({});
      where.add('ruleset_name = {name:String}', 'name', filter.rulesetName);
      where.add('status = {status:String}', 'status', filter.status);
      const rows = await db.query('listCurationRuns',
        `SELECT ${RUN_COLUMNS} FROM ${tables.curationRuns} FINAL ${where.sql()} ORDER BY created_at DESC, run_id`, where.params);
      return rows.map(toRun);
    },

    /** Keyset pagination on sample_id inside the run's range of the sorting key: a seek per page. */
    async *scanSamples(scan: SampleScan): AsyncIterable<Sample[]> {
      const batchSize = scan.batchSize ?? SAMPLE_BATCH;
      const where = new Conditions({ limit: batchSize });
      where.add('run_id = {run:String}', 'run', scan.runId);
      where.add('sample_id > {after:String}', 'after', ''); // rebound per page
      where.add('split = {split:String}', 'split', scan.split);
      const sql = `SELECT sample_id AS id, sample AS body FROM ${tables.samples} ${where.sql()} ORDER BY sample_id LIMIT {limit:UInt32}`;
      let after = '';
      for (;;) {
        const rows = await db.query<{ id: string; body: string }>('scanSamples', sql, { ...where.params, after });
        if (rows.length === 0) return;
        yield rows.map((r) => JSON.parse(r.body) as Sample);
        after = rows[rows.length - 1]!.id;
        if (rows.length < batchSize) return;
      }
    },

    async writeSamplesFile(scan: { runId: string }, path: string) {
      const params = { run: scan.runId };
      await db.queryToFile('writeSamplesFile',
        `SELECT sample_id, toString(split) AS split, sample, toInt64(row_number() OVER (ORDER BY sample_id) - 1) AS rn
         FROM ${tables.samples} WHERE run_id = {run:String} ORDER BY sample_id
         SETTINGS output_format_parquet_row_group_size = ${SAMPLES_FILE_ROW_GROUP} FORMAT Parquet`, params, path);
      const [counted] = await db.query<{ n: number }>('writeSamplesFile: count', `SELECT count() AS n FROM ${tables.samples} WHERE run_id = {run:String}`, params);
      return Number(counted?.n ?? 0);
    },

    async eraseUser(request) {
      const [record] = await eraseUsers([request]);
      return record!;
    },

    eraseUsers,

    async registerSnapshotUsers(snapshotId: string, users: readonly SnapshotUser[]) {
      for (let i = 0; i < users.length; i += SNAPSHOT_USER_BATCH) {
        const rows = users.slice(i, i + SNAPSHOT_USER_BATCH).map((u) => ({ tenant: u.tenant, user_key: u.userKey, snapshot_id: snapshotId }));
        await db.insert('registerSnapshotUsers', tables.snapshotUsers, rows, rowToken('snapshot_users', { snapshotId, i, rows }));
      }
    },

    async snapshotErasures(snapshotIds: readonly string[]) {
      if (snapshotIds.length === 0) return [];
      const rows = await db.query<{ id: string; uk: string; req: string; erased_ms: number }>('snapshotErasures',
        `SELECT u.snapshot_id AS id, e.user_key AS uk, e.request_event_id AS req, toUnixTimestamp64Milli(e.erased_at) AS erased_ms
         FROM ${tables.snapshotUsers} AS u FINAL INNER JOIN ${tables.erasures} AS e ON e.tenant = u.tenant AND e.user_key = u.user_key
         WHERE u.snapshot_id IN {ids:Array(String)} ORDER BY id, erased_ms, req`, { ids: [...snapshotIds] });
      return rows.map((r) => ({ snapshotId: r.id, userKey: r.uk, requestEventId: r.req, erasedAt: Number(r.erased_ms) }));
    },

    async listErasures(tenant?: string) {
      const where = new Conditions({});
      where.add('tenant = {tenant:String}', 'tenant', tenant);
      const rows = await db.query('listErasures',
        `SELECT ${ERASURE_COLUMNS} FROM ${tables.erasures} ${where.sql()} ORDER BY erased_at DESC, user_id, request_event_id`, where.params);
      return rows.map(toErasure);
    },
  };
}

function userOf(u: { tenant: string; userId: string }): string {
  return `${u.tenant}\u0000${u.userId}`;
}

/** The distinct users of each tenant, in lists of at most ERASE_USERS_PER_STATEMENT. */
function usersByTenant(requests: readonly ErasureRequest[]): [string, string[]][] {
  const byTenant = new Map<string, Set<string>>();
  for (const r of requests) {
    const users = byTenant.get(r.tenant) ?? new Set<string>();
    users.add(r.userId);
    byTenant.set(r.tenant, users);
  }
  const lists: [string, string[]][] = [];
  for (const [tenant, users] of byTenant) {
    const all = [...users];
    for (let i = 0; i < all.length; i += ERASE_USERS_PER_STATEMENT) lists.push([tenant, all.slice(i, i + ERASE_USERS_PER_STATEMENT)]);
  }
  return lists;
}
