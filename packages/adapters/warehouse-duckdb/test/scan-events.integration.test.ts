import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createDuckDbWarehouse } from '../src/index.ts';

// scanEvents reads windows of ingest_seq (not LIMIT pages): chunks stay exactly batchSize across
// window edges, gaps are skipped, and the watermark is honoured even when it is not an integer.
test('scanEvents: exact chunks across windows and gaps, sparse types, fractional watermark', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-duckdb-scan-'));
  const store = await createDuckDbWarehouse({ path: join(dir, 'warehouse.duckdb') });
  try {
    const events = Array.from({ length: 50 }, (_, i) => makeIngestedEvent({ type: i % 10 === 9 ? 'consent' : 'generation' }));
    await store.append({ events, quarantine: [] });
    const top = await store.maxIngestSeq();
    const chunks: number[] = [];
    const seen: string[] = [];
    for await (const chunk of store.scanEvents({ upToSeq: top, batchSize: 3, types: ['generation'] })) {
      chunks.push(chunk.length);
      seen.push(...chunk.map((e) => e.eventId));
    }
    assert.deepEqual(seen, events.filter((e) => e.type === 'generation').map((e) => e.eventId));
    assert.ok(chunks.slice(0, -1).every((n) => n === 3), `chunks ${chunks.join(',')}`);

    const consent = [];
    for await (const chunk of store.scanEvents({ upToSeq: top, batchSize: 2, types: ['consent'] })) consent.push(...chunk);
    assert.deepEqual(consent.map((e) => e.eventId), events.filter((e) => e.type === 'consent').map((e) => e.eventId));

    const upTo = [];
    for await (const chunk of store.scanEvents({ upToSeq: top - 49 + 0.5, batchSize: 4 })) upTo.push(...chunk);
    assert.deepEqual(upTo.map((e) => e.eventId), [events[0]!.eventId], 'a watermark of n + 0.5 includes n, not n + 1');
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
