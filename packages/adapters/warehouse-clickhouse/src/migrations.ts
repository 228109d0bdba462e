import type { ClickHouseDatabase } from './database.ts';
import type { Tables } from './tables.ts';

/**
 * Schema of the ClickHouse warehouse, applied in order at open and recorded in schema_migrations.
 * Every statement is IF NOT EXISTS, so a migration interrupted half-way, or two processes opening
 * at once, converge. Append new migrations; never edit a shipped one. Why the tables look like
 * this is in ../README.md.
 *
 * events — ReplacingMergeTree: rows with the same sorting key collapse at merge time and under
 * FINAL. Every column of the key is therefore a deterministic function of the event as the
 * client sent it: tenant and source (from the write key), type, occurred_at (the client's clock)
 * and event_id. `timestamp` and `received_at` are NOT: both move when a retry reaches the server
 * later, so a key containing them would keep both copies. Curation's window on `timestamp` is
 * served by its minmax index (timestamp ≈ occurred_at for any sane clock). No PARTITION BY:
 * the only deterministic time is client-controlled, and a batch spanning many bogus months would
 * fail on max_partitions_per_insert_block; rows of one key must also share a partition to collapse.
 *
 * The version column keep_first makes FINAL keep the FIRST stored copy (greatest complement of
 * ingest_seq), so an ingest_seq a tailing reader has already seen stays valid.
 *
 * non_replicated_deduplication_window makes ClickHouse remember the last N insert tokens per
 * table: a retried insert with the same insert_deduplication_token is dropped. (On a cluster the
 * Replicated* engines use replicated_deduplication_window instead.)
 */
export interface Migration {
  id: number;
  name: string;
  statements(tables: Tables): string[];
}

const DEDUP_WINDOW = 1000;

