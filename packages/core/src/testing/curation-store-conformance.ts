import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StoredEvent } from '../events.ts';
import type { CurationStore, Warehouse } from '../ports/warehouse.ts';
import type { CurationRun } from '../samples.ts';
import { makeIngestedEvent, makeSample } from './factories.ts';

export interface CurationStoreHarness {
  open(): Promise<Warehouse & CurationStore>;
  cleanup(): Promise<void>;
}

async function collect<T>(chunks: AsyncIterable<T[]>): Promise<{ rows: T[]; chunks: number }> {
  const rows: T[] = [];
  let n = 0;
  for await (const chunk of chunks) { rows.push(...chunk); n++; }
  return { rows, chunks: n };
}

function makeRun(overrides: Partial<CurationRun> = {}): CurationRun {
  return {
    runId: `run_${randomUUID().slice(0, 8)}`, rulesetName: 'support', rulesetHash: 'a'.repeat(64), watermark: 10,
    status: 'building', stats: {}, createdAt: Date.UTC(2026, 10, 29), finishedAt: null, ...overrides,
  };
}

/** The CurationStore port's contract, run by every adapter that backs curation. */
export function runCurationStoreConformance(name: string, createHarness: () => Promise<CurationStoreHarness>): void {
  describe(`CurationStore conformance: ${name}`, () => {
    let harness: CurationStoreHarness;
    let store: Warehouse & CurationStore;
    before(async () => {
      harness = await createHarness();
      store = await harness.open();
    });
    after(async () => {
      await store.close();
      await harness.cleanup();
    });

    test('scanEvents streams events up to the watermark in ingest order, in bounded chunks, filtered', async () => {
      const tenant = `t${randomUUID().slice(0, 6)}`;
      const events = Array.from({ length: 7 }, (_, i) => makeIngestedEvent({ tenant, type: i % 2 === 0 ? 'generation' : 'feedback' }));
      await store.append({ events, quarantine: [] });
      const watermark = await store.maxIngestSeq();
      await store.append({ events: [makeIngestedEvent({ tenant })], quarantine: [] });
      const all = await collect(store.scanEvents({ upToSeq: watermark, tenant, batchSize: 3 }));
      assert.deepEqual(all.rows.map((e: StoredEvent) => e.eventId), events.map((e) => e.eventId));
      assert.equal(all.chunks, 3);
      assert.deepEqual(all.rows[0]!.payload, events[0]!.payload);
      const generations = await collect(store.scanEvents({ upToSeq: watermark, tenant, types: ['generation'] }));
      assert.equal(generations.rows.length, 4);
      const otherSource = await collect(store.scanEvents({ upToSeq: watermark, tenant, sources: ['nope'] }));
      assert.equal(otherSource.rows.length, 0);
    });

    test('rulesets keep their history; saving the same version twice is a no-op', async () => {
      const name = `rs-${randomUUID().slice(0, 6)}`;
      const v1 = { name, hash: '1'.repeat(64), content: '{"a":1}', sourceText: 'a: 1\n', createdAt: 1000 };
      const v2 = { name, hash: '2'.repeat(64), content: '{"a":2}', sourceText: 'a: 2\n', createdAt: 2000 };
      await store.saveRuleset(v1);
      await store.saveRuleset(v2);
      await store.saveRuleset(v1);
      assert.deepEqual(await store.listRulesets(name), [v2, v1]);
      assert.ok((await store.listRulesets()).length >= 2);
    });

    test('a curation run goes building → complete, and its samples stream back ordered by sampleId', async () => {
      const run = makeRun();
      await store.createCurationRun(run);
      assert.deepEqual(await store.getCurationRun(run.runId), run);
      const samples = Array.from({ length: 5 }, (_, i) => makeSample({ split: i === 0 ? 'eval' : 'train', ingestSeq: i + 1 }));
      await store.appendSamples(run.runId, samples.slice(0, 3));
      await store.appendSamples(run.runId, samples.slice(3));
      await store.finishCurationRun(run.runId, { status: 'complete', stats: { funnel: { in: 5 } }, finishedAt: run.createdAt + 5 });
      const finished = await store.getCurationRun(run.runId);
      assert.equal(finished?.status, 'complete');
      assert.deepEqual(finished?.stats, { funnel: { in: 5 } });
      assert.equal(finished?.finishedAt, run.createdAt + 5);
      const sorted = [...samples].sort((a, b) => (a.sampleId < b.sampleId ? -1 : 1));
      const back = await collect(store.scanSamples({ runId: run.runId, batchSize: 2 }));
      assert.deepEqual(back.rows, sorted);
      assert.equal(back.chunks, 3);
      const evalOnly = await collect(store.scanSamples({ runId: run.runId, split: 'eval' }));
      assert.deepEqual(evalOnly.rows, [samples[0]]);
      // The file export reads (its content is checked end to end by the export's tests on both warehouses).
      const dir = await mkdtemp(join(tmpdir(), 'sluice-samples-file-'));
      try {
        const file = join(dir, 'samples.parquet');
        assert.equal(await store.writeSamplesFile({ runId: run.runId }, file), 5);
        const bytes = await readFile(file);
        assert.equal(bytes.subarray(0, 4).toString(), 'PAR1', 'a Parquet file');
        assert.equal(bytes.subarray(-4).toString(), 'PAR1');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      assert.ok((await store.listCurationRuns({ status: 'complete' })).some((r) => r.runId === run.runId));
      assert.equal(await store.getCurationRun('missing'), null);
    });

    test('eraseUser deletes the user\'s raw events except the request itself, and audits it', async () => {
      const tenant = `t${randomUUID().slice(0, 6)}`;
      const request = makeIngestedEvent({ tenant, userId: 'gone', type: 'erasure_request' });
      await store.append({
        events: [makeIngestedEvent({ tenant, userId: 'gone' }), makeIngestedEvent({ tenant, userId: 'gone', type: 'feedback' }), makeIngestedEvent({ tenant, userId: 'stays' }), request],
        quarantine: [],
      });
      const record = await store.eraseUser({ tenant, userId: 'gone', requestEventId: request.eventId, erasedAt: 1234 });
      assert.equal(record.deletedEvents, 2);
      const left = await collect(store.scanEvents({ upToSeq: await store.maxIngestSeq(), tenant }));
      assert.deepEqual(left.rows.map((e) => [e.userId, e.type]).sort(), [['gone', 'erasure_request'], ['stays', 'generation']]);
      assert.deepEqual(await store.listErasures(tenant), [{ tenant, userId: 'gone', userKey: null, requestEventId: request.eventId, deletedEvents: 2, erasedAt: 1234 }]);
    });

    test('eraseUsers carries out a batch as eraseUser would one by one: events to the first request, one audit row each', async () => {
      const tenant = `t${randomUUID().slice(0, 6)}`;
      const other = `t${randomUUID().slice(0, 6)}`;
      const [first, again, second, elsewhere, nobody] = [1, 2, 3, 4, 5].map(() => randomUUID()) as [string, string, string, string, string];
      await store.append({
        events: [
          makeIngestedEvent({ tenant, userId: 'a' }), makeIngestedEvent({ tenant, userId: 'a', type: 'feedback' }), makeIngestedEvent({ tenant, userId: 'b' }),
          makeIngestedEvent({ tenant, userId: 'stays' }), makeIngestedEvent({ tenant: other, userId: 'a' }), makeIngestedEvent({ tenant: other, userId: 'b' }),
          makeIngestedEvent({ tenant, userId: 'a', type: 'erasure_request' }),
        ],
        quarantine: [],
      });
      const records = await store.eraseUsers([
        { tenant, userId: 'a', userKey: 'u_a', requestEventId: first, erasedAt: 1000 },
        { tenant, userId: 'b', requestEventId: second, erasedAt: 2000 },
        { tenant, userId: 'a', userKey: 'u_a', requestEventId: again, erasedAt: 3000 },
        { tenant: other, userId: 'a', userKey: 'u_oa', requestEventId: elsewhere, erasedAt: 4000 },
        { tenant, userId: 'never-seen', requestEventId: nobody, erasedAt: 5000 },
      ]);
      assert.deepEqual(records.map((r) => [r.tenant, r.userId, r.userKey, r.requestEventId, r.deletedEvents, r.erasedAt]), [
        [tenant, 'a', 'u_a', first, 2, 1000], [tenant, 'b', null, second, 1, 2000], [tenant, 'a', 'u_a', again, 0, 3000],
        [other, 'a', 'u_oa', elsewhere, 1, 4000], [tenant, 'never-seen', null, nobody, 0, 5000],
      ]);
      const left = await collect(store.scanEvents({ upToSeq: await store.maxIngestSeq() }));
      const mine = left.rows.filter((e) => e.tenant === tenant || e.tenant === other).map((e) => [e.tenant === tenant ? 't' : 'o', e.userId, e.type]).sort();
      assert.deepEqual(mine, [['o', 'b', 'generation'], ['t', 'a', 'erasure_request'], ['t', 'stays', 'generation']]);
      assert.deepEqual((await store.listErasures(tenant)).map((e) => [e.requestEventId, e.deletedEvents]), [[nobody, 0], [again, 0], [second, 1], [first, 2]]);
      assert.deepEqual(await store.listErasures(other), [{ tenant: other, userId: 'a', userKey: 'u_oa', requestEventId: elsewhere, deletedEvents: 1, erasedAt: 4000 }]);
      assert.deepEqual(await store.eraseUsers([]), []);
    });

    test('an erasure marks the registered snapshots that hold the user, before or after it, in that tenant only', async () => {
      const tenant = `t${randomUUID().slice(0, 6)}`;
      const other = `t${randomUUID().slice(0, 6)}`;
      const [before, after, elsewhere, without] = ['a', 'b', 'c', 'd'].map((x) => `snap-${x}${randomUUID().slice(0, 8)}`) as [string, string, string, string];
      await store.registerSnapshotUsers(before, [{ tenant, userKey: 'u_gone' }, { tenant, userKey: 'u_stays' }]);
      await store.registerSnapshotUsers(before, [{ tenant, userKey: 'u_gone' }, { tenant, userKey: 'u_stays' }]);
      await store.registerSnapshotUsers(elsewhere, [{ tenant: other, userKey: 'u_gone' }]);
      await store.registerSnapshotUsers(without, [{ tenant, userKey: 'u_stays' }]);
      const record = await store.eraseUser({ tenant, userId: 'gone', userKey: 'u_gone', requestEventId: randomUUID(), erasedAt: 5000 });
      assert.equal(record.userKey, 'u_gone');
      assert.equal((await store.listErasures(tenant))[0]?.userKey, 'u_gone');
      // A snapshot published later from samples that still hold the user is marked as well.
      await store.registerSnapshotUsers(after, [{ tenant, userKey: 'u_gone' }]);
      const mark = { userKey: 'u_gone', requestEventId: record.requestEventId, erasedAt: 5000 };
      assert.deepEqual(await store.snapshotErasures([before, after, elsewhere, without]),
        [{ snapshotId: before, ...mark }, { snapshotId: after, ...mark }].sort((a, b) => (a.snapshotId < b.snapshotId ? -1 : 1)));
      assert.deepEqual(await store.snapshotErasures([]), []);
    });

    test('erasing the newest events never lets their sequence numbers be handed out again', async () => {
      const tenant = `t${randomUUID().slice(0, 6)}`;
      await store.append({ events: [makeIngestedEvent({ tenant, userId: 'keep' })], quarantine: [] });
      const newest = makeIngestedEvent({ tenant, userId: 'last' });
      await store.append({ events: [newest], quarantine: [] });
      const erasedSeq = await store.maxIngestSeq();
      await store.eraseUser({ tenant, userId: 'last', requestEventId: randomUUID(), erasedAt: 1 });
      await store.close();
      store = await harness.open();
      await store.append({ events: [makeIngestedEvent({ tenant, userId: 'next' })], quarantine: [] });
      assert.ok(await store.maxIngestSeq() > erasedSeq);
    });
  });
}
