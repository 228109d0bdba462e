import type { PreparedBody, QuarantinedEvent } from '@sluice/core';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ENTRY_SEPARATOR } from '../src/ingest-log.ts';
import { createDuckDbWarehouse, type DuckDbWarehouseOptions } from '../src/index.ts';
import { prepareBody, preparedRecord, withoutEntries } from '../src/prepared-body.ts';
import { preparedBody, stagedBatch } from './helpers/staged-batches.ts';

const HELD: Partial<DuckDbWarehouseOptions> = { materializeIdleMs: 3_600_000, materializeUrgentEvents: Infinity };

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-duckdb-prepared-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** The body's entries as texts, after checking that entryEnds marks where each one ends. */
function entryTexts(body: PreparedBody): string[] {
  const entries = text(body.entries).split(String.fromCharCode(ENTRY_SEPARATOR));
  let end = -1;
  entries.forEach((entry, i) => {
    end += Buffer.byteLength(entry) + 1;
    assert.equal(body.entryEnds[i], end, `entry ${i} ends at ${end}`);
  });
  assert.equal(entries.length, body.count);
  return entries;
}

describe('prepared bodies (the DuckDB preparer, docs/decisions/0020)', () => {
  test('prepareBody copies the accepted entries out of the body as sent, with their ids as words and where each ends', () => {
    const batch = stagedBatch(4, { skip: [1], extra: { note: 'é ✓ "quoted"' } });
    const body = preparedBody(batch);
    assert.equal(body.count, 3);
    const json = text(batch.bodies![0]!.json!);
    // Each entry is the exact text of its event in the request, not a re-serialisation.
    const entries = entryTexts(body);
    entries.forEach((entry, i) => {
      assert.ok(json.includes(entry));
      assert.deepEqual(JSON.parse(entry), batch.events[i]!.payload);
    });
    assert.equal(body.ids.length, 12);
    const hex = Array.from(body.ids.subarray(0, 4), (w) => w.toString(16).padStart(8, '0')).join('');
    assert.equal(hex, batch.events[0]!.eventId.replaceAll('-', ''));
  });

  test('entries of a pretty-printed body, with rejected ones between them, are copied one by one and end where they should', () => {
    const batch = stagedBatch(5, { skip: [0, 2] });
    const pretty = Buffer.from(JSON.stringify(JSON.parse(Buffer.from(batch.bodies![0]!.json!).toString('utf8')), null, 2));
    const body = prepareBody(pretty, batch.events.map((event, i) => ({ position: batch.bodies![0]!.positions[i]!, event })));
    assert.deepEqual(entryTexts(body).map((e) => JSON.parse(e) as unknown), batch.events.map((e) => e.payload));
  });

  test('in place, the entries are compacted inside the body itself and come out the same as copied', () => {
    const compact = stagedBatch(6, { skip: [0, 3], extra: { note: 'é ✓ "quoted"' } });
    const prettyJson = Buffer.from(JSON.stringify(JSON.parse(Buffer.from(compact.bodies![0]!.json!).toString('utf8')), null, 2));
    for (const json of [Buffer.from(compact.bodies![0]!.json!), prettyJson]) {
      const accepted = compact.events.map((event, i) => ({ position: compact.bodies![0]!.positions[i]!, event }));
      const copied = prepareBody(Buffer.from(json), accepted);
      const own = new Uint8Array(json);
      const inPlace = prepareBody(own, accepted, { inPlace: true });
      assert.equal(inPlace.entries.buffer, own.buffer, 'no memory of its own');
      assert.equal(inPlace.entries.byteOffset, own.byteOffset);
      assert.deepEqual(Buffer.from(inPlace.entries), Buffer.from(copied.entries));
      assert.deepEqual(inPlace.entryEnds, copied.entryEnds);
      assert.deepEqual(entryTexts(inPlace).map((e) => JSON.parse(e) as unknown), compact.events.map((e) => e.payload));
    }
  });

  test('without a body (or one the scanner refuses) the parsed entries are serialised, lone surrogates made well-formed', () => {
    const batch = stagedBatch(2, { extra: { broken: 'a\uD800b' } });
    const body = prepareBody(null, batch.events.map((event, i) => ({ position: i, event })));
    const entries = entryTexts(body);
    assert.equal((JSON.parse(entries[0]!) as { broken: string }).broken, 'a\uFFFDb');
  });

  test('withoutEntries drops exactly the marked entries from bytes, ids and per-entry envelope lists', () => {
    const batch = stagedBatch(4);
    batch.events = batch.events.map((e, i) => ({ ...e, userId: `user_${i}` }));
    const body = preparedBody(batch);
    assert.equal(withoutEntries(body, [false, false, false, false]), body);
    assert.equal(withoutEntries(body, [true, true, true, true]), null);
    const kept = withoutEntries(body, [true, false, true, false])!;
    assert.equal(kept.count, 2);
    assert.deepEqual(entryTexts(kept).map((e) => JSON.parse(e) as unknown), [batch.events[1]!.payload, batch.events[3]!.payload]);
    assert.deepEqual(kept.ids, Uint32Array.from([...body.ids.subarray(4, 8), ...body.ids.subarray(12, 16)]));
    const envelope = JSON.parse(kept.envelope) as { id: string[]; u: string[]; t1: string };
    assert.deepEqual(envelope.id, [batch.events[1]!.eventId, batch.events[3]!.eventId]);
    assert.deepEqual(envelope.u, ['user_1', 'user_3']);
    assert.equal(envelope.t1, batch.events[0]!.type);
  });

  test('preparedRecord numbers the bodies\' entries on from firstSeq, one s1 per body', () => {
    const bodies = [preparedBody(stagedBatch(2)), preparedBody(stagedBatch(3))];
    const record = preparedRecord(bodies, 41);
    assert.equal(record.events, 5);
    assert.deepEqual((JSON.parse(record.meta.toString('utf8')) as Array<{ s1: number }>).map((m) => m.s1), [41, 43]);
  });

  test('appendPrepared stores each event once (duplicates in a body, across bodies and across calls) with running seqs', () => withDir(async (dir) => {
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb'), ...HELD });
    try {
      const first = stagedBatch(3);
      const second = stagedBatch(2);
      // The second body repeats the first body's event 0 after its own two.
      const json = Buffer.from(JSON.stringify({ events: [...second.events, first.events[0]!].map((e) => e.payload) }));
      const repeat = { events: [...second.events, first.events[0]!], quarantine: [], bodies: [{ json, positions: [0, 1, 2] }] };
      const outcome = await warehouse.appendPrepared([preparedBody(first), preparedBody(repeat)], []);
      assert.deepEqual(outcome.duplicate, [false, false, false, false, false, true]);
      const again = await warehouse.appendPrepared([preparedBody(first)], []);
      assert.deepEqual(again.duplicate, [true, true, true]);
      const stored = await warehouse.listEvents({ limit: 10 });
      assert.deepEqual(stored.map((e) => e.ingestSeq), [1, 2, 3, 4, 5]);
      assert.deepEqual(stored.map((e) => e.eventId), [...first.events, ...second.events].map((e) => e.eventId));
      assert.deepEqual(stored.map(({ ingestSeq: _seq, ...rest }) => rest), [...first.events, ...second.events]);
    } finally {
      await warehouse.close();
    }
  }));

  test('quarantined events come along in the same append; a refused append releases its ids so the retry is stored', () => withDir(async (dir) => {
    const warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb'), ...HELD, maxPendingEvents: 3 });
    try {
      const quarantined: QuarantinedEvent = {
        tenant: 't', source: 's', receivedAt: Date.now(), eventId: null, code: 'SLUICE_ERR_EVENT_INVALID', pointer: '/x', message: 'bad', payload: { x: 1 },
      };
      const first = stagedBatch(2);
      assert.deepEqual((await warehouse.appendPrepared([preparedBody(first)], [quarantined])).duplicate, [false, false]);
      assert.equal((await warehouse.listQuarantine({ limit: 10 })).length, 1);
      const refused = stagedBatch(2);
      await assert.rejects(warehouse.appendPrepared([preparedBody(refused)], []), { code: 'SLUICE_ERR_QUEUE_FULL' });
      assert.equal((await warehouse.listEvents({ limit: 10 })).length, 2, 'a read drains the backlog');
      assert.deepEqual((await warehouse.appendPrepared([preparedBody(refused)], [])).duplicate, [false, false], 'the refused ids were released');
      assert.equal((await warehouse.listEvents({ limit: 10 })).length, 4);
    } finally {
      await warehouse.close();
    }
  }));
});
