import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type {
  AppendBatch, AppendOutcome, CurationStore, EventQuery, IngestedEvent, QuarantineQuery, StoredEvent, StoredQuarantinedEvent, Warehouse,
} from '@sluice/core';
import { Conditions } from './conditions.ts';
import { createClickHouseCurationStore } from './curation-store.ts';
import { ClickHouseDatabase, type ClickHouseDatabaseOptions, type QueryParams, type Row } from './database.ts';
import { eventsDedupToken, quarantineDedupToken } from './dedup-token.ts';
import { migrate } from './migrations.ts';
import { createReservationLedger, type ReservationLedger } from './reservation-ledger.ts';
import { EVENT_COLUMNS, QUARANTINE_COLUMNS, eventRow, quarantineRow, toStoredEvent, toStoredQuarantine } from './rows.ts';
import { tablesIn, type Tables } from './tables.ts';

interface CommonOptions extends ClickHouseDatabaseOptions {
  /** Database holding the tables; created at open when absent. Omitted: the client's default database. */
  database?: string;
}

/** A client built and owned by the caller (tests pass a chDB-backed one); close() leaves it open. */
export interface ClickHouseWarehouseClientOptions extends CommonOptions {
  client: ClickHouseClient;
}

/** Production: the warehouse builds its own HTTP client and closes it on close(). */
export interface ClickHouseWarehouseServerOptions extends CommonOptions {
  url: string;
  username?: string;
  password?: string;
  requestTimeoutMs?: number;
}

export type ClickHouseWarehouseOptions = ClickHouseWarehouseClientOptions | ClickHouseWarehouseServerOptions;

export interface ClickHouseAppendOptions {
  /**
   * The insert deduplication token, for a caller that can name a batch across its own retries
   * (the Kafka lander: `topic-partition-firstOffset-lastOffset`). ClickHouse drops a later insert
   * with the same token within the deduplication window, whatever its rows. Default: a hash of
   * the rows inserted.
   */
  dedupToken?: string;
  /**
   * Numbers chosen by the caller: `events[i]` is the ingest_seq of `batch.events[i]`,
   * `quarantine[i]` the quarantine_seq of `batch.quarantine[i]` (the landers number by
   * reservation, docs/decisions/0006). An event is then skipped only when it is stored already
   * under a number at most its own (a copy could never change which number reads back for it);
   * stored only under higher numbers, it is inserted, and FINAL keeps the lowest. The process's
   * counters are not used.
   */
  seqs?: { events: readonly number[]; quarantine: readonly number[] };
}

/** Both ports curation needs: `Warehouse & CurationStore`, plus the lander's append option. */
export interface ClickHouseWarehouse extends Warehouse, CurationStore {
  append(batch: AppendBatch, options?: ClickHouseAppendOptions): Promise<AppendOutcome>;
  /** The landers' reservations: once any is recorded, maxIngestSeq is the ledger's watermark. */
  readonly reservations: ReservationLedger;
}

/**
 * The Warehouse and CurationStore ports on ClickHouse. Two ways to number rows:
 * - a single writer (appends without `seqs`): ingest_seq and quarantine_seq come from counters in
 *   this process, initialised from the stored maximum at open (ClickHouse has no cheap
 *   transactional counter), and appends run one at a time so that sequence order is commit order
 *   for tailing readers;
 * - landers (appends with `seqs`, any number of processes): numbers from reservations on the
 *   sequence topic, and the watermark from `reservations` (docs/decisions/0006).
 * A warehouse is numbered one way. See ../README.md.
 */
export async function createClickHouseWarehouse(options: ClickHouseWarehouseOptions): Promise<ClickHouseWarehouse> {
  const tables = tablesIn(options.database); // a bad name fails before any client exists
  const ownsClient = !('client' in options);
  const client = 'client' in options ? options.client : createClient({
    url: options.url,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.requestTimeoutMs === undefined ? {} : { request_timeout: options.requestTimeoutMs }),
    application: 'sluice',
  });
  const db = new ClickHouseDatabase(client, options);
  try {
    await migrate(db, tables, options.database);
    // Erased events are gone from `events`; their highest ingest_seq is kept in the audit, so
    // that a restart after erasing the newest events does not hand their numbers out again.
    const [seqs] = await db.query<{ events: number; quarantine: number }>('open: sequences',
      `SELECT greatest((SELECT max(ingest_seq) FROM ${tables.events}), (SELECT max(max_erased_seq) FROM ${tables.erasures})) AS events,
        (SELECT max(quarantine_seq) FROM ${tables.quarantine}) AS quarantine`);
    return warehouseOn(db, tables, { events: seqs?.events ?? 0, quarantine: seqs?.quarantine ?? 0 }, ownsClient);
  } catch (error) {
    await db.close({ closeClient: ownsClient });
    throw error;
  }
}

