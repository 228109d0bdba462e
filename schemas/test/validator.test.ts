import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEventValidator, eventTypes } from '../index.ts';
import type {
  AssistantMessage,
  ChatMessage,
  ConsentEvent,
  ErasureRequestEvent,
  EventType,
  FeedbackEvent,
  GenerationEvent,
  InvalidEventResult,
  OutcomeEvent,
  SluiceEvent,
  TrackEvent,
  ValidationResult,
} from '../index.ts';

const validateEvent = createEventValidator();

// Typed literals: tsc checks them against the generated types, the tests check them against the schemas.
const envelope = {
  event_id: '0197636b-8186-7b14-a173-8ac28e94ca19',
  occurred_at: '2025-06-12T09:14:39.366Z',
  user_id: 'cus_8f2a41',
} as const;

const toolCall = {
  id: 'call_Qm3vX8TnA2kLp9',
  type: 'function',
  function: { name: 'lookup_order', arguments: '{"order_id":"NW-48213"}' },
} as const;

const generation: GenerationEvent = {
  ...envelope,
  type: 'generation',
  generation_id: 'chatcmpl-1',
  model: 'gpt-4o-mini',
  input: [
    { role: 'system', content: 'You are a support assistant.' },
    { role: 'user', content: 'Where is order NW-48213?' },
  ],
  output: [{ role: 'assistant', content: 'It ships tomorrow.' }],
};

const feedback: FeedbackEvent = {
  ...envelope,
  type: 'feedback',
  target: { generation_id: 'chatcmpl-1' },
  kind: 'thumbs',
  value: 'down',
};

const outcome: OutcomeEvent = {
  ...envelope,
  type: 'outcome',
  target: { session_id: 'conv_1' },
  kind: 'edited',
  final_text: 'It ships on Friday.',
};

const consent: ConsentEvent = { ...envelope, type: 'consent', scope: 'training', granted: false };
const erasure: ErasureRequestEvent = { ...envelope, type: 'erasure_request' };
const track: TrackEvent = { ...envelope, type: 'track', name: 'checkout_completed' };

const byType: Record<EventType, SluiceEvent> = {
  generation,
  feedback,
  outcome,
  consent,
  erasure_request: erasure,
  track,
};

function assertValid(event: unknown): void {
  const result = validateEvent(event);
  assert.deepEqual(result.ok ? { ok: true } : result, { ok: true });
}

function assertInvalid(event: unknown, expected: Partial<InvalidEventResult>): InvalidEventResult {
  const result: ValidationResult = validateEvent(event);
  assert.equal(result.ok, false, 'expected the event to be rejected');
  if (result.ok) throw new Error('unreachable');
  const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, result[k as keyof InvalidEventResult]]));
  assert.deepEqual(picked, expected, `got ${JSON.stringify(result)}`);
  return result;
}

function withInput(...input: ChatMessage[]): GenerationEvent {
  return { ...generation, input };
}

function withOutput(...output: AssistantMessage[]): GenerationEvent {
  return { ...generation, output };
}

