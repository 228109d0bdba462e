import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unambiguousEventsBody } from '../src/received-body.ts';

const body = (text: string) => Buffer.from(text);

test('a plain batch body is kept as received', () => {
  const json = body('{"sent_at":"2026-11-29T12:00:00Z","events":[{"type":"track","text":"caf\\u00e9 \\ud83d\\ude00"}]}');
  assert.equal(unambiguousEventsBody(json), json);
});

test('bodies where another JSON reader could pick a different events array are not kept', () => {
  // A second reader of the bytes must not pick a different array than JSON.parse (last duplicate key wins).
  assert.equal(unambiguousEventsBody(body('{"events":[{"a":1}],"events":[{"b":2}]}')), null);
  assert.equal(unambiguousEventsBody(body('{"events":[{"a":1}],"\\u0065vents":[{"b":2}]}')), null);
  assert.equal(unambiguousEventsBody(body('{"\\u0065vents":[{"b":2}]}')), null);
  assert.equal(unambiguousEventsBody(body('{"even\\u0074s":[]}')), null);
  // A nested "events" key is harmless but rare: the cheap check does not tell it apart.
  assert.equal(unambiguousEventsBody(body('{"events":[{"properties":{"events":3}}]}')), null);
});

test('bytes that are not valid UTF-8 are not kept (the parsed text had them replaced)', () => {
  const json = Buffer.concat([body('{"events":[{"text":"'), Buffer.from([0xc3, 0x28]), body('"}]}')]);
  assert.equal(unambiguousEventsBody(json), null);
});

test('a second "events" key is found wherever it is, also right after the first or at the very end', () => {
  assert.equal(unambiguousEventsBody(body('{"events":[],"events":[]}')), null);
  const lookalikes = body('{"events":["vents\\"","xevents\\"","events"]}');
  assert.equal(unambiguousEventsBody(lookalikes), null, 'the text "events" inside a string is not told apart (rare, and safe)');
  const escapedQuote = body('{"events":["vents\\"","xevents\\""]}');
  assert.equal(unambiguousEventsBody(escapedQuote), escapedQuote);
  const longTail = `{"events":[${'{"prevents":"circumvents"},'.repeat(50)}{"k":"v"}],"x":{"events":1}}`;
  assert.equal(unambiguousEventsBody(body(longTail)), null);
  const noSecond = body(`{"events":[${'{"prevents":"circumvents"},'.repeat(50)}{"k":"v"}]}`);
  assert.equal(unambiguousEventsBody(noSecond), noSecond);
});
