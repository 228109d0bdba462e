import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { ClickHouseDatabase } from '../src/database.ts';
import { eventRow } from '../src/rows.ts';
import { tablesIn } from '../src/tables.ts';
import type { ClickHouseWarehouse } from '../src/index.ts';
import { CHDB_DATABASE, createChdbHarness, type ChdbHarness } from './chdb-harness.ts';

let harness: ChdbHarness;
let warehouse: ClickHouseWarehouse;
let raw: ClickHouseClient;
const tables = tablesIn(CHDB_DATABASE);

before(async () => {
  harness = await createChdbHarness();
  warehouse = await harness.open(); // runs the migrations
  raw = harness.client();
});
after(async () => {
  await warehouse.close();
  await harness.cleanup();
});

/** Rows physically stored, merged or not: what the adapter's FINAL reads would hide. */
async function storedCopies(source: string, final = false): Promise<number> {
  const result = await raw.query({
    query: `SELECT count() AS n FROM ${tables.events} ${final ? 'FINAL' : ''} WHERE source = {source:String}`,
    query_params: { source }, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  const [row] = await result.json<{ n: number }>();
  return row?.n ?? 0;
}

test('the same rows inserted twice with one token are stored once, with no existence check in front', async () => {
  const db = new ClickHouseDatabase(raw);
  const source = `src-${randomUUID().slice(0, 8)}`;
  const rows = [makeIngestedEvent({ source }), makeIngestedEvent({ source })].map((e, i) => eventRow(e, 1_000_000 + i));
  await db.insert('test', tables.events, rows, 'topic-0-100-101');
  await db.insert('test', tables.events, rows, 'topic-0-100-101');
  assert.equal(await storedCopies(source), 2);
});

test('without a shared token both copies land, and FINAL shows the first one', async () => {
  const db = new ClickHouseDatabase(raw);
  const source = `src-${randomUUID().slice(0, 8)}`;
  const event = makeIngestedEvent({ source });
  await db.insert('test', tables.events, [eventRow(event, 2_000_001)], `first-${source}`);
  // A retry reaches the server later: received_at and timestamp move, the sorting key does not.
  const retried = { ...event, receivedAt: event.receivedAt + 5000, timestamp: event.timestamp + 5000 };
  await db.insert('test', tables.events, [eventRow(retried, 2_000_002)], `second-${source}`);
  assert.equal(await storedCopies(source), 2);
  assert.equal(await storedCopies(source, true), 1);
  const [kept] = await warehouse.listEvents({ limit: 10, source });
  assert.equal(kept?.ingestSeq, 2_000_001);
  assert.equal(kept?.receivedAt, event.receivedAt);
});

test("a caller's token names the batch: a second append under it is dropped, the next append is not", async () => {
  const source = `src-${randomUUID().slice(0, 8)}`;
  await warehouse.append({ events: [makeIngestedEvent({ source })], quarantine: [] }, { dedupToken: `lander-${source}` });
  await warehouse.append({ events: [makeIngestedEvent({ source })], quarantine: [] }, { dedupToken: `lander-${source}` });
  assert.equal(await storedCopies(source), 1);
  // chDB keeps settings as session SETs: the lander's token must not stick to later inserts.
  await warehouse.append({ events: [makeIngestedEvent({ source })], quarantine: [] });
  assert.equal(await storedCopies(source), 2);
});

test('a retried quarantine batch is dropped by its content token', async () => {
  const source = `src-${randomUUID().slice(0, 8)}`;
  const batch = { events: [], quarantine: [makeQuarantinedEvent({ source }), makeQuarantinedEvent({ source, pointer: '/type' })] };
  await warehouse.append(batch);
  await warehouse.append(batch);
  assert.equal((await warehouse.listQuarantine({ limit: 10, source })).length, 2);
  await warehouse.append({ events: [], quarantine: [makeQuarantinedEvent({ source, receivedAt: Date.now() })] });
  assert.equal((await warehouse.listQuarantine({ limit: 10, source })).length, 3);
});
