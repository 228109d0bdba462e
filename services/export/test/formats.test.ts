import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Sample } from '@sluice/core';
import { makeSample } from '@sluice/core/testing';
import { resolveFormats } from '../src/formats/index.ts';
import { ktoFormat } from '../src/formats/kto.ts';
import { openAiChatFormat } from '../src/formats/openai-chat.ts';
import { openAiDpoFormat } from '../src/formats/openai-dpo.ts';
import { preferenceFormat } from '../src/formats/preference.ts';
import { promptCompletionFormat } from '../src/formats/prompt-completion.ts';
import { rlFormat } from '../src/formats/rl.ts';
import { sftFormat } from '../src/formats/sft.ts';
import { formatRows } from './helpers/format-rows.ts';

const args = { order_id: 'ORD-1', options: { express: true }, count: 2 };
const toolSample: Sample = makeSample({
  sampleId: 's_tool',
  prompt: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Where is ORD-1?' }, { role: 'assistant', content: 'Which order?' }, { role: 'user', content: 'ORD-1' }],
  completion: [
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: args } }] },
    { role: 'tool', content: 'shipped', tool_call_id: 'c1', name: 'lookup' },
    { role: 'assistant', content: 'It shipped.' },
  ],
  tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
  labels: {
    reward: 0.5, kto: true, sft: true, rules: [],
    preference: { chosen: [{ role: 'assistant', content: 'It shipped today.' }], rejected: [{ role: 'assistant', content: 'It shipped.' }], margin: 2, reason: 'edited' },
  },
});

describe('TRL formats', () => {
  test('sft: the whole conversation, arguments kept as the same object, every message key present', async () => {
    const [row] = await formatRows(sftFormat, [toolSample]) as [ { messages: Record<string, unknown>[]; tools: string; sample_id: string; reward: number; label: boolean }];
    assert.equal(row.messages.length, 7);
    assert.deepEqual(Object.keys(row.messages[0]!), ['role', 'content', 'tool_calls', 'tool_call_id', 'name']);
    const call = (row.messages[4]!.tool_calls as { function: { arguments: unknown } }[])[0]!;
    assert.deepEqual(JSON.parse(call.function.arguments as string), args, 'a JSON leaf holding the object');
    assert.equal(row.messages[5]!.tool_call_id, 'c1');
    assert.deepEqual(JSON.parse(row.tools), toolSample.tools);
    assert.deepEqual([row.sample_id, row.reward, row.label], ['s_tool', 0.5, true]);
  });

  test('prompt_completion splits where the model started answering', async () => {
    const [row] = await formatRows(promptCompletionFormat, [toolSample]) as [{ prompt: unknown[]; completion: unknown[] }];
    assert.deepEqual([row.prompt.length, row.completion.length], [4, 3]);
  });

  test('preference and kto take only samples with a pair / a known label', async () => {
    const plain = makeSample({ sampleId: 's_plain', labels: { reward: null, kto: null, sft: false, preference: null, rules: [] } });
    const ids = async (format: Parameters<typeof formatRows>[0]) => (await formatRows(format, [plain, toolSample])).length;
    assert.equal(await ids(preferenceFormat), 1);
    assert.equal(await ids(ktoFormat), 1);
    assert.equal(await ids(sftFormat), 1);
    assert.equal(await ids(rlFormat), 2, 'every prompt is an RL prompt');
    const [pair] = await formatRows(preferenceFormat, [toolSample]) as [{ chosen: { content: string }[]; margin: number }];
    assert.equal(pair.chosen[0]!.content, 'It shipped today.');
    assert.equal(pair.margin, 2);
    assert.equal((await formatRows(ktoFormat, [toolSample]) as [{ label: boolean }])[0].label, true);
  });

  test('rl: verl columns, the reference answer from the preferred side, the index in the split', async () => {
    const rows = await formatRows(rlFormat, [makeSample({ sampleId: 's_a' }), toolSample]) as Record<string, Record<string, unknown>>[];
    const row = rows[1]!;
    assert.deepEqual(row.reward_model, { style: 'rule', ground_truth: 'It shipped today.' });
    assert.deepEqual(row.extra_info, { split: 'train', index: 1n, sample_id: 's_tool', reward: 0.5 });
    assert.equal(row.ability, 'tool_use');
    assert.equal(row.data_source, 'support-web');
  });
});

describe('OpenAI formats', () => {
  test('chat: arguments as JSON strings, weight 0 on earlier assistant turns and 1 on the completion, no null keys', async () => {
    const [row] = await formatRows(openAiChatFormat, [toolSample]) as [{ messages: Record<string, unknown>[]; tools: unknown[] }];
    const call = (row.messages[4]!.tool_calls as { function: { arguments: unknown } }[])[0]!;
    assert.equal(call.function.arguments, JSON.stringify(args));
    assert.deepEqual(row.messages.map((m) => m.weight), [undefined, undefined, 0, undefined, 1, undefined, 1]);
    assert.equal('content' in row.messages[4]!, false, 'a tool-call turn without text has no content key');
    assert.ok(row.messages.every((m) => Object.values(m).every((v) => v !== null)));
    assert.deepEqual(row.tools, toolSample.tools);
  });

  test('raw (non-JSON) arguments are passed through as the string they were', async () => {
    const raw = makeSample({ completion: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{broken' } }] }] });
    const [row] = await formatRows(openAiChatFormat, [raw]) as [{ messages: { tool_calls?: { function: { arguments: string } }[] }[] }];
    assert.equal(row.messages.at(-1)!.tool_calls![0]!.function.arguments, '{broken');
  });

  test('dpo: input / preferred_output / non_preferred_output', async () => {
    const [row] = await formatRows(openAiDpoFormat, [toolSample]) as [Record<string, unknown>];
    assert.deepEqual(Object.keys(row), ['input', 'preferred_output', 'non_preferred_output']);
    assert.deepEqual(row.preferred_output, [{ role: 'assistant', content: 'It shipped today.' }]);
    assert.equal((row.input as { messages: unknown[] }).messages.length, 4);
  });
});

test('resolveFormats: catalogue order, no duplicates, unknown names rejected with the list', () => {
  assert.deepEqual(resolveFormats(['kto', 'sft', 'kto']).map((f) => f.name), ['sft', 'kto']);
  assert.throws(() => resolveFormats(['sft', 'alpaca']), /unknown export format "alpaca"; choose from sft, prompt_completion/);
  assert.throws(() => resolveFormats([]), { code: 'SLUICE_ERR_INPUT_INVALID' });
});
