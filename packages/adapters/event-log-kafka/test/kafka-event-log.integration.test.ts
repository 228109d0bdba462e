import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { SluiceError, type EventLog } from '@sluice/core';
import { makeIngestedEvent, makeQuarantinedEvent } from '@sluice/core/testing';
import { createKafkaEventLog, INGESTED_EVENT_LINES_SCHEMA, QUARANTINED_EVENT_SCHEMA, SCHEMA_HEADER } from '../src/index.ts';
import { describeTopics, kafkaBrokers, readEvents, readMessages, skipWithoutKafka, uniqueTopics } from './kafka-test-utils.ts';

describe('Kafka EventLog against a real broker', { skip: skipWithoutKafka }, () => {
  const topics = uniqueTopics();
  let log: EventLog;

  before(async () => {
    log = await createKafkaEventLog({ brokers: kafkaBrokers, ...topics, partitions: 3, replicationFactor: 1 });
  });
  after(async () => {
    await log?.close();
  });

  test('startup creates both topics with the requested partitions', async () => {
    const described = await describeTopics([topics.topic, topics.quarantineTopic]);
    assert.deepEqual(described.get(topics.topic), { partitions: 3 });
    assert.deepEqual(described.get(topics.quarantineTopic), { partitions: 3 });
  });

  test('a second instance starts against existing topics', async () => {
    const second = await createKafkaEventLog({ brokers: kafkaBrokers, ...topics, partitions: 3 });
    await second.close();
  });

  test('append resolves after Kafka has the events: keyed by session, then user, then anonymous id', async () => {
    const bySession = [1, 2, 3].map((n) => makeIngestedEvent({ sessionId: 'sess_a', type: `step_${n}` }));
    const byUser = makeIngestedEvent({ sessionId: null, userId: 'user_7', anonymousId: 'anon_7' });
    const byAnonymous = makeIngestedEvent({ sessionId: null, userId: null, anonymousId: 'anon_9' });
    const unkeyed = makeIngestedEvent({ sessionId: null, userId: null, anonymousId: null });
    const events = [...bySession, byUser, byAnonymous, unkeyed];

    assert.deepEqual(await log.append({ events, quarantine: [] }), { duplicate: events.map(() => false) });
    assert.equal(log.queuedEvents(), 0);

    const read = await readEvents(topics.topic, events.length);
    const byId = new Map(read.map((m) => [(JSON.parse(m.text) as { eventId: string }).eventId, m]));
    for (const event of events) {
      const message = byId.get(event.eventId);
      assert.ok(message, `event ${event.eventId} is in the topic`);
      assert.deepEqual(JSON.parse(message.text), event, 'each line is the IngestedEvent record as JSON');
      assert.equal(message.headers.get(SCHEMA_HEADER), INGESTED_EVENT_LINES_SCHEMA);
    }
    assert.deepEqual(bySession.map((e) => byId.get(e.eventId)?.key), ['sess_a', 'sess_a', 'sess_a']);
    assert.equal(byId.get(byUser.eventId)?.key, 'user_7');
    assert.equal(byId.get(byAnonymous.eventId)?.key, 'anon_9');
    assert.equal(byId.get(unkeyed.eventId)?.key, undefined);

    const session = bySession.map((e) => byId.get(e.eventId)!);
    assert.equal(new Set(session.map((m) => m.partition)).size, 1, "a session's events share one partition");
    assert.equal(new Set(session.map((m) => m.offset)).size, 1, 'one append, one session: one message');
    assert.deepEqual(session.map((m) => m.line), [0, 1, 2], 'in append order');
  });

  test('quarantined events go to the quarantine topic, as JSON with their own schema header', async () => {
    const quarantined = [makeQuarantinedEvent({ eventId: 'q-1' }), makeQuarantinedEvent({ eventId: null, payload: 42 })];
    assert.deepEqual(await log.append({ events: [], quarantine: quarantined }), { duplicate: [] });
    const read = await readMessages(topics.quarantineTopic, quarantined.length);
    const values = read.map((m) => JSON.parse(m.value) as unknown);
    for (const event of quarantined) assert.ok(values.some((value) => isDeepStrictEqual(value, event)), `${event.eventId} is in the topic`);
    assert.ok(read.every((m) => m.headers.get(SCHEMA_HEADER) === QUARANTINED_EVENT_SCHEMA && m.key === undefined));
  });

  test('a batch larger than Kafka accepts in one request (one session, ~3 MB) is split and fully acknowledged', async () => {
    const { topic, quarantineTopic } = uniqueTopics();
    const big = await createKafkaEventLog({ brokers: kafkaBrokers, topic, quarantineTopic, partitions: 1 });
    try {
      const filler = 'x'.repeat(30_000);
      const events = Array.from({ length: 100 }, () => makeIngestedEvent({ sessionId: 'sess_big', payload: { filler } }));
      assert.deepEqual(await big.append({ events, quarantine: [] }), { duplicate: events.map(() => false) });
      const read = await readEvents(topic, events.length);
      assert.deepEqual(read.map((m) => (JSON.parse(m.text) as { eventId: string }).eventId), events.map((e) => e.eventId), 'all of them, in order');
      assert.ok(new Set(read.map((m) => m.offset)).size > 1, 'in several messages');
    } finally {
      await big.close();
    }
  });

  test('with the request bodies at hand, lines carry the client bytes and read back as the same records', async () => {
    const { topic, quarantineTopic } = uniqueTopics();
    const spliced = await createKafkaEventLog({ brokers: kafkaBrokers, topic, quarantineTopic, partitions: 1 });
    try {
      const text = JSON.stringify({ events: [
        { type: 'generation', text: 'é € 😀 "quoted"', n: [1, 2.5] },
        'rejected entry',
        { type: 'generation', lines: 'a\nb' },
      ] }, null, 2);
      const entries = (JSON.parse(text) as { events: Array<Record<string, unknown>> }).events;
      const events = [makeIngestedEvent({ sessionId: 'sess_bytes', payload: entries[0]! }), makeIngestedEvent({ sessionId: 'sess_bytes', payload: entries[2]! })];
      const other = makeIngestedEvent({ sessionId: 'sess_bytes' });
      const bodies = [{ json: Buffer.from(text), positions: [0, 2] }, { json: null, positions: [0] }];
      await spliced.append({ events: [...events, other], quarantine: [], bodies });
      const read = await readEvents(topic, 3);
      assert.deepEqual(read.map((m) => JSON.stringify(JSON.parse(m.text))), [...events, other].map((e) => JSON.stringify(e)));
      assert.deepEqual(read.map((m) => m.line), [0, 1, 2], 'one message, in order');
      assert.match(read[0]!.text, /"n": \[ {9}1, {9}2\.5 {7}\]/, 'the client bytes, line breaks turned into spaces');
    } finally {
      await spliced.close();
    }
  });

  test('beyond maxQueuedEvents waiting or in flight, append refuses with SLUICE_ERR_QUEUE_FULL; concurrent appends all land', async () => {
    const { topic, quarantineTopic } = uniqueTopics();
    const rounds: Array<{ requests: number; events: number; ok: boolean }> = [];
    const small = await createKafkaEventLog({ brokers: kafkaBrokers, topic, quarantineTopic, partitions: 1, maxQueuedEvents: 10 }, {
      onCommit: (info) => rounds.push(info),
    });
    try {
      const batch = () => ({ events: Array.from({ length: 4 }, () => makeIngestedEvent({ sessionId: 'sess_q' })), quarantine: [] });
      const first = [batch(), batch()];
      const accepted = first.map((b) => small.append(b));
      assert.equal(small.queuedEvents(), 8);
      await assert.rejects(small.append(batch()), { code: 'SLUICE_ERR_QUEUE_FULL' });
      await Promise.all(accepted);
      assert.equal(small.queuedEvents(), 0);
      const read = await readEvents(topic, 8);
      // Two appends in flight together had no order between them (two producers); each keeps its own.
      const ids = read.map((m) => (JSON.parse(m.text) as { eventId: string }).eventId);
      assert.deepEqual([...ids].sort(), first.flatMap((b) => b.events.map((e) => e.eventId)).sort());
      for (const b of first) assert.deepEqual(ids.filter((id) => b.events.some((e) => e.eventId === id)), b.events.map((e) => e.eventId));
      assert.equal(rounds.reduce((n, r) => n + r.requests, 0), 2, 'every append reported in a produce round');
      assert.ok(rounds.every((r) => r.ok));
    } finally {
      await small.close();
    }
  });

  test('after close, append refuses with SLUICE_ERR_SHUTTING_DOWN', async () => {
    const closing = await createKafkaEventLog({ brokers: kafkaBrokers, ...topics });
    await closing.close();
    await assert.rejects(closing.append({ events: [makeIngestedEvent()], quarantine: [] }), { code: 'SLUICE_ERR_SHUTTING_DOWN' });
  });
});

// Needs no broker, so it runs everywhere.
test('an unreachable broker fails startup within the bounded wait, naming the brokers', async () => {
  const started = performance.now();
  await assert.rejects(
    createKafkaEventLog({ brokers: ['127.0.0.1:1'], ...uniqueTopics(), connectTimeoutMs: 1000, retries: 2, startupTimeoutMs: 5000 }),
    (error: unknown) => {
      assert.ok(error instanceof SluiceError);
      assert.equal(error.code, 'SLUICE_ERR_STORAGE_UNAVAILABLE');
      assert.equal(error.status, 503);
      assert.match(error.message, /127\.0\.0\.1:1/);
      return true;
    },
  );
  assert.ok(performance.now() - started < 6000, 'gave up within startupTimeoutMs');
});