describe('dispatch', () => {
  test('accepts a minimal event of every type and reports its type', () => {
    for (const type of eventTypes) {
      const result = validateEvent(byType[type]);
      assert.deepEqual(result, { ok: true, type, event: byType[type] });
    }
  });

  test('narrows the result by type', () => {
    const result = validateEvent(generation);
    assert.ok(result.ok && result.type === 'generation');
    const model: string = result.event.model; // compile-time check of the narrowing
    assert.equal(model, 'gpt-4o-mini');
  });

  test('rejects non-objects with SLUICE_ERR_EVENT_NOT_OBJECT', () => {
    for (const value of [null, undefined, 42, 'generation', true, [], [generation]]) {
      assertInvalid(value, { code: 'SLUICE_ERR_EVENT_NOT_OBJECT', pointer: '', keyword: 'type' });
    }
  });

  test('reports a missing, non-string or unknown type as SLUICE_ERR_EVENT_TYPE_UNKNOWN at /type', () => {
    const { type: _type, ...untyped } = track;
    assertInvalid(untyped, { code: 'SLUICE_ERR_EVENT_TYPE_UNKNOWN', pointer: '/type', keyword: 'required' });
    assertInvalid({ ...track, type: 7 }, { code: 'SLUICE_ERR_EVENT_TYPE_UNKNOWN', pointer: '/type', keyword: 'type' });
    for (const type of ['purchase', 'Generation', '', '__proto__', 'constructor', 'toString', 'envelope', 'batch']) {
      const result = assertInvalid({ ...track, type }, { code: 'SLUICE_ERR_EVENT_TYPE_UNKNOWN', pointer: '/type', keyword: 'enum' });
      assert.match(result.message, /expected one of: generation, feedback, outcome, consent, erasure_request, track/);
    }
  });

  test('does not modify the event', () => {
    const event = structuredClone({ ...generation, extra: 1 });
    const before = structuredClone(event);
    validateEvent(event);
    validateEvent(generation);
    assert.deepEqual(event, before);
  });

  test('independent validators agree', () => {
    const other = createEventValidator();
    assert.deepEqual(other({ ...track, plan: 'pro' }), validateEvent({ ...track, plan: 'pro' }));
  });
});

describe('envelope', () => {
  test('rejects unknown top-level fields, naming the field; app data goes under properties', () => {
    const result = assertInvalid({ ...track, plan: 'pro' }, { code: 'SLUICE_ERR_EVENT_INVALID', pointer: '/plan', keyword: 'unevaluatedProperties' });
    assert.match(result.message, /'plan'.*'properties'/);
    assertValid({ ...track, properties: { plan: 'pro', nested: { anything: [1, null, { ok: true }] } } });
    for (const type of eventTypes) {
      assertInvalid({ ...byType[type], userId: 'x' }, { pointer: '/userId', keyword: 'unevaluatedProperties' });
    }
  });

  test('escapes property names in pointers (RFC 6901)', () => {
    assertInvalid({ ...track, 'a/b~c': 1 }, { pointer: '/a~1b~0c', keyword: 'unevaluatedProperties' });
  });

  test('requires user_id or anonymous_id (either is enough)', () => {
    const { user_id: _userId, ...anonymous } = track;
    assertValid({ ...anonymous, anonymous_id: 'anon_1' });
    assertValid({ ...track, anonymous_id: 'anon_1' });
    const result = assertInvalid(anonymous, { pointer: '', keyword: 'anyOf' });
    assert.equal(result.message, 'must have at least one of: user_id, anonymous_id');
    assertInvalid({ ...anonymous, user_id: '' }, { pointer: '/user_id', keyword: 'minLength' });
  });

  test('required envelope fields point at the missing property', () => {
    for (const field of ['event_id', 'occurred_at'] as const) {
      const { [field]: _omit, ...event } = generation;
      assertInvalid(event, { pointer: `/${field}`, keyword: 'required' });
    }
  });

  test('event_id must be a canonical UUID (any version, either case)', () => {
    assertValid({ ...track, event_id: '0197636B-8186-7B14-A173-8AC28E94CA19' });
    assertValid({ ...track, event_id: '5f1b8c52-1d0f-4c1c-9b8e-2a7d3c4e5f60' });
    assertInvalid({ ...track, event_id: 'evt_1' }, { pointer: '/event_id', keyword: 'format' });
    assertInvalid({ ...track, event_id: '0197636b81867b14a1738ac28e94ca19' }, { pointer: '/event_id', keyword: 'format' });
    assertInvalid({ ...track, event_id: `urn:uuid:${envelope.event_id}` }, { pointer: '/event_id', keyword: 'maxLength' });
    assertInvalid({ ...track, event_id: 42 }, { pointer: '/event_id', keyword: 'type' });
  });

  test('occurred_at and sent_at are RFC 3339 date-times with an offset', () => {
    for (const value of ['2025-06-12T09:14:39Z', '2025-06-12T11:14:39.123456+02:00', '2024-02-29t23:59:60z']) {
      assertValid({ ...track, occurred_at: value, sent_at: value });
    }
    for (const value of ['2025-06-12T09:14:39', '2025-06-12 09:14:39Z', '2025-02-29T09:14:39Z', '2025-06-12T24:00:00Z', '1718183679', '']) {
      assertInvalid({ ...track, occurred_at: value }, { pointer: '/occurred_at', keyword: 'format' });
      assertInvalid({ ...track, sent_at: value }, { pointer: '/sent_at', keyword: 'format' });
    }
  });

  test('context: sdk needs name and version; other context fields are free', () => {
    assertValid({ ...track, context: { sdk: { name: 'sluice-js', version: '0.1.0' }, app_version: '1.0', locale: 'en-US', screen: { w: 390 } } });
    assertInvalid({ ...track, context: { sdk: { name: 'sluice-js' } } }, { pointer: '/context/sdk/version', keyword: 'required' });
    assertInvalid({ ...track, properties: ['a'] }, { pointer: '/properties', keyword: 'type' });
  });

  test('ids are limited to 200 characters', () => {
    assertValid({ ...track, session_id: 's'.repeat(200) });
    assertInvalid({ ...track, session_id: 's'.repeat(201) }, { pointer: '/session_id', keyword: 'maxLength' });
  });
});

