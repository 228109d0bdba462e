import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { makeIngestedEvent } from '@sluice/core/testing';
import type { ClickHouseWarehouse } from '../src/index.ts';
import { migrations } from '../src/migrations.ts';
import { CHDB_DATABASE, createChdbHarness, type ChdbHarness } from './chdb-harness.ts';

let harness: ChdbHarness;
let warehouse: ClickHouseWarehouse;

before(async () => {
  harness = await createChdbHarness();
  warehouse = await harness.open();
});
after(async () => {
  await warehouse.close();
  await harness.cleanup();
});

test('appends issued together commit one at a time, in call order, so sequences follow commit order', async () => {
  const source = `src-${randomUUID().slice(0, 8)}`;
  const batches = Array.from({ length: 8 }, () => [makeIngestedEvent({ source }), makeIngestedEvent({ source })]);
  const outcomes = await Promise.all(batches.map((events) => warehouse.append({ events, quarantine: [] })));
  assert.ok(outcomes.every((o) => o.duplicate.every((d) => !d)));
  const stored = await warehouse.listEvents({ limit: 100, source });
  assert.deepEqual(stored.map((e) => e.eventId), batches.flat().map((e) => e.eventId));
  for (let i = 1; i < stored.length; i++) assert.ok(stored[i]!.ingestSeq > stored[i - 1]!.ingestSeq);
});

test('one batch spanning tenants and sources checks each (tenant, source) for its own ids', async () => {
  const id = randomUUID();
  const source = `src-${id.slice(0, 8)}`;
  const first = [makeIngestedEvent({ eventId: id, source, tenant: 'acme' }), makeIngestedEvent({ source: `${source}-b`, tenant: 'globex' })];
  await warehouse.append({ events: first, quarantine: [] });
  const outcome = await warehouse.append({
    events: [
      makeIngestedEvent({ eventId: id, source, tenant: 'acme' }), // stored
      makeIngestedEvent({ eventId: id, source, tenant: 'globex' }), // another tenant: new
      makeIngestedEvent({ eventId: first[1]!.eventId, source: `${source}-b`, tenant: 'globex' }), // stored
      makeIngestedEvent({ eventId: id, source, tenant: 'globex' }), // repeated in this batch
    ],
    quarantine: [],
  });
  assert.deepEqual(outcome.duplicate, [true, false, true, true]);
});

test('a retry that reaches the server later is a duplicate though received_at and timestamp moved', async () => {
  const event = makeIngestedEvent({ source: `src-${randomUUID().slice(0, 8)}` });
  await warehouse.append({ events: [event], quarantine: [] });
  const retry = { ...event, sentAt: event.sentAt! + 30_000, receivedAt: event.receivedAt + 30_000, timestamp: event.timestamp + 2 };
  assert.deepEqual((await warehouse.append({ events: [retry], quarantine: [] })).duplicate, [true]);
  assert.equal((await warehouse.listEvents({ limit: 10, source: event.source })).length, 1);
});

test('a failed append does not block the ones queued behind it', async () => {
  const source = `src-${randomUUID().slice(0, 8)}`;
  const broken = warehouse.append({ events: [makeIngestedEvent({ source, eventId: 'not-a-uuid' })], quarantine: [] });
  const next = warehouse.append({ events: [makeIngestedEvent({ source })], quarantine: [] });
  await assert.rejects(broken, { code: 'SLUICE_ERR_STORAGE_UNAVAILABLE' });
  assert.deepEqual((await next).duplicate, [false]);
});

test('times keep millisecond precision across the epoch and far from it', async () => {
  const source = `src-${randomUUID().slice(0, 8)}`;
  const event = makeIngestedEvent({ source, occurredAt: -1234, sentAt: Date.UTC(2299, 11, 31, 23, 59, 59, 999), timestamp: 1 });
  await warehouse.append({ events: [event], quarantine: [] });
  const [stored] = await warehouse.listEvents({ limit: 1, source });
  assert.deepEqual([stored?.occurredAt, stored?.sentAt, stored?.timestamp], [-1234, event.sentAt, 1]);
});

test('opening again applies no migration twice', async () => {
  await (await harness.open()).close();
  const result = await harness.client().query({
    query: `SELECT id, count() AS copies FROM ${CHDB_DATABASE}.schema_migrations GROUP BY id ORDER BY id`,
    format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  assert.deepEqual(await result.json(), migrations.map((m) => ({ id: m.id, copies: 1 })));
});
