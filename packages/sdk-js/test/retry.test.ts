import assert from 'node:assert/strict';
import { test } from 'node:test';
import { takeBatch, toItem } from '../src/batch.ts';
import { backoffMs, isRetryable, parseRetryAfter } from '../src/retry.ts';
import type { SluiceEvent } from '../src/types.ts';

test('isRetryable: 5xx and 429 only', () => {
  assert.deepEqual([500, 502, 503, 504, 429].map(isRetryable), [true, true, true, true, true]);
  assert.deepEqual([400, 401, 403, 404, 408, 413, 415, 422].map(isRetryable), Array(8).fill(false));
});

test('backoffMs: full jitter in [0, min(max, base·2^attempt)]', () => {
  assert.equal(backoffMs(0, 500, 30_000, 0, () => 0.999_999) < 500, true);
  assert.equal(backoffMs(3, 500, 30_000, 0, () => 1), 4000);
  assert.equal(backoffMs(10, 500, 30_000, 0, () => 1), 30_000, 'capped');
  assert.equal(backoffMs(10, 500, 30_000, 0, () => 0), 0, 'full jitter reaches 0');
});

test('backoffMs: never shorter than Retry-After, even beyond the cap', () => {
  assert.equal(backoffMs(0, 500, 30_000, 2000, () => 0.5), 2000);
  assert.equal(backoffMs(0, 500, 1000, 60_000, () => 1), 60_000);
});

test('parseRetryAfter: delay-seconds and HTTP dates', () => {
  const now = Date.parse('2025-06-12T09:00:00Z');
  assert.equal(parseRetryAfter('2', now), 2000);
  assert.equal(parseRetryAfter('0', now), 0);
  assert.equal(parseRetryAfter(null, now), 0);
  assert.equal(parseRetryAfter('Thu, 12 Jun 2025 09:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Thu, 12 Jun 2025 08:00:00 GMT', now), 0, 'a date in the past');
  assert.equal(parseRetryAfter('soon', now), 0);
});

const event = (text: string): SluiceEvent => ({ event_id: '0197636a-fadb-79a2-92e8-551222150672', type: 'track', occurred_at: '2025-06-12T09:00:00Z', user_id: 'u', name: 'n', properties: { text } });

test('takeBatch: by count and by bytes, never an empty batch', () => {
  const items = ['a', 'b', 'c', 'd', 'e'].map((t) => toItem(event(t.repeat(100))));
  const size = items[0]!.n + 1;
  assert.equal(takeBatch([...items], 3, 1_000_000).length, 3);
  assert.equal(takeBatch([...items], 100, size * 2).length, 2);
  assert.equal(takeBatch([...items], 100, 10).length, 1, 'an oversized first event still goes alone');
  const rest = [...items];
  takeBatch(rest, 2, 1_000_000);
  assert.deepEqual(rest, items.slice(2), 'removes what it returns');
});

test('toItem measures UTF-8 bytes, not UTF-16 units', () => {
  const ascii = toItem(event('aaaa'));
  const multibyte = toItem(event('ääää'));
  assert.equal(multibyte.n - ascii.n, 4);
});
