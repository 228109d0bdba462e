import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { BodyFailure, Tally, toParts } from '../src/parts.ts';

async function* chunks(sizes: number[]) {
  let value = 0;
  for (const size of sizes) yield Uint8Array.from({ length: size }, () => value++ % 251);
}

async function partsOf(sizes: number[], partSize: number) {
  const tally = new Tally();
  const parts: Buffer[] = [];
  for await (const part of toParts(chunks(sizes), partSize, tally)) parts.push(part);
  return { parts, written: tally.finish() };
}

test('chunks of any size become parts of exactly partSize bytes, the last one shorter, in order', async () => {
  const { parts, written } = await partsOf([3, 7, 1, 0, 12, 2], 5);
  assert.deepEqual(parts.map((p) => p.length), [5, 5, 5, 5, 5]);
  const whole = Buffer.concat(parts);
  assert.deepEqual([...whole], Array.from({ length: 25 }, (_, i) => i % 251));
  assert.deepEqual(written, { size: 25, sha256: createHash('sha256').update(whole).digest('hex') });
  assert.deepEqual((await partsOf([11], 5)).parts.map((p) => p.length), [5, 5, 1]);
  assert.deepEqual((await partsOf([], 5)).parts, []);
});

test('parts are copies: a producer that reuses its buffer cannot change a part already handed out', async () => {
  const buffer = new Uint8Array(4);
  async function* reusing() {
    for (const fill of [1, 2]) {
      buffer.fill(fill);
      yield buffer;
    }
  }
  const parts: Buffer[] = [];
  for await (const part of toParts(reusing(), 4, new Tally())) parts.push(part);
  assert.deepEqual(parts.map((p) => [...p]), [[1, 1, 1, 1], [2, 2, 2, 2]]);
});

test("a body's own error comes out marked as BodyFailure; a consumer stopping early closes the body", async () => {
  const failure = new Error('source went away');
  async function* failing() {
    yield new Uint8Array(3);
    throw failure;
  }
  await assert.rejects(
    (async () => {
      for await (const _ of toParts(failing(), 2, new Tally()));
    })(),
    (e) => e instanceof BodyFailure && e.error === failure,
  );
  let closed = false;
  async function* endless() {
    try {
      for (;;) yield new Uint8Array(10);
    } finally {
      closed = true;
    }
  }
  for await (const _ of toParts(endless(), 4, new Tally())) break;
  assert.equal(closed, true);
});
