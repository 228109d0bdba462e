import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IngestedEvent } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { ByteWriter } from '../src/byte-writer.ts';
import { ENVELOPE_FIELDS } from '../src/event-lines.ts';
import { eventLinesOf, INGESTED_EVENT_LINES_SCHEMA, lineMessages } from '../src/event-messages.ts';
import { roundOf } from '../src/produce-round.ts';

type Bodies = Array<{ json: Uint8Array | null; positions: number[] }>;

/** The ingest thread's round of an append. */
const roundOfEvents = (events: IngestedEvent[], bodies?: Bodies) => roundOf({ events, quarantine: [], ...(bodies ? { bodies } : {}) }).round;

/** The producer thread's messages of an append; a small writer, so that it grows on the way. */
const messagesOf = (events: IngestedEvent[], bodies: Bodies | undefined, maxValueBytes = 1 << 20) =>
  lineMessages('events', [roundOfEvents(events, bodies)], maxValueBytes, new ByteWriter(64));

/** What the route does: parse the body, keep the entries at `positions` as the events' payloads. */
function eventsOfBody(body: string, positions: number[], overrides: Partial<IngestedEvent> = {}) {
  const json = Buffer.from(body);
  const entries = (JSON.parse(body) as { events: Array<Record<string, unknown>> }).events;
  const events = positions.map((p) => makeIngestedEvent({ sessionId: 's', ...overrides, payload: entries[p]! }));
  return { events, body: { json, positions } };
}

/** The lines of one append, as text, in event order (all events share one key here). */
function linesOf(events: IngestedEvent[], bodies: Bodies): string[] {
  return messagesOf(events, bodies).flatMap((m) => eventLinesOf(m.value.toString('utf8'), INGESTED_EVENT_LINES_SCHEMA));
}

/** A line must parse to exactly the record JSON.stringify writes, field order included. */
function assertSameRecords(lines: string[], events: IngestedEvent[]): void {
  assert.equal(lines.length, events.length);
  lines.forEach((line, i) => assert.equal(JSON.stringify(JSON.parse(line)), JSON.stringify(events[i]), `line ${i}`));
}

test('lines spliced from the client bytes parse to the records JSON.stringify writes: escapes, unicode, numbers', () => {
  const body = '{"sent_at":"2026-11-29T10:00:00Z","events":['
    + '{"type":"generation","text":"quote \\" backslash \\\\ slash \\/ tab \\t newline \\n","e":"\\u00e9\\u20ac"},'
    + '{"type":"generation","emoji":"😀 é € \\ud83d\\ude00","sep":"\u2028\u2029","nested":{"a":[1,2.50,-0,1e3,1E-7,{"b":null}]}},'
    + '{"type":"generation","dup":1,"dup":2,"big":12345678901234567890,"t":true,"f":false}'
    + ']}';
  const { events, body: received } = eventsOfBody(body, [0, 1, 2]);
  const lines = linesOf(events, [received]);
  assertSameRecords(lines, events);
  assert.ok(lines[0]!.includes('"text":"quote \\" backslash \\\\ slash \\/ tab'), 'the payload is the client bytes, escapes as sent');
  assert.ok(lines[1]!.includes('2.50'), 'numbers as the client spelled them');
});

test('a pretty-printed body: its line breaks (JSON whitespace) become spaces, one line per event', () => {
  const body = JSON.stringify({ events: [{ type: 'generation', a: { b: [1, 2] } }, { type: 'generation', s: 'x\ny' }] }, null, 2).replaceAll('\n', '\r\n');
  const { events, body: received } = eventsOfBody(body, [0, 1]);
  const lines = linesOf(events, [received]);
  assertSameRecords(lines, events);
  assert.ok(lines.every((line) => !line.includes('\r')));
});

test('entries that failed validation are skipped by position; events of several bodies keep their order', () => {
  const first = eventsOfBody('{"events":[{"type":"generation","n":0},"not an event",{"type":"generation","n":2}]}', [0, 2]);
  const second = eventsOfBody('{"events":[{"type":"generation","n":"second"}]}', [0]);
  const events = [...first.events, ...second.events];
  const lines = linesOf(events, [first.body, second.body]);
  assertSameRecords(lines, events);
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { payload: { n: unknown } }).payload.n), [0, 2, 'second']);
});

test('with a duplicated events key the last array is the one whose entries are spliced, as JSON.parse reads it', () => {
  const { events, body } = eventsOfBody('{"events":[{"type":"generation","n":"first"}],"events":[{"type":"generation","n":"last"}]}', [0]);
  assertSameRecords(linesOf(events, [body]), events);
});

