import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SluiceError, type AppendBatch, type AppendOutcome, type CurationStore, type EventQuery, type IngestedEvent, type PreparedBody,
  type QuarantinedEvent, type QuarantineQuery, type ReceivedBody, type StoredEvent, type StoredQuarantinedEvent, type Warehouse,
} from '@sluice/core';
import { createDuckDbCurationStore } from './curation-store.ts';
import { DuckDbDatabase, type Params, type Row } from './database.ts';
import { eventRow, INSERT_EVENTS, INSERT_QUARANTINE, quarantineRow } from './event-insert.ts';
import { EVENT_COLUMNS, toStoredEvent } from './event-rows.ts';
import { sharesBodyFields } from './ingest-log.ts';
import { prepareBody, preparedRecord, withoutEntries } from './prepared-body.ts';
import { backstopBytes, createCheckpointPolicy, parseByteSize } from './checkpoints.ts';
import { materializeLegacyIngestLog } from './legacy-ingest-log.ts';
import { createMaterializer } from './materializer.ts';
import { openStagingLog } from './staging-log.ts';
import { UuidSet } from './uuid-set.ts';

export interface DuckDbWarehouseOptions {
  /** A file path, or ':memory:' for tests that need no durability. */
  path: string;
  /**
   * The directory of the staging log that acknowledges ingest (docs/decisions/0010); default
   * `<path>.staging-log`, or a temporary directory removed at close for ':memory:'.
   */
  stagingLogDir?: string;
  /** Size at which the staging log starts a new segment file (default 64 MiB). */
  stagingSegmentBytes?: number;
  /**
   * DuckDB worker threads (default 1). Materialising with two threads on a 2-core machine cost 25%
   * more CPU per event than with one and was no faster; the embedded store's reads are streamed
   * to JavaScript or small (docs/decisions/0010).
   */
  threads?: number;
  checkpointThreshold?: string;
  /** Staged events not yet materialised beyond which `append` refuses with SLUICE_ERR_QUEUE_FULL. */
  maxPendingEvents?: number;
  /** Most events one materialisation transaction moves into `events`. */
  materializeBatchEvents?: number;
  /** Below `materializeUrgentEvents` pending (default half of maxPendingEvents), materialise only once the writer was idle this long. */
  materializeIdleMs?: number;
  materializeUrgentEvents?: number;
  /**
   * When the duplicate-check index of stored event ids is loaded: 'at-open' (default: the ingest
   * server, so the first request does not wait for it) or 'on-first-append' (CLI commands that only
   * read events and write samples skip a scan that costs ~2.7 s per million events).
   */
  idIndex?: 'at-open' | 'on-first-append';
}

/** How far materialisation is behind the acknowledgements (docs/decisions/0005). */
export interface MaterializationStatus {
  pendingEvents: number;
  materializedEvents: number;
  /** Milliseconds spent in materialisation transactions since open. */
  busyMs: number;
}

export type DuckDbWarehouse = Warehouse & Required<Pick<Warehouse, 'appendPrepared'>> & CurationStore & { materialization(): MaterializationStatus };

