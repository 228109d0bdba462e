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
