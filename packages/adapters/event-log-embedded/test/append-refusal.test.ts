import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendRefusal } from '../src/append-refusal.ts';

const open = { closing: false, maxQueuedEvents: 100 };

test('an append is refused while closing, whatever its size', () => {
  assert.equal(appendRefusal({ ...open, closing: true, queued: 0 }, 5)?.code, 'SLUICE_ERR_SHUTTING_DOWN');
  assert.equal(appendRefusal({ ...open, closing: true, queued: 0 }, 0)?.code, 'SLUICE_ERR_SHUTTING_DOWN');
});

test('past maxQueuedEvents an append is refused with the queue size; an empty queue takes any size', () => {
  const refusal = appendRefusal({ ...open, queued: 60 }, 41);
  assert.equal(refusal?.code, 'SLUICE_ERR_QUEUE_FULL');
  assert.deepEqual(refusal?.details, { queued_events: 60 });
  assert.equal(appendRefusal({ ...open, queued: 60 }, 40), null);
  assert.equal(appendRefusal({ ...open, queued: 0 }, 1000), null);
});

test('an empty append is never refused for its size, even over the limit', () => {
  assert.equal(appendRefusal({ ...open, queued: 150 }, 0), null);
});