describe('generation', () => {
  test('requires generation_id, model, input and output', () => {
    for (const field of ['generation_id', 'model', 'input', 'output'] as const) {
      const { [field]: _omit, ...event } = generation;
      assertInvalid(event, { pointer: `/${field}`, keyword: 'required' });
    }
  });

  test('tool_calls arguments may be a JSON-encoded string or an object', () => {
    const assistant = (args: unknown): ChatMessage => ({
      role: 'assistant',
      content: null,
      tool_calls: [{ ...toolCall, function: { name: 'lookup_order', arguments: args as string } }],
    });
    assertValid(withInput(assistant('{"order_id":"NW-48213"}'), { role: 'tool', tool_call_id: toolCall.id, content: '{}' }));
    assertValid(withInput(assistant({ order_id: 'NW-48213' })));
    assertValid(withOutput({ role: 'assistant', tool_calls: [{ ...toolCall, function: { name: 'lookup_order', arguments: {} } }] }));
    assertInvalid(withInput(assistant(['NW-48213'])), { pointer: '/input/0/tool_calls/0/function/arguments', keyword: 'type' });
    assertInvalid(withInput(assistant(null)), { pointer: '/input/0/tool_calls/0/function/arguments', keyword: 'type' });
  });

  test('content may be null (or absent) only on an assistant message with tool_calls', () => {
    assertValid(withInput({ role: 'assistant', content: null, tool_calls: [toolCall] }));
    assertValid(withInput({ role: 'assistant', tool_calls: [toolCall] }));
    assertValid(withOutput({ role: 'assistant', content: null, tool_calls: [toolCall] }));
    assertInvalid(withInput({ role: 'assistant', content: null }), { pointer: '/input/0/content', keyword: 'type' });
    assertInvalid(withInput({ role: 'user', content: null }), { pointer: '/input/0/content', keyword: 'type' });
    assertInvalid(withInput({ role: 'user' }), { pointer: '/input/0/content', keyword: 'required' });
    assertInvalid(withOutput({ role: 'assistant' }), { pointer: '/output/0/content', keyword: 'required' });
    assertInvalid(withOutput({ role: 'assistant', content: null, tool_calls: [] }), { pointer: '/output/0/tool_calls', keyword: 'minItems' });
  });

  test('tool messages need tool_call_id; roles are checked', () => {
    assertInvalid(withInput({ role: 'tool', content: 'done' }), { pointer: '/input/0/tool_call_id', keyword: 'required' });
    assertInvalid(withInput({ role: 'bot' as 'user', content: 'hi' }), { pointer: '/input/0/role', keyword: 'enum' });
    assertInvalid(withInput({ content: 'hi' } as ChatMessage), { pointer: '/input/0/role', keyword: 'required' });
    assertInvalid(withOutput({ role: 'user' as 'assistant', content: 'hi' }), { pointer: '/output/0/role', keyword: 'const' });
  });

  test('messages are closed objects', () => {
    const result = assertInvalid(withInput({ role: 'user', content: 'hi', refusal: null } as ChatMessage), {
      pointer: '/input/0/refusal',
      keyword: 'additionalProperties',
    });
    assert.match(result.message, /'refusal'/);
  });

  test('content parts: text, image_url and any other typed part', () => {
    assertValid(
      withInput({
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
        ],
      }),
    );
    const part = (p: unknown): GenerationEvent => withInput({ role: 'user', content: [p as { type: 'text'; text: string }] });
    assertInvalid(part({ type: 'text' }), { pointer: '/input/0/content/0/text', keyword: 'required' });
    assertInvalid(part({ type: 'text', text: 5 }), { pointer: '/input/0/content/0/text', keyword: 'type' });
    assertInvalid(part({ type: 'text', text: 'x', cache: true }), { pointer: '/input/0/content/0/cache', keyword: 'additionalProperties' });
    assertInvalid(part({ type: 'image_url' }), { pointer: '/input/0/content/0/image_url', keyword: 'required' });
    assertInvalid(part({ type: 'image_url', image_url: {} }), { pointer: '/input/0/content/0/image_url/url', keyword: 'required' });
    assertInvalid(part({ text: 'x' }), { pointer: '/input/0/content/0/type', keyword: 'required' });
    assertInvalid(part('x'), { pointer: '/input/0/content/0', keyword: 'type' });
  });

  test('usage, params, tools and latency', () => {
    assertValid({
      ...generation,
      usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12, reasoning_tokens: 0 },
      params: { temperature: 0.7, top_p: 1, max_tokens: 100, stop: ['\n\n'], seed: 1, logit_bias: { '50256': -100 } },
      tools: [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', properties: {} } } }],
      latency_ms: 0,
      finish_reason: 'some_provider_specific_reason',
    });
    assertInvalid({ ...generation, usage: { input_tokens: 10 } }, { pointer: '/usage/output_tokens', keyword: 'required' });
    assertInvalid({ ...generation, usage: { input_tokens: 1.5, output_tokens: 1 } }, { pointer: '/usage/input_tokens', keyword: 'type' });
    assertInvalid({ ...generation, usage: { input_tokens: 1, output_tokens: 1, cached: 'x' } }, { pointer: '/usage/cached', keyword: 'type' });
    assertInvalid({ ...generation, params: { temperature: 'hot' } }, { pointer: '/params/temperature', keyword: 'type' });
    assertInvalid({ ...generation, latency_ms: -1 }, { pointer: '/latency_ms', keyword: 'minimum' });
    assertInvalid({ ...generation, tools: [{ type: 'function', function: {} }] }, { pointer: '/tools/0/function/name', keyword: 'required' });
  });
});