function warehouseOn(db: ClickHouseDatabase, tables: Tables, lastSeq: { events: number; quarantine: number }, ownsClient: boolean): ClickHouseWarehouse {
  let queue: Promise<unknown> = Promise.resolve();
  /** Appends in arrival order, one at a time: check, number and insert as one step. */
  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  }

  async function appendNow(batch: AppendBatch, options: ClickHouseAppendOptions): Promise<AppendOutcome> {
    db.assertOpen();
    const stored = await storedSeqs(batch.events);
    const duplicate: boolean[] = [];
    const fresh: IngestedEvent[] = [];
    const seen = new Set<string>();
    for (const event of batch.events) {
      const key = eventKey(event.tenant, event.source, event.eventId);
      const isDuplicate = seen.has(key) || stored.has(key);
      duplicate.push(isDuplicate);
      seen.add(key);
      if (!isDuplicate) fresh.push(event);
    }
    if (options.seqs !== undefined) return appendNumbered(batch, options.seqs, options.dedupToken, stored, duplicate);
    // Sequences advance before the insert and are never handed out twice: an insert that timed
    // out may still have landed, and reusing its numbers would give two events one ingest_seq.
    const eventRows = fresh.map((e, i) => eventRow(e, lastSeq.events + 1 + i));
    const quarantineRows = batch.quarantine.map((q, i) => quarantineRow(q, lastSeq.quarantine + 1 + i));
    lastSeq.events += eventRows.length;
    lastSeq.quarantine += quarantineRows.length;
    // Two tables, two inserts: not atomic together. A retry of the whole batch converges: events
    // are found by the check above, quarantine rows are dropped by their token.
    if (eventRows.length > 0) {
      await db.insert('append: events', tables.events, eventRows, options.dedupToken ?? eventsDedupToken(fresh));
    }
    if (quarantineRows.length > 0) {
      await db.insert('append: quarantine', tables.quarantine, quarantineRows, options.dedupToken ?? quarantineDedupToken(batch.quarantine));
    }
    return { duplicate };
  }

  /**
   * Under the caller's numbers. An event stored under a number at most its own here is skipped:
   * FINAL reads back the lowest number of an event, so its row could never change anything, even
   * if another lander inserts this same reservation later (why that matters: docs/decisions/0006).
   */
  async function appendNumbered(
    batch: AppendBatch, seqs: NonNullable<ClickHouseAppendOptions['seqs']>, dedupToken: string | undefined, stored: ReadonlyMap<string, number>, duplicate: boolean[],
  ): Promise<AppendOutcome> {
    if (seqs.events.length !== batch.events.length || seqs.quarantine.length !== batch.quarantine.length) {
      throw new TypeError('append: seqs must give one number per event and per quarantine row');
    }
    const lowest = new Map(stored);
    const rows: Row[] = [];
    batch.events.forEach((e, i) => {
      const key = eventKey(e.tenant, e.source, e.eventId);
      const seq = seqs.events[i]!;
      const before = lowest.get(key);
      if (before !== undefined && before <= seq) return;
      lowest.set(key, seq);
      rows.push(eventRow(e, seq));
    });
    if (rows.length > 0) await db.insert('append: events', tables.events, rows, dedupToken ?? eventsDedupToken(batch.events));
    if (batch.quarantine.length > 0) {
      await db.insert('append: quarantine', tables.quarantine, batch.quarantine.map((q, i) => quarantineRow(q, seqs.quarantine[i]!)),
        dedupToken ?? quarantineDedupToken(batch.quarantine));
    }
    return { duplicate };
  }

  /**
   * Which of the batch's (tenant, source, event_id) are already stored, with the lowest number
   * each has. One bound condition per (tenant, source) so the primary key prunes to that range;
   * the event_id bloom filter index then skips granules. No FINAL: any copy in any part counts.
   */
  async function storedSeqs(events: readonly IngestedEvent[]): Promise<Map<string, number>> {
    const groups = new Map<string, { tenant: string; source: string; ids: string[] }>();
    for (const e of events) {
      const key = `${e.tenant}\u0000${e.source}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { tenant: e.tenant, source: e.source, ids: [] }));
      group.ids.push(e.eventId);
    }
    if (groups.size === 0) return new Map();
    const params: QueryParams = {};
    const conditions = [...groups.values()].map((group, i) => {
      params[`t${i}`] = group.tenant;
      params[`s${i}`] = group.source;
      params[`i${i}`] = group.ids;
      return `(tenant = {t${i}:String} AND source = {s${i}:String} AND event_id IN {i${i}:Array(UUID)})`;
    });
    const rows = await db.query<{ tn: string; src: string; id: string; seq: number }>('append: stored ids',
      `SELECT tenant AS tn, source AS src, toString(event_id) AS id, min(ingest_seq) AS seq FROM ${tables.events}
       WHERE ${conditions.join(' OR ')} GROUP BY tenant, source, event_id`, params);
    return new Map(rows.map((r) => [eventKey(r.tn, r.src, r.id), Number(r.seq)]));
  }

  /**
   * Where an ascending read (a tail: `after_seq`, then the last number seen) must stop. Landers
   * numbering by reservation store batches out of number order, so a row above the watermark may
   * still be joined by a lower-numbered one that a tail would then skip for good.
   */
  async function tailCeiling(order: 'asc' | 'desc' | undefined): Promise<number | undefined> {
    return order === 'desc' ? undefined : reservations.watermark();
  }

  async function listEvents(query: EventQuery): Promise<StoredEvent[]> {
    const where = new Conditions({ limit: query.limit });
    where.add('ingest_seq > {after:UInt64}', 'after', query.afterSeq);
    where.add('ingest_seq <= {ceiling:UInt64}', 'ceiling', await tailCeiling(query.order));
    where.add('tenant = {tenant:String}', 'tenant', query.tenant);
    where.add('source = {source:String}', 'source', query.source);
    where.add('type = {type:String}', 'type', query.type);
    where.add('user_id = {user:String}', 'user', query.userId);
    where.add('session_id = {session:String}', 'session', query.sessionId);
    // FINAL: copies that a race let through and no merge has collapsed yet still read once.
    const rows = await db.query('listEvents',
      `SELECT ${EVENT_COLUMNS} FROM ${tables.events} FINAL ${where.sql()}
       ORDER BY ingest_seq ${query.order === 'desc' ? 'DESC' : 'ASC'} LIMIT {limit:UInt32}`, where.params);
    return rows.map(toStoredEvent);
  }

  async function listQuarantine(query: QuarantineQuery): Promise<StoredQuarantinedEvent[]> {
    const where = new Conditions({ limit: query.limit });
    where.add('quarantine_seq > {after:UInt64}', 'after', query.afterSeq);
    where.add('quarantine_seq <= {ceiling:UInt64}', 'ceiling', await tailCeiling('asc'));
    where.add('tenant = {tenant:String}', 'tenant', query.tenant);
    where.add('source = {source:String}', 'source', query.source);
    const rows = await db.query('listQuarantine',
      `SELECT ${QUARANTINE_COLUMNS} FROM ${tables.quarantine} ${where.sql()} ORDER BY quarantine_seq LIMIT {limit:UInt32}`, where.params);
    return rows.map(toStoredQuarantine);
  }

  const curation = createClickHouseCurationStore(db, tables);
  const reservations = createReservationLedger(db, tables);
  return {
    kind: 'clickhouse',
    ...curation,
    reservations,
    // Landers number by reservation: max(ingest_seq) may belong to a batch stored while an earlier
    // reservation is still being inserted; the ledger's watermark never passes an open one.
    maxIngestSeq: async () => (await reservations.watermark()) ?? curation.maxIngestSeq(),
    // In the queue with appends: this process's appends never fall between the count and the delete.
    eraseUser: (request) => serialized(() => curation.eraseUser(request)),
    eraseUsers: (requests) => serialized(() => curation.eraseUsers(requests)),
    append: (batch, options = {}) => serialized(() => appendNow(batch, options)),
    listEvents,
    listQuarantine,
    ping: () => db.ping(),
    close: () => serialized(() => db.close({ closeClient: ownsClient })),
  };
}

function eventKey(tenant: string, source: string, eventId: string): string {
  return `${tenant}\u0000${source}\u0000${eventId.toLowerCase()}`;
}
