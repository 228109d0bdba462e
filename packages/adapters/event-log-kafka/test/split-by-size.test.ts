import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OutgoingMessage } from '../src/event-messages.ts';
import { splitBySize } from '../src/split-by-size.ts';

const message = (bytes: number, n = 0): OutgoingMessage => ({ topic: 't', key: `k${n}`, value: 'v'.repeat(bytes), headers: {} });

test('small batches stay one request', () => {
  const messages = [message(10), message(10)];
  assert.deepEqual(splitBySize(messages, 1000), [messages]);
});

test('large batches split in order, each request under the limit', () => {
  const messages = Array.from({ length: 10 }, (_, n) => message(300, n));
  const chunks = splitBySize(messages, 1000);
  assert.equal(chunks.length, 4);
  assert.deepEqual(chunks.flat(), messages, 'nothing lost, nothing reordered');
  for (const chunk of chunks) assert.ok(chunk.length <= 3);
});

test('a message larger than the limit goes alone rather than being dropped', () => {
  const huge = message(5000);
  assert.deepEqual(splitBySize([message(10, 1), huge, message(10, 2)], 1000).map((c) => c.length), [1, 1, 1]);
});

test('no messages, no requests', () => {
  assert.deepEqual(splitBySize([], 1000), []);
});
