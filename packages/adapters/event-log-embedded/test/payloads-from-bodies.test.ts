import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppendBatch, AppendOutcome, IngestedEvent } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createGroupCommitEventLog } from '../src/index.ts';
import { withPayloadsFromBodies } from '../src/payloads-from-bodies.ts';

/** Events as POST /v1/batch hands them over: entries of one body, some skipped (rejected), plus a body-less event. */
function batchWithBodies(): { batch: AppendBatch; body: Record<string, unknown>[] } {
  const all = Array.from({ length: 4 }, () => makeIngestedEvent());
  const body = all.map((e, i) => ({ ...e.payload, note: `entry ${i} é "quoted"` }));
  const json = Buffer.from(`{ "sent_at": "2026-11-29T12:00:00Z", "events": ${JSON.stringify(body, null, 1)} }`);
  const covered = [0, 2, 3].map((i) => ({ ...all[i]!, payload: body[i]! }));
  const bodyless = makeIngestedEvent();
  return {
    batch: { events: [...covered, bodyless], quarantine: [], bodies: [{ json, positions: [0, 2, 3] }, { json: null, positions: [0] }] },
    body,
  };
}

test('events covered by a body read their payload from its bytes; the envelope and body-less events are unchanged', () => {
  const { batch, body } = batchWithBodies();
  const waiting = withPayloadsFromBodies(batch);
  assert.equal(waiting.bodies, batch.bodies);
  assert.equal(waiting.events.length, 4);
  assert.deepEqual(waiting.events.map((e) => e.payload), [body[0], body[2], body[3], batch.events[3]!.payload]);
  assert.notEqual(waiting.events[0], batch.events[0], 'not the parsed event the request made');
  assert.equal(waiting.events[3], batch.events[3], 'a body-less event keeps its own payload');
  waiting.events.forEach((event, i) => {
    const { payload: _p, ...envelope } = batch.events[i]!;
    assert.deepEqual({ ...event }, i < 3 ? envelope : batch.events[i]);
    // Serialised whole, payload included, like the plain event.
    assert.deepEqual(JSON.parse(JSON.stringify(event)), JSON.parse(JSON.stringify(batch.events[i])));
  });
});

test('a batch whose bodies do not cover its events, or that has none, is passed on as it is', () => {
  const { batch } = batchWithBodies();
  const short: AppendBatch = { ...batch, bodies: [batch.bodies![0]!] };
  assert.equal(withPayloadsFromBodies(short), short);
  const none: AppendBatch = { events: batch.events, quarantine: [] };
  assert.equal(withPayloadsFromBodies(none), none);
});

test('with payloadsFromBodies the group commit hands the warehouse events whose payloads come from the bodies', async () => {
  const seen: IngestedEvent[][] = [];
  const warehouse = {
    append: async (batch: AppendBatch): Promise<AppendOutcome> => {
      seen.push([...batch.events]);
      return { duplicate: batch.events.map(() => false) };
    },
  };
  const log = createGroupCommitEventLog(warehouse, { maxBatchEvents: 100, maxQueuedEvents: 100, payloadsFromBodies: true });
  const { batch, body } = batchWithBodies();
  assert.deepEqual(await log.append(batch), { duplicate: [false, false, false, false] });
  assert.deepEqual(seen[0]!.map((e) => e.eventId), batch.events.map((e) => e.eventId));
  assert.deepEqual(seen[0]![1]!.payload, body[2]);
  await log.close();
});
