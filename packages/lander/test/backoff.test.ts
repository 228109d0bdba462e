import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../src/backoff.ts';

const retry = { initialMs: 200, maxMs: 30_000 };

test('the delay doubles from initialMs, between half and all of the step', () => {
  assert.deepEqual([0, 1, 2, 3].map((n) => backoffDelay(n, retry, () => 0)), [100, 200, 400, 800]);
  assert.deepEqual([0, 1, 2, 3].map((n) => backoffDelay(n, retry, () => 1)), [200, 400, 800, 1600]);
});

test('the delay is capped at maxMs, also after very many attempts', () => {
  assert.equal(backoffDelay(10, retry, () => 1), 30_000);
  assert.equal(backoffDelay(5000, retry, () => 1), 30_000);
  assert.equal(backoffDelay(5000, retry, () => 0), 15_000);
});
