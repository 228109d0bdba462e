import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEventValidator } from '@sluice/schemas';
import { decodeTraceRequestJson } from '../src/otlp/decode-json.ts';
import { mapSpanToEvents } from '../src/otlp/map-span.ts';
import { otlpEventId } from '../src/otlp/span-identity.ts';
import {
  double, httpSpan, openInferenceSpan, openLlmetrySpan, semconvChatSpan, semconvInputMessages, span, traceRequest, type SpanJson,
} from './otlp-fixtures.ts';

const validateEvent = createEventValidator();

/** Decodes one span the way the route does (through OTLP/JSON) and maps it. */
function map(s: SpanJson, resource?: Record<string, unknown>): Array<Record<string, unknown>> {
  const [record] = decodeTraceRequestJson(JSON.parse(JSON.stringify(traceRequest([s], resource))));
  return mapSpanToEvents(record!);
}

function mapOne(s: SpanJson): Record<string, unknown> {
  const events = map(s);
  assert.equal(events.length, 1);
  return events[0]!;
}

function assertValid(event: Record<string, unknown>): void {
  const result = validateEvent(event);
  assert.ok(result.ok, `expected a valid event, got ${JSON.stringify(result)}`);
}

const attrOf = (s: SpanJson, key: string) => {
  const value = s.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
};

describe('GenAI semconv (v1.37+) spans', () => {
  test('a chat span becomes a generation with messages, tools, params, usage, session and user', () => {
    const s = semconvChatSpan({ parentSpanId: '00f067aa0ba902b7' });
    const event = mapOne(s);
    assertValid(event);
    assert.deepEqual(event, {
      event_id: otlpEventId(s.traceId, s.spanId),
      type: 'generation',
      occurred_at: '2026-01-01T00:00:01.234Z',
      user_id: 'u_42',
      session_id: 'conv_5j66UpCpwteGg4YSxUnt7lPY',
      trace_id: s.traceId,
      parent_id: '00f067aa0ba902b7',
      generation_id: attrOf(s, 'gen_ai.response.id'),
      model: 'gpt-4o',
      provider: 'openai',
      input: [
        { role: 'system', content: 'You are a weather assistant.' },
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', tool_calls: [{ id: 'call_VSPygqKTWdrhaFErNvMV18Yl', type: 'function', function: { name: 'get_weather', arguments: { location: 'Paris' } } }] },
        { role: 'tool', tool_call_id: 'call_VSPygqKTWdrhaFErNvMV18Yl', content: 'rainy, 57°F' },
      ],
      output: [{ role: 'assistant', content: 'It is rainy in Paris, 57°F.' }],
      finish_reason: 'stop',
      tools: [{
        type: 'function',
        function: {
          name: 'get_weather', description: 'Current weather for a city',
          parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
        },
      }],
      params: { temperature: 0.2, max_tokens: 256 },
      usage: { input_tokens: 48, output_tokens: 12 },
      latency_ms: 1234,
      properties: {
        otel: {
          span_id: s.spanId, span_name: 'chat gpt-4o', service_name: 'support-bot', scope_name: 'test-instrumentation',
          operation_name: 'chat', response_id: attrOf(s, 'gen_ai.response.id'), response_model: 'gpt-4o-2024-08-06',
        },
      },
    });
  });

  test('messages recorded as structured AnyValues map the same as JSON strings', () => {
    const asJson = semconvChatSpan();
    const structured = semconvChatSpan({ traceId: asJson.traceId, spanId: asJson.spanId }, {
      'gen_ai.response.id': attrOf(asJson, 'gen_ai.response.id'),
      'gen_ai.input.messages': semconvInputMessages,
      'gen_ai.system_instructions': [{ type: 'text', content: 'You are a weather assistant.' }],
    });
    assert.deepEqual(mapOne(structured), mapOne(asJson));
  });

  test('Anthropic-style turns: tool results inside a user message become tool messages; multi-part and image content is kept', () => {
    const event = mapOne(semconvChatSpan({}, {
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'Compare these' }, { type: 'uri', modality: 'image', uri: 'https://example.com/a.png' }] },
        { role: 'assistant', parts: [{ type: 'text', content: 'Let me look.' }, { type: 'tool_call', id: 'toolu_1', name: 'zoom', arguments: '{"x":1}' }] },
        { role: 'user', parts: [{ type: 'tool_call_response', id: 'toolu_1', response: { ok: true } }, { type: 'text', content: 'And?' }] },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'reasoning', content: 'thinking…' }, { type: 'text', content: 'They differ.' }], finish_reason: 'end_turn' },
      ]),
    }));
    assertValid(event);
    assert.deepEqual(event.input, [
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'user', content: [{ type: 'text', text: 'Compare these' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] },
      { role: 'assistant', content: 'Let me look.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'zoom', arguments: '{"x":1}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: '{"ok":true}' },
      { role: 'user', content: 'And?' },
    ]);
    assert.deepEqual(event.output, [{ role: 'assistant', content: [{ type: 'reasoning', content: 'thinking…' }, { type: 'text', text: 'They differ.' }] }]);
    assert.equal(event.finish_reason, 'end_turn');
  });

  test('Gemini-style tool calls without ids get ids, and their results are linked in order', () => {
    const event = mapOne(semconvChatSpan({}, {
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris and Rome?' }] },
        { role: 'model', parts: [{ type: 'tool_call', name: 'get_weather', arguments: { city: 'Paris' } }, { type: 'tool_call', name: 'get_weather', arguments: { city: 'Rome' } }] },
        { role: 'user', parts: [{ type: 'tool_call_response', response: 'rain' }, { type: 'tool_call_response', response: 'sun' }] },
      ]),
    }));
    assertValid(event);
    const input = event.input as Array<Record<string, unknown>>;
    assert.deepEqual(input.slice(2).map((m) => [m.role, m.tool_call_id ?? (m.tool_calls as Array<{ id: string }>).map((c) => c.id)]), [
      ['assistant', ['call_1', 'call_2']],
      ['tool', 'call_1'],
      ['tool', 'call_2'],
    ]);
  });

  test('without gen_ai.response.id the generation_id is <trace id>-<span id>; without a user the anonymous_id comes from the conversation', () => {
    const s = semconvChatSpan({}, { 'gen_ai.response.id': '', 'user.id': '' });
    const event = mapOne(s);
    assertValid(event);
    assert.equal(event.generation_id, `${s.traceId}-${s.spanId}`);
    assert.equal(event.user_id, undefined);
    assert.equal(event.anonymous_id, 'otel:conv_5j66UpCpwteGg4YSxUnt7lPY');
  });

  test('the user may be named on the resource (enduser.id), and a span without conversation gets a trace-scoped anonymous_id', () => {
    const s = semconvChatSpan({}, { 'user.id': '', 'gen_ai.conversation.id': '' });
    assert.equal(map(s, { 'service.name': 'x', 'enduser.id': 'res-user' })[0]!.user_id, 'res-user');
    assert.equal(map(s)[0]!.anonymous_id, `otel:${s.traceId}`);
  });

  test('a failed call (status ERROR, no output) is a generation with finish_reason error', () => {
    const s = semconvChatSpan({ statusCode: 2 }, { 'gen_ai.output.messages': '', 'gen_ai.response.finish_reasons': [], 'error.type': 'timeout' });
    s.attributes = s.attributes.filter((a) => a.key !== 'gen_ai.output.messages' && a.key !== 'gen_ai.response.finish_reasons');
    const event = mapOne(s);
    assertValid(event);
    assert.deepEqual(event.output, []);
    assert.equal(event.finish_reason, 'error');
    assert.equal((event.properties as { otel: { error_type: string } }).otel.error_type, 'timeout');
  });

  test('a span that lacks what the contract requires still maps; validation then rejects it with a pointer', () => {
    const s = semconvChatSpan();
    s.attributes = s.attributes.filter((a) => a.key !== 'gen_ai.request.model' && a.key !== 'gen_ai.response.model');
    const event = mapOne(s);
    assert.equal(event.model, undefined);
    const result = validateEvent(event);
    assert.ok(!result.ok && result.pointer === '/model');

    const garbled = mapOne(semconvChatSpan({}, { 'gen_ai.input.messages': '[{"role": "user", "parts": [' }));
    const garbledResult = validateEvent(garbled);
    assert.ok(!garbledResult.ok && garbledResult.pointer === '/input', 'unparseable messages are passed on, not dropped');
  });
});

