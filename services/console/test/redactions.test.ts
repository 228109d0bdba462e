import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messageText, redactionSegments } from '../src/lib/redactions.ts';

test('redaction tokens of the sample\'s PII types become marked segments; other angle-bracket text stays plain', () => {
  const text = 'Mail <EMAIL_1a2b3c4d> about <ORDER_ID>, card <CREDIT_CARD_00ff00ff>; see <TODO> and <EMAIL>';
  const segments = redactionSegments(text, new Set(['EMAIL', 'ORDER_ID', 'CREDIT_CARD']));
  assert.deepEqual(segments, [
    { text: 'Mail ' }, { text: '<EMAIL_1a2b3c4d>', pii: 'EMAIL' }, { text: ' about ' }, { text: '<ORDER_ID>', pii: 'ORDER_ID' },
    { text: ', card ' }, { text: '<CREDIT_CARD_00ff00ff>', pii: 'CREDIT_CARD' }, { text: '; see <TODO> and ' }, { text: '<EMAIL>', pii: 'EMAIL' },
  ]);
  assert.equal(segments.map((s) => s.text).join(''), text);
  assert.deepEqual(redactionSegments('', new Set()), [{ text: '' }]);
});

test('a message with tool calls reads as its content and one line per call', () => {
  const shown = messageText({
    role: 'assistant', content: null,
    tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup_order', arguments: { order_id: '<ORDER_ID>' } } }],
  });
  assert.deepEqual(shown, { role: 'assistant', text: '→ lookup_order({"order_id":"<ORDER_ID>"})' });
  assert.equal(messageText({ role: 'tool', name: 'lookup_order', content: '{}' }).role, 'tool (lookup_order)');
});
