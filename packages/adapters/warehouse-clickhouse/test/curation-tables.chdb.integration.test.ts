import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { makeIngestedEvent, makeSample } from '@sluice/core/testing';
import { ClickHouseDatabase, type QueryParams } from '../src/database.ts';
import { eventRow } from '../src/rows.ts';
import { tablesIn } from '../src/tables.ts';
import type { ClickHouseWarehouse } from '../src/index.ts';
import { CHDB_DATABASE, createChdbHarness, type ChdbHarness } from './chdb-harness.ts';

/*
 * What the CurationStore contract cannot see but ClickHouse makes possible: rows not yet merged
 * (race copies, a run's replaced state), a delete that is a mutation, retried inserts, and the
 * sequence counter started from max() at open.
 */

let harness: ChdbHarness;
let warehouse: ClickHouseWarehouse;
let raw: ClickHouseClient;
let db: ClickHouseDatabase;
const tables = tablesIn(CHDB_DATABASE);

before(async () => {
  harness = await createChdbHarness();
  warehouse = await harness.open();
  raw = harness.client();
  db = new ClickHouseDatabase(raw);
});
after(async () => {
  await warehouse.close();
  await harness.cleanup();
});

/** Rows physically stored, merged or not. */
async function storedRows(table: string, where: string, params: QueryParams): Promise<number> {
  const [row] = await db.query<{ n: number }>('test', `SELECT count() AS n FROM ${table} WHERE ${where}`, params);
  return Number(row?.n ?? 0);
}

async function collect<T>(chunks: AsyncIterable<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for await (const chunk of chunks) rows.push(...chunk);
  return rows;
}

// First in the file: it needs the erased events to be the newest ones stored.
test('after erasing the newest events, a reopened warehouse does not hand their sequence numbers out again', async () => {
  const tenant = `t${randomUUID().slice(0, 6)}`;
  await warehouse.append({ events: [makeIngestedEvent({ tenant, userId: 'stays' })], quarantine: [] });
  await warehouse.append({ events: [makeIngestedEvent({ tenant, userId: 'gone', type: 'erasure_request' })], quarantine: [] });
  await warehouse.append({ events: [makeIngestedEvent({ tenant, userId: 'gone' }), makeIngestedEvent({ tenant, userId: 'gone' })], quarantine: [] });
  const erasedTop = await warehouse.maxIngestSeq();
  await warehouse.eraseUser({ tenant, userId: 'gone', requestEventId: randomUUID(), erasedAt: 1 });
  assert.ok(await warehouse.maxIngestSeq() < erasedTop, 'precondition: the erased events were the newest');
  await warehouse.close();
  warehouse = await harness.open();
  const next = makeIngestedEvent({ tenant });
  await warehouse.append({ events: [next], quarantine: [] });
  const [stored] = await warehouse.listEvents({ limit: 1, tenant, order: 'desc' });
  assert.equal(stored?.eventId, next.eventId);
  assert.equal(stored?.ingestSeq, erasedTop + 1);
});

test('scanEvents reads a race copy once, also when a page ends between the two copies', async () => {
  const tenant = `t${randomUUID().slice(0, 6)}`;
  const base = (await warehouse.maxIngestSeq()) + 100;
  const event = makeIngestedEvent({ tenant });
  // Two parts, one event: what two writers passing the existence check at once would leave.
  await db.insert('test', tables.events, [eventRow(event, base + 1)], `race-a-${tenant}`);
  await db.insert('test', tables.events, [eventRow(makeIngestedEvent({ tenant }), base + 2)], `race-b-${tenant}`);
  await db.insert('test', tables.events, [eventRow({ ...event, receivedAt: event.receivedAt + 1 }, base + 3)], `race-c-${tenant}`);
  assert.equal(await storedRows(tables.events, 'tenant = {t:String}', { t: tenant }), 3);
  const scanned = await collect(warehouse.scanEvents({ upToSeq: base + 10, tenant, batchSize: 1 }));
  assert.deepEqual(scanned.map((e) => e.ingestSeq), [base + 1, base + 2]);
});

