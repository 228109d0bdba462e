import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteRing } from '../src/scratch-buffer.ts';

test('ByteRing keeps copies in FIFO order, wraps to the start, and refuses what does not fit', () => {
  const ring = new ByteRing(10);
  const text = (parts: string[]) => ring.put(parts.map((p) => Buffer.from(p)))?.toString() ?? null;
  assert.equal(text(['ab', 'cd']), 'abcd'); // [0, 4)
  assert.equal(text(['efgh']), 'efgh'); // [4, 8)
  assert.equal(text(['ijk']), null, 'two bytes left at the end, the start is taken');
  ring.shift(); // frees [0, 4)
  assert.equal(text(['ijk']), 'ijk', 'wraps to the start'); // [0, 3)
  assert.equal(text(['l']), null, 'would touch the oldest copy');
  ring.shift(); // frees [4, 8)
  assert.equal(text(['lmnop']), 'lmnop'); // [3, 8)
  assert.equal(text(['q'.repeat(11)]), null, 'larger than the ring');
  ring.shift();
  ring.shift();
  assert.equal(text(['q'.repeat(10)]), 'q'.repeat(10), 'empty again: the whole ring');
});

test('ByteRing copies the bytes: changing the source afterwards changes nothing', () => {
  const ring = new ByteRing(16);
  const source = Buffer.from('payload');
  const copy = ring.put([source])!;
  source.fill(0);
  assert.equal(copy.toString(), 'payload');
});

test('ByteRing reserves room to be filled in place: keep makes it the newest copy without copying it', () => {
  const ring = new ByteRing(10);
  const room = ring.reserve(4)!;
  assert.equal(ring.reserve(2), null, 'one reservation at a time');
  room.write('abcd');
  const kept = ring.keep(room)!;
  assert.equal(kept.buffer, room.buffer);
  assert.equal(kept.byteOffset, room.byteOffset);
  assert.equal(ring.put([Buffer.from('efgh')])?.toString(), 'efgh', 'placed after the kept bytes'); // [4, 8)
  assert.equal(ring.reserve(3), null, 'no room left: the caller writes elsewhere');
  ring.shift(); // frees [0, 4)
  const cancelled = ring.reserve(3)!;
  ring.cancel(cancelled);
  const again = ring.reserve(3)!;
  assert.equal(again.byteOffset, cancelled.byteOffset, 'a cancelled reservation holds nothing');
  // Keeping other bytes than the reservation copies them and drops the reservation.
  assert.equal(ring.keep(Buffer.from('xyz'))?.toString(), 'xyz'); // [0, 3)
  ring.shift(); // frees [4, 8)
  assert.equal(ring.reserve(4)?.byteOffset, 3, 'the dropped reservation does not block the next');
});

test('ByteRing follows each kept reservation with its trailer byte, so reservations kept in a row read as one run', () => {
  const ring = new ByteRing(32, 0x1d);
  const first = ring.reserve(3)!;
  first.write('abc');
  ring.keep(first);
  const second = ring.reserve(2)!;
  second.write('de');
  ring.keep(second);
  assert.equal(second.byteOffset, first.byteOffset + 4);
  assert.equal(Buffer.from(first.buffer, first.byteOffset, 7).toString('latin1'), 'abc\x1dde\x1d');
  assert.equal(ring.put([Buffer.from('f')])!.byteOffset, second.byteOffset + 3, 'the trailer is held with its copy');
});