describe('feedback and outcome targets', () => {
  test('target is either { generation_id } or { session_id }', () => {
    for (const event of [feedback, outcome]) {
      assertValid({ ...event, target: { generation_id: 'chatcmpl-1' } });
      assertValid({ ...event, target: { session_id: 'conv_1' } });
    }
  });

  test('exactly one of the two keys', () => {
    for (const event of [feedback, outcome]) {
      for (const target of [{}, { generation_id: 'g', session_id: 's' }, { trace_id: 't' }]) {
        const result = assertInvalid({ ...event, target }, { pointer: '/target', keyword: 'oneOf' });
        assert.equal(result.message, 'must have exactly one of: generation_id, session_id');
      }
    }
  });

  test('errors inside a target point at the offending key', () => {
    assertInvalid({ ...feedback, target: { session_id: 5 } }, { pointer: '/target/session_id', keyword: 'type' });
    assertInvalid({ ...feedback, target: { generation_id: '' } }, { pointer: '/target/generation_id', keyword: 'minLength' });
    assertInvalid({ ...feedback, target: { generation_id: 'g', extra: 1 } }, { pointer: '/target/extra', keyword: 'additionalProperties' });
    assertInvalid({ ...feedback, target: 'chatcmpl-1' }, { pointer: '/target', keyword: 'type' });
    const { target: _target, ...untargeted } = feedback;
    assertInvalid(untargeted, { pointer: '/target', keyword: 'required' });
  });
});