test('scanEvents with an empty type or source list yields nothing', async () => {
  const tenant = `t${randomUUID().slice(0, 6)}`;
  await warehouse.append({ events: [makeIngestedEvent({ tenant })], quarantine: [] });
  const upToSeq = await warehouse.maxIngestSeq();
  assert.deepEqual(await collect(warehouse.scanEvents({ upToSeq, tenant, types: [] })), []);
  assert.deepEqual(await collect(warehouse.scanEvents({ upToSeq, tenant, sources: [] })), []);
  assert.equal((await collect(warehouse.scanEvents({ upToSeq, tenant }))).length, 1);
});

test('a finished run is a second row that FINAL prefers, so it is never listed as building; an unknown run stays unknown', async () => {
  const runId = `run_${randomUUID().slice(0, 8)}`;
  const rulesetName = `rs-${runId}`;
  await warehouse.createCurationRun({
    runId, rulesetName, rulesetHash: 'b'.repeat(64), watermark: 3, status: 'building', stats: {}, createdAt: 10, finishedAt: null,
  });
  await warehouse.finishCurationRun(runId, { status: 'failed', stats: { error: 'boom' }, finishedAt: 20 });
  assert.equal(await storedRows(tables.curationRuns, 'run_id = {r:String}', { r: runId }), 2);
  assert.deepEqual(await warehouse.listCurationRuns({ rulesetName, status: 'building' }), []);
  const [failed] = await warehouse.listCurationRuns({ rulesetName, status: 'failed' });
  assert.deepEqual([failed?.status, failed?.stats, failed?.finishedAt, failed?.watermark], ['failed', { error: 'boom' }, 20, 3]);
  await warehouse.finishCurationRun('run_unknown', { status: 'complete', stats: {}, finishedAt: 30 });
  assert.equal(await warehouse.getCurationRun('run_unknown'), null);
});

test('saving a stored ruleset version again keeps the first save', async () => {
  const name = `rs-${randomUUID().slice(0, 6)}`;
  const first = { name, hash: 'c'.repeat(64), content: '{"a":1}', sourceText: 'a: 1\n', createdAt: 1000 };
  await warehouse.saveRuleset(first);
  await warehouse.saveRuleset({ ...first, sourceText: 'a:   1\n', createdAt: 5000 });
  assert.deepEqual(await warehouse.listRulesets(name), [first]);
  assert.equal(await storedRows(tables.rulesets, 'name = {n:String}', { n: name }), 1);
});

test('the same samples appended twice (a retried insert) are stored once', async () => {
  const runId = `run_${randomUUID().slice(0, 8)}`;
  const samples = [makeSample(), makeSample()];
  await warehouse.appendSamples(runId, samples);
  await warehouse.appendSamples(runId, [...samples].reverse());
  assert.equal(await storedRows(tables.samples, 'run_id = {r:String}', { r: runId }), 2);
  assert.equal((await collect(warehouse.scanSamples({ runId }))).length, 2);
});

test('eraseUser counts events, not copies, deletes every copy before it returns, and audits a repeat as 0', async () => {
  const tenant = `t${randomUUID().slice(0, 6)}`;
  const event = makeIngestedEvent({ tenant, userId: 'gone' });
  await warehouse.append({ events: [event, makeIngestedEvent({ tenant, userId: 'gone', type: 'feedback' })], quarantine: [] });
  // A race copy of the first event, in a part of its own.
  await db.insert('test', tables.events, [eventRow({ ...event, receivedAt: event.receivedAt + 1 }, (await warehouse.maxIngestSeq()) + 50)], `copy-${tenant}`);
  const user = { t: tenant, u: 'gone' };
  assert.equal(await storedRows(tables.events, 'tenant = {t:String} AND user_id = {u:String}', user), 3);
  const first = await warehouse.eraseUser({ tenant, userId: 'gone', requestEventId: randomUUID(), erasedAt: 100 });
  assert.equal(first.deletedEvents, 2);
  assert.equal(await storedRows(tables.events, 'tenant = {t:String} AND user_id = {u:String}', user), 0);
  const again = await warehouse.eraseUser({ tenant, userId: 'gone', requestEventId: first.requestEventId, erasedAt: 200 });
  assert.equal(again.deletedEvents, 0);
  assert.deepEqual((await warehouse.listErasures(tenant)).map((e) => [e.erasedAt, e.deletedEvents]), [[200, 0], [100, 2]]);
});
