import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ledgerStateOf, RESERVATION_SPAN, watermarkOf } from '../src/reservation-ledger.ts';

test('the lowest unlanded reservation is the first offset at or above the floor not recorded', () => {
  assert.deepEqual(ledgerStateOf(0n, []), { lowestUnlanded: 0n, landedAbove: [] });
  assert.deepEqual(ledgerStateOf(0n, [0n, 1n, 2n]), { lowestUnlanded: 3n, landedAbove: [] });
  assert.deepEqual(ledgerStateOf(0n, [0n, 2n, 3n]), { lowestUnlanded: 1n, landedAbove: [2n, 3n] });
  // Unordered, recorded twice (a re-landed reservation and its zombie), or below the floor.
  assert.deepEqual(ledgerStateOf(5n, [9n, 5n, 3n, 6n, 6n, 8n]), { lowestUnlanded: 7n, landedAbove: [8n, 9n] });
  assert.deepEqual(ledgerStateOf(5n, [7n]), { lowestUnlanded: 5n, landedAbove: [7n] });
});

test('the watermark stops below the numbers of the lowest unlanded reservation', () => {
  assert.equal(watermarkOf({ lowestUnlanded: 0n, landedAbove: [] }), 0, 'nothing landed: nothing promised');
  assert.equal(watermarkOf({ lowestUnlanded: 1n, landedAbove: [] }), RESERVATION_SPAN - 1);
  // Reservation 3 is open: 3·span and above may still arrive, whatever landed after it.
  assert.equal(watermarkOf({ lowestUnlanded: 3n, landedAbove: [4n, 7n] }, 16), 47);
});
