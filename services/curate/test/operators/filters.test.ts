import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSample } from '@sluice/core/testing';
import { createFiltersStep, filtersSectionSchema, toolCallFailed } from '../../src/operators/filters.ts';

const step = (section: object = {}) => createFiltersStep(filtersSectionSchema.parse(section));

test('character and turn bounds', () => {
  assert.equal(step().run(makeSample()).kind, 'keep');
  assert.deepEqual(step({ min_chars: 500 }).run(makeSample()), { kind: 'drop', reason: 'filter:min_chars' });
  assert.deepEqual(step({ max_chars: 10 }).run(makeSample()), { kind: 'drop', reason: 'filter:max_chars' });
  assert.deepEqual(step({ max_turns: 1 }).run(makeSample()), { kind: 'drop', reason: 'filter:max_turns' });
});

test('empty completions, bad finish reasons and missing signals', () => {
  assert.deepEqual(step().run(makeSample({ completion: [{ role: 'assistant', content: '  ' }] })), { kind: 'drop', reason: 'filter:empty_completion' });
  const toolOnly = makeSample({ completion: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: {} } }] }] });
  assert.equal(step().run(toolOnly).kind, 'keep');
  assert.deepEqual(step().run(makeSample({ finishReason: 'length' })), { kind: 'drop', reason: 'filter:finish_reason' });
  assert.equal(step({ exclude_finish_reasons: [] }).run(makeSample({ finishReason: 'length' })).kind, 'keep');
  assert.deepEqual(step({ require_signal: true }).run(makeSample({ signals: [] })), { kind: 'drop', reason: 'filter:no_signal' });
});

test('failed tool calls in the prompt drop the sample', () => {
  const failed = makeSample({ prompt: [
    { role: 'user', content: 'order 12?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: { id: 12 } } }] },
    { role: 'tool', tool_call_id: 'c1', content: '{"error": "timeout"}' },
  ] });
  assert.deepEqual(step().run(failed), { kind: 'drop', reason: 'filter:failed_tool_call' });
  assert.equal(step({ drop_failed_tool_calls: false }).run(failed).kind, 'keep');
});

test('toolCallFailed reads JSON errors and error-looking text only on tool messages', () => {
  assert.equal(toolCallFailed({ role: 'tool', content: '{"ok": false}' }), true);
  assert.equal(toolCallFailed({ role: 'tool', content: 'Traceback (most recent call last):' }), true);
  assert.equal(toolCallFailed({ role: 'tool', content: '{"status": "shipped", "error": null}' }), false);
  assert.equal(toolCallFailed({ role: 'tool', content: 'No errors found' }), false);
  assert.equal(toolCallFailed({ role: 'user', content: 'Error: my code fails' }), false);
});

test('unknown keys in the section are rejected', () => {
  assert.throws(() => filtersSectionSchema.parse({ max_char: 10 }));
});
