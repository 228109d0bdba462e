import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { RESERVATION_SPAN, type ClickHouseWarehouse } from '../src/index.ts';
import { CHDB_DATABASE, createChdbHarness, type ChdbHarness } from './chdb-harness.ts';

/*
 * The landers' side of the ClickHouse warehouse on the real engine (chDB): appends numbered by the
 * caller, the ledger of landed reservations, and the watermark curation reads from it.
 */
describe('ClickHouse warehouse numbered by reservation (chDB)', () => {
  let harness: ChdbHarness;
  let warehouse: ClickHouseWarehouse;
  const count = async (sql: string): Promise<number> => {
    const result = await harness.client().query({ query: sql, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 } });
    return (await result.json<{ n: number }>())[0]?.n ?? -1;
  };
  before(async () => {
    harness = await createChdbHarness();
    warehouse = await harness.open();
  });
  after(async () => {
    await warehouse.close();
    await harness.cleanup();
  });

  test('until a reservation is recorded, the watermark is the highest number stored (single-process counters)', async () => {
    await warehouse.append({ events: [makeIngestedEvent(), makeIngestedEvent()], quarantine: [makeQuarantinedEvent()] });
    assert.equal(await warehouse.reservations.inUse(), false);
    assert.equal(await warehouse.maxIngestSeq(), 2);
    assert.equal(await warehouse.reservations.highestNumber(), 2);
  });

  test('numbered appends keep the caller\'s numbers; an event stored under a lower number is not stored again', async () => {
    const span = RESERVATION_SPAN;
    const [e1, e2, e3] = [makeIngestedEvent(), makeIngestedEvent(), makeIngestedEvent()];
    const q = makeQuarantinedEvent();
    // Reservation 2: e1, a quarantine row, e2.
    const first = await warehouse.append({ events: [e1!, e2!], quarantine: [q] }, { dedupToken: 't-2', seqs: { events: [2 * span, 2 * span + 2], quarantine: [2 * span + 1] } });
    assert.deepEqual(first.duplicate, [false, false]);
    // Reservation 5 holds e1 again (a client resend): stored under 2·span already, so skipped; e3 is new.
    const resent = await warehouse.append({ events: [e1!, e3!], quarantine: [] }, { dedupToken: 't-5', seqs: { events: [5 * span, 5 * span + 1], quarantine: [] } });
    assert.deepEqual(resent.duplicate, [true, false]);
    // Reservation 4, landed late (a lander that held it died), holds e3: lower than e3's number, so stored; FINAL reads the lower.
    await warehouse.append({ events: [e3!], quarantine: [] }, { dedupToken: 't-4', seqs: { events: [4 * span], quarantine: [] } });
    const seqOf = async (id: string) => (await warehouse.listEvents({ limit: 10 })).find((e) => e.eventId === id)?.ingestSeq;
    assert.equal(await seqOf(e1!.eventId), 2 * span);
    assert.equal(await seqOf(e2!.eventId), 2 * span + 2);
    assert.equal(await seqOf(e3!.eventId), 4 * span);
    assert.equal(await count(`SELECT count() AS n FROM ${CHDB_DATABASE}.events WHERE event_id = '${e1!.eventId}'`), 1, 'the resend stored no copy');
    const quarantined = await warehouse.listQuarantine({ limit: 10 });
    assert.ok(quarantined.some((r) => r.quarantineSeq === 2 * span + 1));
    // The same reservation inserted again (a zombie lander): dropped by its token, whatever its rows.
    await warehouse.append({ events: [makeIngestedEvent()], quarantine: [] }, { dedupToken: 't-2', seqs: { events: [2 * span + 7], quarantine: [] } });
    assert.equal(await count(`SELECT count() AS n FROM ${CHDB_DATABASE}.events WHERE ingest_seq = ${2 * span + 7}`), 0);
    assert.equal(await warehouse.reservations.highestNumber(), 5 * span + 1);
  });

  test('the watermark stops below the lowest reservation not recorded as landed', async () => {
    await warehouse.reservations.record([0n, 1n, 2n, 5n]);
    assert.equal(await warehouse.reservations.inUse(), true);
    assert.deepEqual(await warehouse.reservations.state(), { lowestUnlanded: 3n, landedAbove: [5n] });
    assert.equal(await warehouse.maxIngestSeq(), 3 * RESERVATION_SPAN - 1, 'reservations 3 and 4 are open: e3 (4·span) is above it');
    // A tail (ascending, after_seq) stops at the watermark: e3 must not be passed before reservation 3 lands.
    const tailed = (await warehouse.listEvents({ afterSeq: 0, limit: 100 })).map((e) => e.ingestSeq);
    assert.ok(tailed.length > 0 && tailed.every((seq) => seq <= 3 * RESERVATION_SPAN - 1), `tail past the watermark: ${tailed.join(',')}`);
    const newest = (await warehouse.listEvents({ order: 'desc', limit: 100 })).map((e) => e.ingestSeq);
    assert.ok(newest.includes(4 * RESERVATION_SPAN), 'newest-first listing is not a tail and shows everything stored');
    assert.ok((await warehouse.listQuarantine({ limit: 100 })).every((q) => q.quarantineSeq <= 3 * RESERVATION_SPAN - 1));
    await warehouse.reservations.record([4n, 3n, 3n]);
    assert.deepEqual(await warehouse.reservations.state(), { lowestUnlanded: 6n, landedAbove: [] });
    assert.equal(await warehouse.maxIngestSeq(), 6 * RESERVATION_SPAN - 1);
  });

  test('the landed prefix is folded into the floor, and the watermark holds across it and across a reopen', async () => {
    const many = Array.from({ length: 300 }, (_, i) => BigInt(6 + i));
    await warehouse.reservations.record(many.filter((o) => o !== 250n));
    assert.deepEqual(await warehouse.reservations.state(), { lowestUnlanded: 250n, landedAbove: many.filter((o) => o > 250n) });
    assert.equal(await count(`SELECT max(floor) AS n FROM ${CHDB_DATABASE}.landed_reservations_floor`), 250, 'compacted up to the open reservation');
    assert.equal(await count(`SELECT count() AS n FROM ${CHDB_DATABASE}.landed_reservations WHERE reservation < 250`), 0, 'the prefix rows are gone');
    await warehouse.close();
    warehouse = await harness.open();
    // A zombie recording an old reservation again does not move the watermark back.
    await warehouse.reservations.record([7n, 250n]);
    assert.deepEqual(await warehouse.reservations.state(), { lowestUnlanded: 306n, landedAbove: [] });
    assert.equal(await warehouse.maxIngestSeq(), 306 * RESERVATION_SPAN - 1);
  });

  test('erasing the events with the highest numbers keeps them counted: reservation numbers never reuse an erased one', async () => {
    const span = RESERVATION_SPAN;
    const event = makeIngestedEvent({ userId: 'user-to-erase' });
    await warehouse.append({ events: [event], quarantine: [] }, { dedupToken: 't-900', seqs: { events: [900 * span + 3], quarantine: [] } });
    const [record] = await warehouse.eraseUsers([{ tenant: event.tenant, userId: 'user-to-erase', requestEventId: event.eventId, erasedAt: Date.now() }]);
    assert.equal(record?.deletedEvents, 1);
    assert.equal(await count(`SELECT count() AS n FROM ${CHDB_DATABASE}.events WHERE ingest_seq = ${900 * span + 3}`), 0);
    assert.equal(await warehouse.reservations.highestNumber(), 900 * span + 3, 'from the erasure audit\'s max_erased_seq');
  });
});
