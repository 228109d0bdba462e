/**
 * Schema of the embedded warehouse, applied in order and recorded in schema_migrations so that
 * opening an existing file is idempotent. Append new migrations; never edit a shipped one.
 *
 * events: append-only raw log. The envelope fields that curation filters on are columns; the
 * event as the client sent it is kept whole in `payload`. No PRIMARY KEY: idempotency is checked
 * in memory against the ids loaded at open (a DuckDB ART index costs more than the insert).
 * Times are TIMESTAMP in UTC.
 */
export const migrations: ReadonlyArray<{ id: number; name: string; sql: string }> = [
  {
    id: 1,
    name: 'events and quarantine',
    sql: `
      CREATE TABLE events (
        ingest_seq   BIGINT    NOT NULL,
        event_id     UUID      NOT NULL,
        tenant       VARCHAR   NOT NULL,
        source       VARCHAR   NOT NULL,
        type         VARCHAR   NOT NULL,
        occurred_at  TIMESTAMP NOT NULL,
        sent_at      TIMESTAMP,
        received_at  TIMESTAMP NOT NULL,
        timestamp    TIMESTAMP NOT NULL,
        user_id      VARCHAR,
        anonymous_id VARCHAR,
        session_id   VARCHAR,
        trace_id     VARCHAR,
        parent_id    VARCHAR,
        client_ip    VARCHAR,
        payload      JSON      NOT NULL
      );
      CREATE TABLE quarantine (
        quarantine_seq BIGINT    NOT NULL,
        tenant         VARCHAR   NOT NULL,
        source         VARCHAR   NOT NULL,
        received_at    TIMESTAMP NOT NULL,
        event_id       VARCHAR,
        code           VARCHAR   NOT NULL,
        pointer        VARCHAR   NOT NULL,
        message        VARCHAR   NOT NULL,
        payload        VARCHAR   NOT NULL
      );
    `,
  },
  {
    id: 2,
    name: 'curation: rulesets, runs, samples, erasure audit',
    sql: `
      CREATE TABLE rulesets (
        name        VARCHAR   NOT NULL,
        hash        VARCHAR   NOT NULL,
        content     VARCHAR   NOT NULL,
        source_text VARCHAR   NOT NULL,
        created_at  TIMESTAMP NOT NULL
      );
      CREATE TABLE curation_runs (
        run_id       VARCHAR   NOT NULL,
        ruleset_name VARCHAR   NOT NULL,
        ruleset_hash VARCHAR   NOT NULL,
        watermark    BIGINT    NOT NULL,
        status       VARCHAR   NOT NULL,
        stats        VARCHAR   NOT NULL,
        created_at   TIMESTAMP NOT NULL,
        finished_at  TIMESTAMP
      );
      CREATE TABLE samples (
        run_id     VARCHAR NOT NULL,
        sample_id  VARCHAR NOT NULL,
        split      VARCHAR NOT NULL,
        tenant     VARCHAR NOT NULL,
        source     VARCHAR NOT NULL,
        model      VARCHAR NOT NULL,
        ingest_seq BIGINT  NOT NULL,
        sample     VARCHAR NOT NULL
      );
      CREATE TABLE erasures (
        tenant           VARCHAR   NOT NULL,
        user_id          VARCHAR   NOT NULL,
        request_event_id VARCHAR   NOT NULL,
        deleted_events   BIGINT    NOT NULL,
        erased_at        TIMESTAMP NOT NULL
      );
    `,
  },
  {
    id: 3,
    name: 'erasures remember the highest erased ingest_seq',
    // Erasing the newest events would otherwise lower max(ingest_seq), and the next open would
    // hand their sequence numbers out again: a tailing reader that saw them would skip new events.
    sql: 'ALTER TABLE erasures ADD COLUMN max_erased_seq BIGINT DEFAULT 0;',
  },
  {
    id: 4,
    name: 'ingest_log: acknowledged request bodies waiting to be materialised into events',
    // One row per group commit: the request bodies as received (a JSON array of them, as bytes)
    // and, per body, which of its events were accepted with their ingest_seq and envelope. The
    // materialiser turns rows into events and deletes them in one transaction (docs/decisions/0005).
    sql: `
      CREATE TABLE ingest_log (
        log_seq  BIGINT  NOT NULL,
        events   INTEGER NOT NULL,
        bodies   BLOB    NOT NULL,
        meta     VARCHAR NOT NULL
      );
    `,
  },
  {
    id: 5,
    name: 'snapshot registry: the users of each published snapshot; erasures remember the pseudonymous user key',
    // Export registers a snapshot's (tenant, user_key) pairs before publishing it; an erasure
    // records the user's key, and a snapshot holding that key is marked (CurationStore.snapshotErasures).
    sql: `
      CREATE TABLE snapshot_users (
        snapshot_id VARCHAR NOT NULL,
        tenant      VARCHAR NOT NULL,
        user_key    VARCHAR NOT NULL
      );
      ALTER TABLE erasures ADD COLUMN user_key VARCHAR;
    `,
  },
  {
    id: 6,
    name: 'materialise payloads without parsing them: ingest_log format, events.payload as VARCHAR',
    // Format 2 keeps only the accepted entries' bytes, split by separator bytes, so materialising
    // copies payloads instead of parsing the bodies; rows staged before this migration are
    // format 1 and are materialised in JS. A JSON column parses every value it receives to check
    // it (more than half of the materialisation cost); every payload written is JSON already
    // (JSON.parse-validated request bytes or JSON.stringify output), and every reader parses it
    // in JS. docs/decisions/0005, "Later".
    sql: `
      ALTER TABLE ingest_log ADD COLUMN format INTEGER DEFAULT 1;
      ALTER TABLE events ALTER payload TYPE VARCHAR;
    `,
  },
  {
    id: 7,
    name: 'staging log in files: the mark of what is materialised',
    // Acknowledged bodies are staged in an append-only file log beside the database; each
    // materialising transaction sets this mark to the last record it inserted, so a crash never
    // materialises a record twice or skips one. ingest_log stays for rows of older versions,
    // materialised at open. docs/decisions/0010.
    sql: `
      CREATE TABLE staging_log_mark (materialized_seq BIGINT NOT NULL);
      INSERT INTO staging_log_mark VALUES (0);
    `,
  },
];