test('without usable bytes the payload is serialised: no body, a lone surrogate escape, bodies that do not line up', () => {
  const withBody = eventsOfBody('{"events":[{"type":"generation","n":1}]}', [0]);
  const plain = makeIngestedEvent({ sessionId: 's' });
  const events = [...withBody.events, plain];
  assertSameRecords(linesOf(events, [withBody.body, { json: null, positions: [0] }]), events);

  const lone = eventsOfBody('{"events":[{"type":"generation","s":"\\ud800 alone"}]}', [0]);
  assert.deepEqual(linesOf(lone.events, [lone.body]), [JSON.stringify(lone.events[0])]);

  assertSameRecords(linesOf(events, [withBody.body]), events);
  assertSameRecords(linesOf(events, []), events);
  const outOfRange = eventsOfBody('{"events":[{"type":"generation"}]}', [0]);
  assert.throws(() => linesOf(outOfRange.events, [{ ...outOfRange.body, positions: [3] }]), /no event at position 3/);
});

/** Events whose payloads come from one body, so their lines are written from the round's columns. */
function splicedLines(events: IngestedEvent[]): string[] {
  const body = { json: Buffer.from(JSON.stringify({ events: events.map((e) => e.payload) })), positions: events.map((_, i) => i) };
  return linesOf(events, [body]);
}

test('spliced lines are byte for byte JSON.stringify of the record: every field, nulls, repeated and changing times', () => {
  const base = Date.UTC(2026, 10, 29, 12);
  const events = [
    makeIngestedEvent({ sentAt: null, clientIp: '198.51.100.7', traceId: 't', parentId: 'p', anonymousId: 'a', sessionId: 'k' }),
    makeIngestedEvent({ occurredAt: base, timestamp: base, receivedAt: base + 5, sessionId: 'k' }),
    makeIngestedEvent({ occurredAt: base, timestamp: base + 1, receivedAt: base + 5, sentAt: base - 2.5, sessionId: 'k' }),
    makeIngestedEvent({ occurredAt: -1, timestamp: 0, receivedAt: base + 5, sentAt: null, userId: null, sessionId: 'k' }),
    makeIngestedEvent({ occurredAt: base, timestamp: base, receivedAt: base + 6, tenant: '', sessionId: 'k' }),
  ];
  assert.deepEqual(splicedLines(events), events.map((e) => JSON.stringify(e)));
});

test('fields JSON must escape (quote, backslash, control characters, non-ASCII) are written as JSON.stringify writes them', () => {
  const odd = ['say "hi"', 'back\\slash', 'tab\there', 'ünïcode €', '😀', 'del\u007f', '\u2028'];
  for (const value of odd) {
    const events = [makeIngestedEvent({ sessionId: 'k', traceId: value }), makeIngestedEvent({ sessionId: 'k', clientIp: '203.0.113.9' })];
    assert.deepEqual(splicedLines(events), events.map((e) => JSON.stringify(e)), value);
  }
});

test('rounds gathered into one produce: one message per key across rounds, arrival order kept', () => {
  const first = [makeIngestedEvent({ sessionId: 'a' }), makeIngestedEvent({ sessionId: 'b' })];
  const second = [makeIngestedEvent({ sessionId: 'a', traceId: 'needs "escaping"' }), makeIngestedEvent({ sessionId: null, userId: null, anonymousId: null })];
  const rounds = [first, second].map((events) => roundOfEvents(events, [{ json: Buffer.from(JSON.stringify({ events: events.map((e) => e.payload) })), positions: [0, 1] }]));
  const messages = lineMessages('events', rounds, 1 << 20, new ByteWriter(64));
  assert.deepEqual(messages.map((m) => m.key), ['a', 'b', undefined]);
  const lines = messages.map((m) => eventLinesOf(m.value.toString('utf8'), INGESTED_EVENT_LINES_SCHEMA));
  assert.deepEqual(lines, [[first[0], second[0]], [first[1]], [second[1]]].map((group) => group.map((e) => JSON.stringify(e))));
});

test('the spliced head writes every field of the record but the payload, in the order of the record', () => {
  const event = makeIngestedEvent({ clientIp: '203.0.113.9', traceId: 't"1', sentAt: null, userId: 'ünïcode' });
  assert.deepEqual([...ENVELOPE_FIELDS, 'payload'], Object.keys(event));
  const lines = linesOf([event], [{ json: Buffer.from(`{"events":[${JSON.stringify(event.payload)}]}`), positions: [0] }]);
  assert.equal(lines[0], JSON.stringify(event));
});

test('messages are cut by size with spliced payloads too, order kept', () => {
  const entries = Array.from({ length: 10 }, (_, n) => ({ type: 'generation', n, pad: 'p'.repeat(200) }));
  const { events, body } = eventsOfBody(JSON.stringify({ events: entries }), entries.map((_, n) => n));
  const lineLength = JSON.stringify(events[0]).length;
  const messages = messagesOf(events, [body], 3 * (lineLength + 1) + 10);
  assert.deepEqual(messages.map((m) => m.value.toString('utf8').split('\n').length), [3, 3, 3, 1]);
  const lines = messages.flatMap((m) => eventLinesOf(m.value.toString('utf8'), INGESTED_EVENT_LINES_SCHEMA));
  assertSameRecords(lines, events);
});
