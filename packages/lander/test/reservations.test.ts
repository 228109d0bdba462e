import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SluiceError } from '@sluice/core';
import { decodeReservation, encodeReservation, numberOf, openReservationsOf, paddingNeeded, type Reservation } from '../src/reservations.ts';

const reservation = (partition: number, first: bigint, last: bigint): Reservation => ({ topic: 'events', partition, firstOffset: first, lastOffset: last, events: 3 });

test('a reservation reads back as written; anything else is padding', () => {
  const r = reservation(2, 10n, 12n);
  assert.deepEqual(decodeReservation(encodeReservation(r)), r);
  assert.equal(decodeReservation(encodeReservation(undefined)), undefined);
  assert.equal(decodeReservation('not json'), undefined);
  assert.equal(decodeReservation('{"topic":"events"}'), undefined);
});

test('item i of the batch reserved at offset o is numbered o·span + i, and never past the span', () => {
  assert.equal(numberOf(3n, 0, 16), 48);
  assert.equal(numberOf(3n, 15, 16), 63);
  assert.throws(() => numberOf(3n, 16, 16), (error: unknown) => error instanceof SluiceError && error.code === 'SLUICE_ERR_INTERNAL');
});

test('padding puts the first real reservation above every number already handed out, and never at offset 0', () => {
  assert.equal(paddingNeeded(0n, 0, 16), 1, 'a fresh warehouse: offset 0 is padding');
  assert.equal(paddingNeeded(1n, 0, 16), 0);
  // A warehouse a single lander numbered up to 100: reservations must start at 7 (7·16 = 112 > 100).
  assert.equal(paddingNeeded(0n, 100, 16), 7);
  assert.equal(paddingNeeded(5n, 100, 16), 2);
  // Numbers from reservation 9 stored, topic end 12: nothing to pad.
  assert.equal(paddingNeeded(12n, 9 * 16 + 4, 16), 0);
});

test('open reservations: not landed, of an owned partition, by first offset; open padding is closable by anyone', () => {
  const placed = [
    { offset: 4n, reservation: reservation(1, 50n, 60n) },
    { offset: 5n, reservation: undefined },
    { offset: 6n, reservation: reservation(0, 10n, 20n) },
    { offset: 7n, reservation: reservation(2, 0n, 5n) },
    { offset: 8n, reservation: reservation(1, 30n, 40n) },
    { offset: 9n, reservation: reservation(0, 21n, 25n) },
  ];
  const owned = new Set([0, 1]);
  const { reland, padding } = openReservationsOf(placed, [9n], (topic, partition) => topic === 'events' && owned.has(partition));
  assert.deepEqual(reland.map((r) => r.offset), [6n, 8n, 4n], 'by first offset: partition 0 at 10, partition 1 at 30 then 50');
  assert.deepEqual(padding, [5n]);
});