export const migrations: readonly Migration[] = [
  {
    id: 1,
    name: 'events and quarantine',
    statements: (t) => [
      `CREATE TABLE IF NOT EXISTS ${t.events} (
        tenant       LowCardinality(String),
        source       LowCardinality(String),
        type         LowCardinality(String),
        occurred_at  DateTime64(3, 'UTC'),
        event_id     UUID,
        ingest_seq   UInt64,
        keep_first   UInt64 MATERIALIZED 18446744073709551615 - ingest_seq,
        sent_at      Nullable(DateTime64(3, 'UTC')),
        received_at  DateTime64(3, 'UTC'),
        timestamp    DateTime64(3, 'UTC'),
        user_id      Nullable(String),
        anonymous_id Nullable(String),
        session_id   Nullable(String),
        trace_id     Nullable(String),
        parent_id    Nullable(String),
        client_ip    Nullable(String),
        payload      String CODEC(ZSTD(3)),
        INDEX event_id_bloom    event_id   TYPE bloom_filter(0.001) GRANULARITY 1,
        INDEX timestamp_minmax  timestamp  TYPE minmax GRANULARITY 1,
        INDEX ingest_seq_minmax ingest_seq TYPE minmax GRANULARITY 1,
        INDEX user_id_bloom     user_id    TYPE bloom_filter(0.01) GRANULARITY 1,
        INDEX session_id_bloom  session_id TYPE bloom_filter(0.01) GRANULARITY 1
      )
      ENGINE = ReplacingMergeTree(keep_first)
      ORDER BY (tenant, source, type, occurred_at, event_id)
      SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
      // No natural key: a rejected event may lack an id. Retried batches are dropped by their
      // insert token alone, so a plain MergeTree (no FINAL needed to read it).
      `CREATE TABLE IF NOT EXISTS ${t.quarantine} (
        tenant         LowCardinality(String),
        source         LowCardinality(String),
        quarantine_seq UInt64,
        received_at    DateTime64(3, 'UTC'),
        event_id       Nullable(String),
        code           LowCardinality(String),
        pointer        String,
        message        String,
        payload        String CODEC(ZSTD(3))
      )
      ENGINE = MergeTree
      ORDER BY (tenant, source, quarantine_seq)
      SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
    ],
  },
  {
    // Curation's tables (the CurationStore port). Why each engine: ../README.md, "Curation tables".
    id: 2,
    name: 'curation: rulesets, runs, samples, erasure audit',
    statements: (t) => [
      // One row per (name, hash): FINAL collapses a save that raced past the existence check.
      `CREATE TABLE IF NOT EXISTS ${t.rulesets} (
        name        String,
        hash        String,
        content     String CODEC(ZSTD(3)),
        source_text String CODEC(ZSTD(3)),
        created_at  DateTime64(3, 'UTC')
      )
      ENGINE = ReplacingMergeTree
      ORDER BY (name, hash)
      SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
      // A run's state changes building → complete | failed by inserting the whole row again.
      // state_rank (0 building, 1 finished) is the version: FINAL keeps the finished row whatever
      // the clocks or the order in which parts merge.
      `CREATE TABLE IF NOT EXISTS ${t.curationRuns} (
        run_id       String,
        ruleset_name String,
        ruleset_hash String,
        watermark    UInt64,
        status       LowCardinality(String),
        stats        String CODEC(ZSTD(3)),
        created_at   DateTime64(3, 'UTC'),
        finished_at  Nullable(DateTime64(3, 'UTC')),
        state_rank   UInt8
      )
      ENGINE = ReplacingMergeTree(state_rank)
      ORDER BY run_id
      SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
      // Written once per run, read back in sample_id order: the sorting key is the read order.
      `CREATE TABLE IF NOT EXISTS ${t.samples} (
        run_id     String,
        sample_id  String,
        split      LowCardinality(String),
        tenant     LowCardinality(String),
        source     LowCardinality(String),
        model      LowCardinality(String),
        ingest_seq UInt64,
        sample     String CODEC(ZSTD(3))
      )
      ENGINE = MergeTree
      ORDER BY (run_id, sample_id)
      SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
      // Audit rows, never updated. max_erased_seq: the highest ingest_seq deleted, so that the
      // sequence counter started at open never hands out a number an erased event had.
      `CREATE TABLE IF NOT EXISTS ${t.erasures} (
        tenant           LowCardinality(String),
        user_id          String,
        request_event_id String,
        deleted_events   UInt64,
        erased_at        DateTime64(3, 'UTC'),
        max_erased_seq   UInt64
      )
      ENGINE = MergeTree
      ORDER BY (tenant, erased_at)
      SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
    ],
  },
  {
    // The snapshot registry's side of erasure (CurationStore.registerSnapshotUsers / snapshotErasures).
    // A snapshot id always holds the same users, so registering it again inserts equal rows, which
    // ReplacingMergeTree on the whole row collapses.
    id: 3,
    name: 'snapshot registry: the users of each published snapshot; erasures remember the pseudonymous user key',
    statements: (t) => [
      `CREATE TABLE IF NOT EXISTS ${t.snapshotUsers} (
        tenant      LowCardinality(String),
        user_key    String,
        snapshot_id String
      )
      ENGINE = ReplacingMergeTree
      ORDER BY (tenant, user_key, snapshot_id)
      SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
      `ALTER TABLE ${t.erasures} ADD COLUMN IF NOT EXISTS user_key Nullable(String)`,
    ],
  },
  {
    // Several landers on one warehouse (docs/decisions/0006): which of their reservations on the
    // sequence topic have landed. One row per landed reservation above the floor; the floor (every
    // reservation below it landed) only grows, so its table keeps the greatest and max() reads it.
    id: 4,
    name: 'landed reservations of the landers\' sequence topic',
    statements: (t) => [
      `CREATE TABLE IF NOT EXISTS ${t.landedReservations} (
        reservation UInt64
      )
      ENGINE = ReplacingMergeTree
      ORDER BY reservation
      SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
      `CREATE TABLE IF NOT EXISTS ${t.landedReservationsFloor} (
        floor UInt64
      )
      ENGINE = MergeTree
      ORDER BY floor
      SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
    ],
  },
];

/** Creates the database (when named and absent), schema_migrations, then every missing migration. */
export async function migrate(db: ClickHouseDatabase, tables: Tables, databaseName: string | undefined): Promise<void> {
  if (tables.database !== undefined && databaseName !== undefined) {
    // Checked first so that a user without the CREATE DATABASE grant can open a provisioned one.
    const [found] = await db.query<{ n: number }>('migrate: database', 'SELECT count() AS n FROM system.databases WHERE name = {name:String}', { name: databaseName });
    if ((found?.n ?? 0) === 0) await db.command('migrate: database', `CREATE DATABASE IF NOT EXISTS ${tables.database}`);
  }
  await db.command('migrate: schema_migrations', `CREATE TABLE IF NOT EXISTS ${tables.schemaMigrations} (
      id UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = ReplacingMergeTree ORDER BY id`);
  const applied = new Set((await db.query<{ id: number }>('migrate: applied', `SELECT id FROM ${tables.schemaMigrations}`)).map((r) => r.id));
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    for (const statement of migration.statements(tables)) await db.command(`migration ${migration.id}`, statement);
    await db.insert(`migration ${migration.id}`, tables.schemaMigrations, [{ id: migration.id, name: migration.name }], `migration-${migration.id}`);
  }
}