export async function createDuckDbWarehouse(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
  const checkpointBytes = parseByteSize(options.checkpointThreshold ?? '64MB');
  const db = await DuckDbDatabase.open(options.path, {
    checkpointThreshold: `${Math.ceil(backstopBytes(checkpointBytes) / 2 ** 20)}MiB`, threads: options.threads ?? 1,
  });
  const checkpoints = createCheckpointPolicy(db, checkpointBytes);
  const maxPendingEvents = options.maxPendingEvents ?? 1_000_000;
  // Whatever a previous process acknowledged and did not materialise goes into `events` first,
  // so the ids and sequences below are read from one table: rows of the ingest_log table (versions
  // before decision 0010), then the staging log's records after the mark.
  await materializeLegacyIngestLog(db);
  const temporaryDir = options.stagingLogDir === undefined && options.path === ':memory:' ? await mkdtemp(join(tmpdir(), 'sluice-staging-')) : null;
  const [mark] = await db.query<{ seq: number }>('SELECT materialized_seq::DOUBLE AS seq FROM staging_log_mark');
  const { log, pending } = await openStagingLog(options.stagingLogDir ?? temporaryDir ?? `${options.path}.staging-log`, {
    materializedSeq: mark?.seq ?? 0, segmentBytes: options.stagingSegmentBytes ?? 64 * 2 ** 20,
  });
  const materializer = createMaterializer(db, log, {
    batchEvents: options.materializeBatchEvents ?? 10_000,
    urgentEvents: options.materializeUrgentEvents ?? maxPendingEvents / 2,
    idleMs: options.materializeIdleMs ?? 20,
    checkpoints,
  });
  for (const record of pending) materializer.staged(record);
  await materializer.catchUp();

  let storedIdsLoad: Promise<Map<string, UuidSet>> | null = null;
  const loadStoredIds = (): Promise<Map<string, UuidSet>> => (storedIdsLoad ??= readStoredIds(db));
  if ((options.idIndex ?? 'at-open') === 'at-open') await loadStoredIds();
  const [seqs] = await db.query<{ events: number; quarantine: number }>(
    `SELECT greatest((SELECT coalesce(max(ingest_seq), 0) FROM events), (SELECT coalesce(max(max_erased_seq), 0) FROM erasures))::DOUBLE AS events,
            (SELECT coalesce(max(quarantine_seq), 0)::DOUBLE FROM quarantine) AS quarantine`);
  let lastEventSeq = seqs?.events ?? 0;
  let lastQuarantineSeq = seqs?.quarantine ?? 0;

  let appending: Promise<unknown> = Promise.resolve();
  /**
   * Appends run one at a time, in call order: the id index and the sequences are read before the
   * writes and advanced after them.
   */
  function serially<T>(run: () => Promise<T>): Promise<T> {
    const result = appending.then(run);
    appending = result.catch(() => undefined);
    return result;
  }

  async function appendNow(batch: AppendBatch): Promise<AppendOutcome> {
    const storedIds = await loadStoredIds();
    const duplicate = claimIds(batch.events, storedIds);
    if (!duplicate.includes(false) && batch.quarantine.length === 0) return { duplicate };
    // Fresh events that came with their request body are staged as the client's bytes; the others
    // are inserted into `events` directly.
    const prepared: PreparedBody[] = [];
    const staged: IngestedEvent[] = [];
    const direct: IngestedEvent[] = [];
    let index = 0;
    for (const body of bodiesOf(batch)) {
      const entries: Array<{ position: number; event: IngestedEvent }> = [];
      let stageable = body.json !== null;
      for (let k = 0; k < body.positions.length; k++, index++) {
        if (duplicate[index]) continue;
        const event = batch.events[index]!;
        entries.push({ position: body.positions[k]!, event });
        if (stageable && !sharesBodyFields(entries[0]!.event, event)) stageable = false;
      }
      if (body.json !== null && stageable) {
        if (entries.length > 0) prepared.push(prepareBody(body.json, entries));
        for (const e of entries) staged.push(e.event);
      } else {
        for (const e of entries) direct.push(e.event);
      }
    }
    const release = (events: readonly IngestedEvent[]) => () => {
      for (const event of events) storedIds.get(idsKey(event.tenant, event.source))?.delete(event.eventId);
    };
    await write(prepared, direct, batch.quarantine, { staged: release(staged), direct: release(direct) });
    return { duplicate };
  }

  /** Bodies a preparer built (prepared-body.ts, on the ingest service's preparation thread): their ids are claimed as words. */
  async function appendPreparedNow(bodies: readonly PreparedBody[], quarantine: readonly QuarantinedEvent[]): Promise<AppendOutcome> {
    const storedIds = await loadStoredIds();
    const duplicate: boolean[] = [];
    const fresh: Array<{ body: PreparedBody; ids: UuidSet }> = [];
    for (const body of bodies) {
      const ids = idsOf(storedIds, body.tenant, body.source);
      ids.warm(body.ids, body.count);
      const drop = new Array<boolean>(body.count);
      for (let i = 0; i < body.count; i++) duplicate.push((drop[i] = !ids.addWords(body.ids, i * 4)));
      const kept = withoutEntries(body, drop);
      if (kept) fresh.push({ body: kept, ids });
    }
    if (fresh.length === 0 && quarantine.length === 0) return { duplicate };
    const releaseStaged = () => {
      for (const { body, ids } of fresh) for (let i = 0; i < body.count; i++) ids.deleteWords(body.ids, i * 4);
    };
    await write(fresh.map((f) => f.body), [], quarantine, { staged: releaseStaged, direct: () => {} });
    return { duplicate };
  }

  /**
   * Writes fresh events whose ids are claimed in the index: prepared bodies into the staging log
   * (one write and one fdatasync), events without a body and quarantined ones into DuckDB. The
   * claims of whatever did not become durable are released when this fails, so that the client's
   * retry is stored instead of counted as a duplicate.
   */
  async function write(prepared: readonly PreparedBody[], direct: readonly IngestedEvent[], quarantine: readonly QuarantinedEvent[],
    release: { staged: () => void; direct: () => void }): Promise<void> {
    let stagedDurable = false;
    try {
      const stagedEvents = prepared.reduce((n, b) => n + b.count, 0);
      const pendingEvents = materializer.pendingEvents();
      if (stagedEvents > 0 && pendingEvents > 0 && pendingEvents + stagedEvents > maxPendingEvents) {
        throw new SluiceError('SLUICE_ERR_QUEUE_FULL', 'events acknowledged earlier are still being materialised; retry later',
          { details: { pending_events: pendingEvents } });
      }
      if (stagedEvents > 0) {
        // From here on these events are durable; the sequence moves past them even if the DuckDB
        // part below fails.
        const row = preparedRecord(prepared, lastEventSeq + 1, (size) => log.bodiesBuffer(size));
        const record = await log.append(row.events, row.bodies, row.meta);
        lastEventSeq += row.events;
        stagedDurable = true;
        materializer.staged(record);
      }

      let seq = lastEventSeq;
      const directRows = direct.map((event) => eventRow(event, ++seq, event.payload));
      const quarantineRows = quarantine.map((q, i) => quarantineRow(q, lastQuarantineSeq + 1 + i));
      const writes: Array<[string, Params]> = [];
      let bytes = 0;
      for (const [sql, rows] of [[INSERT_EVENTS, directRows], [INSERT_QUARANTINE, quarantineRows]] as const) {
        if (rows.length === 0) continue;
        const json = JSON.stringify(rows);
        bytes += json.length;
        writes.push([sql, [json]]);
      }
      if (writes.length > 0) {
        // One statement is its own transaction: skip BEGIN / COMMIT (two round trips to DuckDB's
        // thread per commit) unless several tables are written.
        await db.transaction(async () => {
          for (const [sql, params] of writes) await db.run(sql, params);
        }, { implicit: writes.length === 1 });
        // Only a committed batch advances the sequences.
        lastEventSeq = seq;
        lastQuarantineSeq += quarantineRows.length;
        checkpoints.wrote(bytes);
        checkpoints.maybeCheckpoint(materializer.pendingEvents() === 0);
      }
    } catch (error) {
      if (!stagedDurable) release.staged();
      release.direct();
      throw error;
    }
  }

  async function listEvents(query: EventQuery): Promise<StoredEvent[]> {
    await materializer.catchUp();
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: query.limit };
    const filter = (column: string, name: string, value: string | number | undefined, op = '='): void => {
      if (value === undefined) return;
      where.push(`${column} ${op} $${name}`);
      params[name] = value;
    };
    filter('ingest_seq', 'after', query.afterSeq, '>');
    filter('tenant', 'tenant', query.tenant);
    filter('source', 'source', query.source);
    filter('type', 'type', query.type);
    filter('user_id', 'user', query.userId);
    filter('session_id', 'session', query.sessionId);
    const order = query.order === 'desc' ? 'DESC' : 'ASC';
    const rows = await db.query(
      `SELECT ${EVENT_COLUMNS} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ingest_seq ${order} LIMIT $limit`, params);
    return rows.map(toStoredEvent);
  }

  async function listQuarantine(query: QuarantineQuery): Promise<StoredQuarantinedEvent[]> {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: query.limit };
    if (query.afterSeq !== undefined) { where.push('quarantine_seq > $after'); params.after = query.afterSeq; }
    if (query.tenant !== undefined) { where.push('tenant = $tenant'); params.tenant = query.tenant; }
    if (query.source !== undefined) { where.push('source = $source'); params.source = query.source; }
    const rows = await db.query(
      `SELECT quarantine_seq::DOUBLE AS quarantine_seq, tenant, source, epoch_ms(received_at)::DOUBLE AS received_at,
              event_id, code, pointer, message, payload
       FROM quarantine ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY quarantine_seq LIMIT $limit`, params);
    return rows.map(toStoredQuarantine);
  }

  return {
    kind: 'duckdb',
    ...createDuckDbCurationStore(db, { beforeRead: () => materializer.catchUp() }),
    append: (batch) => serially(() => appendNow(batch)),
    appendPrepared: (bodies, quarantine) => serially(() => appendPreparedNow(bodies, quarantine)),
    listEvents,
    listQuarantine,
    ping: async () => {
      log.assertWritable();
      await db.query('SELECT 1');
    },
    materialization: () => ({ pendingEvents: materializer.pendingEvents(), ...materializer.stats() }),
    async close() {
      await materializer.stop();
      await log.close();
      await db.close();
      if (temporaryDir) await rm(temporaryDir, { recursive: true, force: true });
    },
  };
}

