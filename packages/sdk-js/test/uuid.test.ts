import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uuidv7 } from '../src/uuid.ts';

const canonical = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('uuidv7: canonical form, version 7, RFC 9562 variant', () => {
  for (let i = 0; i < 1000; i++) assert.match(uuidv7(), canonical);
});

test('uuidv7: the first 48 bits are the Unix time in milliseconds', () => {
  for (const ms of [0, 1, 1_749_718_443_512, 2 ** 48 - 1]) {
    assert.equal(Number.parseInt(uuidv7(ms).replace('-', '').slice(0, 12), 16), ms);
  }
});

test('uuidv7: ids of later milliseconds sort later; ids are unique', () => {
  const ids = Array.from({ length: 200 }, (_, i) => uuidv7(1_749_718_443_512 + i));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(Array.from({ length: 10_000 }, () => uuidv7())).size, 10_000);
});