describe('older conventions and other instrumentations', () => {
  test('OpenLLMetry indexed gen_ai.prompt.N / gen_ai.completion.N attributes, with a tool call and functions', () => {
    const s = openLlmetrySpan();
    const event = mapOne(s);
    assertValid(event);
    assert.equal(event.model, 'gpt-4o-mini');
    assert.equal(event.provider, 'openai');
    assert.equal(event.user_id, 'u_7');
    assert.equal(event.session_id, 'chat-77');
    assert.deepEqual(event.input, [
      { role: 'system', content: 'You book flights.' },
      { role: 'user', content: 'Book me a flight to Lisbon on Friday.' },
    ]);
    assert.deepEqual(event.output, [{
      role: 'assistant',
      tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'book_flight', arguments: '{"destination":"LIS","day":"friday"}' } }],
    }]);
    assert.equal(event.finish_reason, 'tool_calls');
    assert.deepEqual(event.tools, [{
      type: 'function',
      function: { name: 'book_flight', description: 'Book a flight', parameters: { type: 'object', properties: { destination: { type: 'string' } } } },
    }]);
    assert.deepEqual(event.usage, { input_tokens: 82, output_tokens: 17, total_tokens: 99 });
  });

  test('OpenLLMetry multimodal content (a JSON-encoded list of parts) is decoded', () => {
    const event = mapOne(span({
      name: 'anthropic.chat',
      attributes: {
        'llm.request.type': 'chat', 'gen_ai.system': 'Anthropic', 'gen_ai.request.model': 'claude-3-5-haiku', 'user.id': 'u',
        'gen_ai.prompt.0.role': 'user',
        'gen_ai.prompt.0.content': JSON.stringify([{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }]),
        'gen_ai.completion.0.content': 'A square.',
      },
    }));
    assertValid(event);
    assert.deepEqual(event.input, [{ role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }]);
    assert.deepEqual(event.output, [{ role: 'assistant', content: 'A square.' }]);
    assert.equal(event.provider, 'anthropic', 'gen_ai.system is the provider, lower-cased like semconv values');
  });

  test('OpenInference LLM spans (llm.* attributes only) map too', () => {
    const event = mapOne(openInferenceSpan());
    assertValid(event);
    assert.equal(event.model, 'claude-sonnet-4-5');
    assert.equal(event.provider, 'anthropic');
    assert.deepEqual([event.user_id, event.session_id], ['alice', 'thread-3']);
    assert.deepEqual(event.input, [{
      role: 'user',
      content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }],
    }]);
    assert.deepEqual(event.output, [{ role: 'assistant', content: 'A cat on a sofa.' }]);
    assert.deepEqual(event.params, { temperature: 0.5, max_tokens: 1024 });
    assert.deepEqual(event.usage, { input_tokens: 30, output_tokens: 8, total_tokens: 38 });
  });
});