function idsKey(tenant: string, source: string): string {
  return `${tenant}\u0000${source}`;
}

/**
 * Per event: already stored for its (tenant, source), or repeated earlier in the batch. The fresh
 * ids go into the index at once (one parse and one probe per event; a later copy in the same batch
 * then finds its first), and the caller takes them out again if the batch does not become durable.
 * Events of a batch come in runs of one (tenant, source), so the sets are looked up once per run.
 */
function claimIds(events: readonly IngestedEvent[], storedIds: Map<string, UuidSet>): boolean[] {
  const duplicate = new Array<boolean>(events.length);
  let tenant: string | null = null;
  let source: string | null = null;
  let ids: UuidSet | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (!ids || event.tenant !== tenant || event.source !== source) {
      tenant = event.tenant;
      source = event.source;
      ids = idsOf(storedIds, tenant, source);
    }
    try {
      duplicate[i] = !ids.add(event.eventId);
    } catch (error) {
      // A malformed id: nothing of this batch stays claimed.
      for (let k = 0; k < i; k++) if (!duplicate[k]) storedIds.get(idsKey(events[k]!.tenant, events[k]!.source))?.delete(events[k]!.eventId);
      throw error;
    }
  }
  return duplicate;
}

/** The batch's bodies, or one body-less entry covering all events; malformed coverage counts as none. */
function bodiesOf(batch: AppendBatch): readonly ReceivedBody[] {
  const covered = batch.bodies?.reduce((n, b) => n + b.positions.length, 0);
  if (batch.bodies && covered === batch.events.length) return batch.bodies;
  return [{ json: null, positions: batch.events.map((_, i) => i) }];
}

/** Every stored (tenant, source, event_id), one compact set per source (docs/decisions/0002). */
async function readStoredIds(db: DuckDbDatabase): Promise<Map<string, UuidSet>> {
  const storedIds = new Map<string, UuidSet>();
  for await (const rows of db.scan('SELECT tenant, source, event_id::VARCHAR FROM events')) {
    for (const [tenant, source, id] of rows as Array<[string, string, string]>) idsOf(storedIds, tenant, source).add(id);
  }
  return storedIds;
}

function idsOf(map: Map<string, UuidSet>, tenant: string, source: string): UuidSet {
  const key = idsKey(tenant, source);
  let set = map.get(key);
  if (!set) map.set(key, (set = new UuidSet()));
  return set;
}

function toStoredQuarantine(row: Row): StoredQuarantinedEvent {
  return {
    quarantineSeq: row.quarantine_seq as number,
    tenant: row.tenant as string,
    source: row.source as string,
    receivedAt: row.received_at as number,
    eventId: (row.event_id as string | null) ?? null,
    code: row.code as string,
    pointer: row.pointer as string,
    message: row.message as string,
    payload: JSON.parse(row.payload as string) as unknown,
  };
}
