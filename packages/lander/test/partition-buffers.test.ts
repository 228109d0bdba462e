import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeQuarantinedEvent } from '@sluice/core/testing';
import type { KafkaRecord } from '../src/decode-records.ts';
import { partitionKey, PartitionBuffers, type DecodedRecord } from '../src/partition-buffers.ts';

/** A message decoded to `events` items (quarantine rows will do: the buffers only count them). */
const record = (offset: number, partition = 0, events = 1, producedAt = 0): DecodedRecord => {
  const kafkaRecord: KafkaRecord = { topic: 't', partition, offset: BigInt(offset), timestamp: BigInt(producedAt), value: '{}', headers: new Map() };
  const items = Array.from({ length: events }, (_, line) => ({ record: kafkaRecord, line, lines: events, quarantine: makeQuarantinedEvent(), origin: 'topic' as const }));
  return { record: kafkaRecord, items };
};
const key = partitionKey('t', 0);

test('a started partition accepts the next offset, skips redelivered ones and reports a gap without taking it', () => {
  const buffers = new PartitionBuffers();
  buffers.start('t', 0, 10n);
  assert.deepEqual(buffers.offer(record(10), 1, 0), { kind: 'accepted' });
  assert.deepEqual(buffers.offer(record(11), 1, 0), { kind: 'accepted' });
  assert.deepEqual(buffers.offer(record(10), 1, 0), { kind: 'redelivered' }, 'after a rebalance Kafka sends again from the committed offset');
  assert.deepEqual(buffers.offer(record(15), 1, 0), { kind: 'gap', expected: 12n });
  assert.equal(buffers.size(key), 2);
  buffers.acceptGap(record(15), 1, 0);
  assert.deepEqual(buffers.offer(record(16), 1, 0), { kind: 'accepted' });
});

test('batches are taken from the front, at most max messages, and keep their offsets contiguous', () => {
  const buffers = new PartitionBuffers();
  buffers.start('t', 0, 0n);
  for (let i = 0; i < 5; i++) buffers.offer(record(i), 3, 0);
  const first = buffers.take(key, 3, 0);
  assert.deepEqual(first?.records.map((r) => r.offset), [0n, 1n, 2n]);
  assert.equal(first?.leaderEpoch, 3);
  assert.deepEqual(buffers.take(key, 3, 0)?.records.map((r) => r.offset), [3n, 4n]);
  assert.equal(buffers.take(key, 3, 0), undefined);
  assert.deepEqual(buffers.offer(record(2), 3, 0), { kind: 'redelivered' }, 'taking does not move the position back');
});

test('batches count events, not messages, and are always whole messages', () => {
  const buffers = new PartitionBuffers();
  buffers.start('t', 0, 0n);
  for (let i = 0; i < 4; i++) buffers.offer(record(i, 0, 3), 0, 0);
  assert.equal(buffers.size(key), 4);
  assert.equal(buffers.events(key), 12);
  const first = buffers.take(key, 7, 0);
  assert.deepEqual(first?.records.map((r) => r.offset), [0n, 1n], 'a third message would make 9 events');
  assert.deepEqual(first?.items.map((i) => [i.record.offset, i.line]), [[0n, 0], [0n, 1], [0n, 2], [1n, 0], [1n, 1], [1n, 2]]);
  assert.equal(buffers.events(key), 6);
  assert.deepEqual(buffers.take(key, 1, 0)?.records.map((r) => r.offset), [2n], 'one message even when it holds more than max');
});

test('a partition is due maxWaitMs after its oldest message in hand', () => {
  const buffers = new PartitionBuffers();
  buffers.start('t', 0, 0n);
  buffers.start('t', 1, 0n);
  assert.equal(buffers.nextDeadline(500), undefined);
  buffers.offer(record(0, 0), 0, 1000);
  buffers.offer(record(0, 1), 0, 1200);
  buffers.offer(record(1, 0), 0, 1400);
  assert.equal(buffers.nextDeadline(500), 1500);
  assert.deepEqual(buffers.due(1499, 500), []);
  assert.deepEqual(buffers.due(1500, 500), [key]);
  assert.deepEqual(buffers.due(1700, 500).sort(), [key, partitionKey('t', 1)]);
});

test('backlogs are the partitions whose oldest message in hand was produced at least maxWaitMs before now, oldest first', () => {
  const buffers = new PartitionBuffers();
  buffers.start('t', 0, 0n);
  buffers.start('t', 1, 0n);
  assert.deepEqual(buffers.backlogs(10_000, 500), [], 'nothing in hand');
  buffers.offer(record(0, 0, 1, 9_000), 0, 10_000);
  buffers.offer(record(1, 0, 1, 8_000), 0, 10_000);
  buffers.offer(record(0, 1, 1, 8_500), 0, 10_000);
  const keys = (now: number) => buffers.backlogs(now, 500).map((b) => b.key);
  assert.deepEqual(keys(8_800), [], 'the oldest message in hand counts, not an older one behind it');
  assert.deepEqual(keys(9_000), [partitionKey('t', 1)]);
  assert.deepEqual(keys(9_500), [partitionKey('t', 1), key]);
  assert.deepEqual(buffers.backlogs(9_500, 500)[1], { key, topic: 't', partition: 0, position: 2n }, 'position: after the last message in hand');
  buffers.take(key, 10, 10_000);
  assert.deepEqual(keys(10_000), [partitionKey('t', 1)]);
});

test('retainOnly forgets revoked partitions with their messages in hand; clear forgets all', () => {
  const buffers = new PartitionBuffers();
  buffers.start('t', 0, 0n);
  buffers.start('t', 1, 0n);
  buffers.offer(record(0, 0), 0, 0);
  buffers.offer(record(0, 1), 0, 0);
  buffers.offer(record(1, 1), 0, 0);
  assert.equal(buffers.inHand(), 3);
  assert.equal(buffers.retainOnly(new Set([key])), 2);
  assert.equal(buffers.has(partitionKey('t', 1)), false);
  assert.deepEqual(buffers.pending(), [key]);
  assert.equal(buffers.clear(), 1);
  assert.equal(buffers.has(key), false);
});