describe('spans that are not a model call are ignored', () => {
  test('a span without GenAI attributes', () => {
    assert.deepEqual(map(httpSpan()), []);
  });

  test('GenAI spans of other operations: agent, tool execution, embeddings; OpenInference chains; OpenLLMetry embeddings', () => {
    const spans = [
      span({ name: 'invoke_agent Planner', attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Planner', 'gen_ai.request.model': 'gpt-4o' } }),
      span({ name: 'execute_tool get_weather', attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather' } }),
      span({ name: 'embeddings text-embedding-3-small', attributes: { 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'text-embedding-3-small' } }),
      span({ name: 'RetrievalQA', attributes: { 'openinference.span.kind': 'CHAIN', 'input.value': 'q' } }),
      span({ name: 'openai.embeddings', attributes: { 'llm.request.type': 'embedding', 'gen_ai.request.model': 'text-embedding-3-small' } }),
    ];
    for (const s of spans) assert.deepEqual(map(s), [], s.name);
  });
});

describe('gen_ai.evaluation.result events become feedback', () => {
  test('a score (with label and explanation) on the evaluated span is a rating of that generation', () => {
    const s = semconvChatSpan({
      events: [
        { name: 'gen_ai.evaluation.result', attributes: {
          'gen_ai.evaluation.name': 'Relevance', 'gen_ai.evaluation.score.value': double(0.9),
          'gen_ai.evaluation.score.label': 'relevant', 'gen_ai.evaluation.explanation': 'Answers the question.',
        } },
        { name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': 'x' } },
        { name: 'gen_ai.evaluation.result', attributes: { 'gen_ai.evaluation.name': 'Safety', 'gen_ai.evaluation.score.label': 'pass' } },
        { name: 'gen_ai.evaluation.result', attributes: { 'gen_ai.evaluation.name': 'Tone', 'error.type': 'judge_timeout' } },
      ],
    });
    const [generation, relevance, safety, ...rest] = map(s);
    assert.equal(generation!.type, 'generation');
    assert.deepEqual(rest, [], 'an evaluation that failed carries no feedback');
    for (const f of [relevance!, safety!]) assertValid(f);
    assert.deepEqual(relevance, {
      event_id: otlpEventId(s.traceId, s.spanId, 'evaluation', '0'),
      type: 'feedback',
      occurred_at: '2026-01-01T00:00:06.234Z',
      user_id: 'u_42',
      session_id: 'conv_5j66UpCpwteGg4YSxUnt7lPY',
      trace_id: s.traceId,
      parent_id: s.spanId,
      target: { generation_id: generation!.generation_id },
      kind: 'rating',
      value: 0.9,
      comment: 'Answers the question.',
      properties: { evaluation: { name: 'Relevance', score_label: 'relevant' }, otel: { span_id: s.spanId, span_name: 'chat gpt-4o' } },
    });
    assert.deepEqual([safety!.kind, safety!.value, safety!.comment], ['rating', 'pass', undefined]);
  });

  test('an evaluation on another span targets the generation named by gen_ai.response.id', () => {
    const events = map(span({
      name: 'evaluate',
      attributes: { 'user.id': 'u_1' },
      events: [{ name: 'gen_ai.evaluation.result', attributes: {
        'gen_ai.evaluation.name': 'Groundedness', 'gen_ai.response.id': 'chatcmpl-xyz', 'gen_ai.evaluation.explanation': 'Cites no source.',
      } }],
    }));
    assert.equal(events.length, 1);
    assertValid(events[0]!);
    assert.deepEqual([events[0]!.kind, events[0]!.comment, events[0]!.target], ['comment', 'Cites no source.', { generation_id: 'chatcmpl-xyz' }]);
  });
});

test('event ids are deterministic UUIDs of the trace and span ids, distinct per span and per derived event', () => {
  const a = otlpEventId('5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174');
  assert.equal(a, otlpEventId('5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174'));
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, otlpEventId('5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b175'));
  assert.notEqual(a, otlpEventId('5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174', 'evaluation', '0'));
});