describe('feedback', () => {
  test('kind is an enum', () => {
    assertInvalid({ ...feedback, kind: 'love' }, { pointer: '/kind', keyword: 'enum' });
  });

  test('value is a number, string or boolean', () => {
    for (const value of ['up', 'down', 1, -1, 4.5, true]) assertValid({ ...feedback, value });
    assertInvalid({ ...feedback, value: null }, { pointer: '/value', keyword: 'type' });
    assertInvalid({ ...feedback, value: { stars: 4 } }, { pointer: '/value', keyword: 'type' });
  });

  test('each kind requires its payload', () => {
    const { value: _value, ...base } = feedback;
    assertInvalid({ ...base, kind: 'thumbs' }, { pointer: '/value', keyword: 'required' });
    assertInvalid({ ...base, kind: 'rating' }, { pointer: '/value', keyword: 'required' });
    assertInvalid({ ...base, kind: 'comment' }, { pointer: '/comment', keyword: 'required' });
    assertInvalid({ ...base, kind: 'correction' }, { pointer: '/correction', keyword: 'required' });
    assertValid({ ...base, kind: 'comment', comment: 'Too long.' });
    assertValid({ ...base, kind: 'correction', correction: 'The right answer.', comment: 'optional too' });
  });
});

describe('outcome, consent, erasure_request, track', () => {
  test('outcome kinds', () => {
    for (const kind of ['accepted', 'rejected', 'edited', 'regenerated', 'copied', 'resolved', 'escalated', 'abandoned', 'task_success', 'task_failure']) {
      assertValid({ ...outcome, kind });
    }
    assertInvalid({ ...outcome, kind: 'liked' }, { pointer: '/kind', keyword: 'enum' });
    assertValid({ ...outcome, value: 0.8 });
  });

  test('consent', () => {
    assertValid({ ...consent, scope: 'analytics', granted: true });
    assertInvalid({ ...consent, scope: 'marketing' }, { pointer: '/scope', keyword: 'enum' });
    assertInvalid({ ...consent, granted: 'yes' }, { pointer: '/granted', keyword: 'type' });
    const { granted: _granted, ...noGranted } = consent;
    assertInvalid(noGranted, { pointer: '/granted', keyword: 'required' });
  });

  test('erasure_request requires user_id', () => {
    assertValid({ ...erasure, reason: 'account deleted' });
    const { user_id: _userId, ...anonymous } = erasure;
    assertInvalid({ ...anonymous, anonymous_id: 'anon_1' }, { pointer: '/user_id', keyword: 'required' });
  });

  test('track requires a name and keeps app data in properties', () => {
    assertValid({ ...track, properties: { order_id: 'NW-1', total: 12.5 } });
    const { name: _name, ...unnamed } = track;
    assertInvalid(unnamed, { pointer: '/name', keyword: 'required' });
    assertInvalid({ ...track, name: '' }, { pointer: '/name', keyword: 'minLength' });
  });
});
