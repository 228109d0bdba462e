import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SluiceError } from '../errors.ts';
import type { Warehouse } from '../ports/warehouse.ts';
import { makeIngestedEvent, makeQuarantinedEvent } from './factories.ts';

export interface WarehouseHarness {
  /** Opens the warehouse on the harness's storage; may be called again after close (restart). */
  open(): Promise<Warehouse>;
  /** Removes the storage. */
  cleanup(): Promise<void>;
}

/**
 * The Warehouse port's contract. Every adapter runs this same suite against its real engine.
 */
export function runWarehouseConformance(name: string, createHarness: () => Promise<WarehouseHarness>): void {
  describe(`Warehouse conformance: ${name}`, () => {
    let harness: WarehouseHarness;
    let warehouse: Warehouse;
    before(async () => {
      harness = await createHarness();
      warehouse = await harness.open();
    });
    after(async () => {
      await warehouse.close();
      await harness.cleanup();
    });

    test('appended events read back whole, in append order, with increasing ingestSeq', async () => {
      const source = `src-${randomUUID().slice(0, 8)}`;
      const events = [
        makeIngestedEvent({ source, type: 'generation', sentAt: null }),
        makeIngestedEvent({ source, type: 'feedback', userId: null, anonymousId: 'anon_7', clientIp: '203.0.113.9' }),
      ];
      const outcome = await warehouse.append({ events, quarantine: [] });
      assert.deepEqual(outcome.duplicate, [false, false]);
      const stored = await warehouse.listEvents({ limit: 10, source });
      assert.equal(stored.length, 2);
      for (const [i, row] of stored.entries()) {
        const { ingestSeq, ...rest } = row;
        assert.ok(Number.isSafeInteger(ingestSeq) && ingestSeq > 0);
        assert.deepEqual(rest, events[i]);
      }
      assert.ok(stored[1]!.ingestSeq > stored[0]!.ingestSeq);
    });

    test('a repeated (source, event_id) is reported duplicate and stored once, within and across batches', async () => {
      const source = `src-${randomUUID().slice(0, 8)}`;
      const first = makeIngestedEvent({ source });
      const outcome1 = await warehouse.append({ events: [first, { ...first }], quarantine: [] });
      assert.deepEqual(outcome1.duplicate, [false, true]);
      const outcome2 = await warehouse.append({ events: [{ ...first, eventId: first.eventId.toUpperCase() }, makeIngestedEvent({ source })], quarantine: [] });
      assert.deepEqual(outcome2.duplicate, [true, false]);
      assert.equal((await warehouse.listEvents({ limit: 10, source })).length, 2);
    });

    test('the same event_id from another source is a different event', async () => {
      const id = randomUUID();
      const a = makeIngestedEvent({ eventId: id, source: `a-${id.slice(0, 6)}` });
      const b = makeIngestedEvent({ eventId: id, source: `b-${id.slice(0, 6)}` });
      assert.deepEqual((await warehouse.append({ events: [a, b], quarantine: [] })).duplicate, [false, false]);
    });

    test('quarantined events keep reason, pointer and raw payload of any JSON shape', async () => {
      const source = `src-${randomUUID().slice(0, 8)}`;
      const rows = [
        makeQuarantinedEvent({ source }),
        makeQuarantinedEvent({ source, code: 'SLUICE_ERR_EVENT_NOT_OBJECT', pointer: '', payload: 42 }),
        makeQuarantinedEvent({ source, eventId: 'not-a-uuid', payload: ['x', null] }),
      ];
      await warehouse.append({ events: [], quarantine: rows });
      const stored = await warehouse.listQuarantine({ limit: 10, source });
      assert.deepEqual(stored.map(({ quarantineSeq: _, ...rest }) => rest), rows);
    });

    test('listEvents filters by type, user and session, tails after a sequence, and orders both ways', async () => {
      const source = `src-${randomUUID().slice(0, 8)}`;
      const events = [
        makeIngestedEvent({ source, type: 'generation', userId: 'u1', sessionId: 's1' }),
        makeIngestedEvent({ source, type: 'outcome', userId: 'u1', sessionId: 's2' }),
        makeIngestedEvent({ source, type: 'generation', userId: 'u2', sessionId: 's1' }),
      ];
      await warehouse.append({ events, quarantine: [] });
      assert.deepEqual((await warehouse.listEvents({ limit: 10, source, type: 'generation' })).map((e) => e.eventId), [events[0]!.eventId, events[2]!.eventId]);
      assert.deepEqual((await warehouse.listEvents({ limit: 10, source, userId: 'u1' })).map((e) => e.eventId), [events[0]!.eventId, events[1]!.eventId]);
      assert.deepEqual((await warehouse.listEvents({ limit: 10, source, sessionId: 's1' })).length, 2);
      const all = await warehouse.listEvents({ limit: 10, source });
      const tail = await warehouse.listEvents({ limit: 10, source, afterSeq: all[0]!.ingestSeq });
      assert.deepEqual(tail.map((e) => e.eventId), [events[1]!.eventId, events[2]!.eventId]);
      const newest = await warehouse.listEvents({ limit: 1, source, order: 'desc' });
      assert.equal(newest[0]!.eventId, events[2]!.eventId);
    });

    test('values are bound, not spliced: quotes and SQL in filters match literally', async () => {
      const source = `src'; DROP TABLE events; --${randomUUID().slice(0, 4)}`;
      await warehouse.append({ events: [makeIngestedEvent({ source, userId: "o'brien" })], quarantine: [] });
      assert.equal((await warehouse.listEvents({ limit: 10, source, userId: "o'brien" })).length, 1);
    });

    test('ping answers while open', async () => {
      await warehouse.ping();
    });

    test('events, duplicates and sequences survive a close and reopen', async () => {
      const source = `src-${randomUUID().slice(0, 8)}`;
      const event = makeIngestedEvent({ source });
      await warehouse.append({ events: [event], quarantine: [makeQuarantinedEvent({ source })] });
      const before = await warehouse.listEvents({ limit: 1, order: 'desc' });
      await warehouse.close();
      warehouse = await harness.open();
      assert.deepEqual((await warehouse.append({ events: [event], quarantine: [] })).duplicate, [true]);
      const next = makeIngestedEvent({ source });
      await warehouse.append({ events: [next], quarantine: [] });
      const newest = await warehouse.listEvents({ limit: 1, order: 'desc' });
      assert.equal(newest[0]!.eventId, next.eventId);
      assert.ok(newest[0]!.ingestSeq > before[0]!.ingestSeq);
      assert.equal((await warehouse.listQuarantine({ limit: 10, source })).length, 1);
    });

    test('a closed warehouse refuses work with SLUICE_ERR_STORAGE_UNAVAILABLE', async () => {
      await warehouse.close();
      await assert.rejects(warehouse.append({ events: [makeIngestedEvent()], quarantine: [] }),
        (error: unknown) => error instanceof SluiceError && error.code === 'SLUICE_ERR_STORAGE_UNAVAILABLE');
      await assert.rejects(warehouse.ping(), SluiceError);
      warehouse = await harness.open();
    });
  });
}
