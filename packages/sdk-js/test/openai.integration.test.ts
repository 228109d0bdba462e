/**
 * wrapOpenAI with the real `openai` package against a local chat-completions server (no network).
 * Every recorded generation is checked against the contract's JSON Schema.
 */
import { createEventValidator } from '@sluice/schemas';
import OpenAI from 'openai';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { wrapOpenAI, type WrapOpenAIOptions } from '../src/openai.ts';
import { capturingClient } from './support/capture.ts';
import { startChatServer, type ChatServer } from './support/chat-server.ts';

const validateEvent = createEventValidator();
const usage = { input_tokens: 21, output_tokens: 4, total_tokens: 25, cached_input_tokens: 8, reasoning_tokens: 0 };

describe('wrapOpenAI (openai package, local chat-completions server)', () => {
  let chat: ChatServer;
  before(async () => {
    chat = await startChatServer();
  });
  after(() => chat.close());

  function setup(options?: WrapOpenAIOptions) {
    const { client: sluice, events } = capturingClient({ defaults: { user_id: 'u_openai' } });
    const openai = wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: chat.url, maxRetries: 0 }), sluice, options);
    const plain = new OpenAI({ apiKey: 'sk-test', baseURL: chat.url, maxRetries: 0 });
    const generations = async () => {
      await sluice.shutdown();
      const recorded = events();
      for (const event of recorded) {
        const result = validateEvent(event);
        assert.ok(result.ok, result.ok ? '' : `${result.pointer} ${result.message}`);
      }
      return recorded;
    };
    return { openai, plain, generations };
  }
  const withoutId = <T extends { id: string }>(value: T) => ({ ...value, id: 'x' });
  const messages = [
    { role: 'developer' as const, content: 'You are terse.' },
    { role: 'user' as const, content: 'Say hello' },
  ];

  test('records a completion; the caller gets exactly what the unwrapped client returns', async () => {
    const { openai, plain, generations } = setup();
    const request = { model: 'gpt-4o-mini', messages, temperature: 0.2, max_completion_tokens: 50 };
    const result = await openai.chat.completions.create(request);
    assert.deepEqual(withoutId(result), withoutId(await plain.chat.completions.create(request)));
    const [generation, ...more] = await generations();
    assert.equal(more.length, 0);
    const { event_id: _id, occurred_at: _at, latency_ms, context: _context, ...rest } = generation!;
    assert.equal(typeof latency_ms, 'number');
    assert.deepEqual(rest, {
      type: 'generation',
      user_id: 'u_openai',
      generation_id: result.id,
      model: 'gpt-4o-mini-2024-07-18',
      provider: 'openai',
      input: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say hello' }],
      output: [{ role: 'assistant', content: 'Hello there!' }],
      finish_reason: 'stop',
      params: { temperature: 0.2, max_completion_tokens: 50 },
      usage,
    });
  });

  test('tool definitions, tool-call history and tool-call output keep the contract shape', async () => {
    const { openai, generations } = setup();
    const tools = [{ type: 'function' as const, function: { name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { order_id: { type: 'string' } } }, strict: null } }];
    const history = [
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'Where is NW-1?' }] },
      { role: 'assistant' as const, content: null, tool_calls: [{ id: 'call_1', type: 'function' as const, function: { name: 'lookup_order', arguments: '{"order_id":"NW-1"}' } }] },
      { role: 'tool' as const, tool_call_id: 'call_1', content: '{"status":"shipped"}' },
      { role: 'user' as const, content: 'Now use a tool for NW-50977' },
    ];
    const result = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: history, tools });
    assert.equal(result.choices[0]!.finish_reason, 'tool_calls');
    const [generation] = await generations();
    assert.deepEqual(generation!.input, [
      { role: 'user', content: [{ type: 'text', text: 'Where is NW-1?' }] },
      { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"NW-1"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' },
      { role: 'user', content: 'Now use a tool for NW-50977' },
    ]);
    assert.deepEqual(generation!.tools, [{ type: 'function', function: { name: 'lookup_order', description: 'Find an order', parameters: tools[0]!.function.parameters } }]);
    assert.deepEqual(generation!.output, [{ role: 'assistant', tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"NW-50977"}' } }] }]);
    assert.equal(generation!.finish_reason, 'tool_calls');
  });

  test('streaming: the caller reads the same Stream and chunks; the generation is recorded when it ends', async () => {
    const { openai, plain, generations } = setup();
    const request = { model: 'gpt-4o-mini', messages, stream: true as const, stream_options: { include_usage: true } };
    const stream = await openai.chat.completions.create(request);
    assert.equal(stream.constructor.name, 'Stream');
    assert.equal(typeof stream.tee, 'function');
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const expected = [];
    for await (const chunk of await plain.chat.completions.create(request)) expected.push(chunk);
    assert.deepEqual(chunks.map(withoutId), expected.map(withoutId));

    const [generation] = await generations();
    assert.equal(generation!.generation_id, chunks[0]!.id);
    assert.deepEqual(generation!.output, [{ role: 'assistant', content: 'Hello there!' }]);
    assert.equal(generation!.finish_reason, 'stop');
    assert.deepEqual(generation!.usage, usage);
    assert.deepEqual(generation!.params, undefined, 'stream and stream_options are not sampling parameters');
  });

  test('streamed tool calls are assembled from their deltas', async () => {
    const { openai, generations } = setup();
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'use a tool' }], stream: true });
    for await (const _chunk of stream) { /* read to the end */ }
    const [generation] = await generations();
    assert.deepEqual(generation!.output, [{ role: 'assistant', tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"NW-50977"}' } }] }]);
    assert.equal(generation!.usage, undefined);
  });

  test('a stream the caller stops reading is recorded with what was read', async () => {
    const { openai, generations } = setup();
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let read = 0;
    for await (const _chunk of stream) if (++read === 2) break;
    const [generation] = await generations();
    assert.deepEqual(generation!.output, [{ role: 'assistant', content: 'Hello' }]);
    assert.equal(generation!.finish_reason, undefined);
  });

  test('withResponse(), asResponse() and tee() keep working on wrapped calls', async () => {
    const { openai, generations } = setup();
    const { data, response } = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
    assert.equal(data.choices[0]!.message.content, 'Hello there!');
    assert.match(response.headers.get('x-request-id') ?? '', /^req_/);
    const [left, right] = (await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })).tee();
    const texts = await Promise.all([left, right].map(async (branch) => {
      let text = '';
      for await (const chunk of branch) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    }));
    assert.deepEqual(texts, ['Hello there!', 'Hello there!']);
    const raw = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }).asResponse();
    assert.equal(((await raw.json()) as { object: string }).object, 'chat.completion', 'the raw body is left to the caller');
    const recorded = await generations();
    assert.equal(recorded.length, 2, 'a call read with asResponse() is not parsed, so not recorded');
    assert.deepEqual(recorded[1]!.output, [{ role: 'assistant', content: 'Hello there!' }]);
  });

  test('a failed call rejects exactly as without the wrapper, and records nothing', async () => {
    const { openai, generations } = setup();
    await assert.rejects(
      openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'please fail' }] }),
      (error) => error instanceof OpenAI.BadRequestError && error.status === 400,
    );
    assert.deepEqual(await generations(), []);
  });

  test('fields from the request (session, properties) are merged in; wrapping twice records once', async () => {
    const { openai, generations } = setup({ fields: (request) => ({ session_id: `sess_${String(request.model)}`, properties: { feature: 'chat' } }) });
    wrapOpenAI(openai, { generation: () => assert.fail('wrapped twice') });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const recorded = await generations();
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0]!.session_id, 'sess_gpt-4o-mini');
    assert.deepEqual(recorded[0]!.properties, { feature: 'chat' });
  });
});
