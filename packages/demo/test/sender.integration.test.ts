import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  DemoSendError, generateTraffic, readJsonLines, sendOverHttp, valueAt, writeJsonLines,
  type DemoRecord, type PlantedValue, type ServerProcess,
} from '../src/index.ts';
import { WRITE_KEYS, listAll, removeDir, startTestServer } from './test-utils.ts';

let dir: string;
let server: ServerProcess;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-demo-send-'));
  server = await startTestServer(dir);
});

after(async () => {
  await server?.stop();
  await removeDir(dir);
});

/** Yields the records and keeps a copy, so the test knows exactly what went over the wire. */
function* tee(records: Iterable<DemoRecord>, into: DemoRecord[]): Generator<DemoRecord> {
  for (const r of records) {
    into.push(r);
    yield r;
  }
}

type Stored = { event_id: string; source: string; event: Record<string, unknown> };
type Quarantined = { event_id: string | null; code: string; source: string };

test('through the real API, what the server stores and quarantines is exactly what the generator meant', { timeout: 120_000 }, async () => {
  const sent: DemoRecord[] = [];
  const planted: PlantedValue[] = [];
  const traffic = generateTraffic({ events: 3000, seed: 8, onPlanted: (p) => planted.push(p) });
  const result = await sendOverHttp(tee(traffic.records, sent), { url: server.url, writeKeys: WRITE_KEYS }, { batchSize: 150, concurrency: 3 });

  const invalid = sent.filter((r) => r.invalid);
  const valid = sent.filter((r) => !r.invalid && !r.resend);
  assert.equal(result.sent, 3000);
  assert.equal(result.accepted + result.duplicates + result.quarantined, 3000);
  assert.equal(result.quarantined, invalid.length, 'every deliberately invalid event, and nothing else, is quarantined');
  assert.equal(result.duplicates, traffic.stats.resends, 'client retries are stored once');
  assert.equal(result.accepted, valid.length);
  assert.deepEqual(Object.keys(result.quarantineCodes).sort(), ['SLUICE_ERR_EVENT_INVALID']);

  const quarantined = await listAll<Quarantined>(server.url, 'quarantine');
  assert.deepEqual(quarantined.map((q) => q.event_id).sort(), invalid.map((r) => r.event.event_id as string).sort());
  const stored = await listAll<Stored>(server.url, 'events');
  assert.equal(stored.length, valid.length);
  const byId = new Map(stored.map((s) => [s.event_id, s]));
  for (const r of valid) assert.equal(byId.get(r.event.event_id as string)?.source, r.source);

  // The planted registry matches what was stored, value for value.
  const invalidIds = new Set(invalid.map((r) => r.event.event_id as string));
  const checked = planted.filter((p) => !invalidIds.has(p.eventId));
  assert.ok(checked.length > 150);
  for (const p of checked) {
    const text = valueAt(byId.get(p.eventId)?.event, p.pointer);
    assert.ok(typeof text === 'string' && text.includes(p.value), `${p.type} at ${p.eventId}${p.pointer}`);
  }
});

test('replaying the same traffic from JSON Lines stores nothing new: event ids make sending idempotent', { timeout: 120_000 }, async () => {
  const file = join(dir, 'traffic.jsonl');
  const written = await writeJsonLines(generateTraffic({ events: 3000, seed: 8 }).records, file);
  assert.equal(written.written, 3000);
  const replayed: DemoRecord[] = [];
  for await (const r of readJsonLines(file)) replayed.push(r);
  assert.deepEqual(replayed, [...generateTraffic({ events: 3000, seed: 8 }).records]);

  const result = await sendOverHttp(readJsonLines(file), { url: server.url, writeKeys: WRITE_KEYS }, { batchSize: 400, concurrency: 2 });
  assert.equal(result.accepted, 0);
  assert.equal(result.duplicates + result.quarantined, 3000);
});

test('the rate option paces requests: 400 events at 1,000 events/s take at least 0.3 s', { timeout: 60_000 }, async () => {
  const oneSource = generateTraffic({ events: 400, seed: 9, supportShare: 1 }).records;
  const result = await sendOverHttp(oneSource, { url: server.url, writeKeys: WRITE_KEYS }, { batchSize: 100, ratePerSecond: 1000 });
  assert.equal(result.requests, 4);
  assert.ok(result.elapsedMs >= 295, `${result.elapsedMs} ms`);
});

test('a write key the server does not know stops the run with an error that says so', { timeout: 60_000 }, async () => {
  await assert.rejects(
    sendOverHttp(generateTraffic({ events: 50, seed: 10 }).records, { url: server.url, writeKeys: { ...WRITE_KEYS, 'coding-ide': 'sk_wrong_key_000' } }, { batchSize: 10 }),
    (error: unknown) => error instanceof DemoSendError && error.status === 401 && /SLUICE_WRITE_KEYS/.test(error.message),
  );
});
