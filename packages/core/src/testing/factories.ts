import { randomUUID } from 'node:crypto';
import type { IngestedEvent, QuarantinedEvent } from '../events.ts';
import type { Sample } from '../samples.ts';

/** Shared test factories: realistic defaults, overridable per test. */
export function makeIngestedEvent(overrides: Partial<IngestedEvent> = {}): IngestedEvent {
  const eventId = overrides.eventId ?? randomUUID();
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  return {
    eventId,
    tenant: 'acme',
    source: 'support-web',
    type: 'generation',
    occurredAt: now - 1500,
    sentAt: now - 500,
    receivedAt: now,
    timestamp: now - 1000,
    userId: 'user_42',
    anonymousId: null,
    sessionId: 'sess_1',
    traceId: null,
    parentId: null,
    clientIp: null,
    payload: {
      event_id: eventId,
      type: 'generation',
      generation_id: `gen_${eventId.slice(0, 8)}`,
      model: 'llama-3.1-8b-instruct',
      input: [{ role: 'user', content: 'Where is my order #1234? My email is jane@example.com' }],
      output: [{ role: 'assistant', content: 'Let me look that up for you.' }],
    },
    ...overrides,
  };
}

export function makeQuarantinedEvent(overrides: Partial<QuarantinedEvent> = {}): QuarantinedEvent {
  return {
    tenant: 'acme',
    source: 'support-web',
    receivedAt: Date.UTC(2026, 10, 29, 12, 0, 0),
    eventId: null,
    code: 'SLUICE_ERR_EVENT_INVALID',
    pointer: '/occurred_at',
    message: 'must match format "date-time"',
    payload: { type: 'generation', occurred_at: 'yesterday' },
    ...overrides,
  };
}

export function makeSample(overrides: Partial<Sample> = {}): Sample {
  const id = randomUUID();
  return {
    sampleId: `s_${id.replaceAll('-', '').slice(0, 24)}`,
    tenant: 'acme',
    source: 'support-web',
    generationId: `gen_${id.slice(0, 8)}`,
    model: 'llama-3.1-8b-instruct',
    provider: 'vllm',
    sessionId: 'sess_1',
    userKey: 'u_1a2b3c4d',
    occurredAt: Date.UTC(2026, 10, 29, 12, 0, 0),
    prompt: [{ role: 'user', content: 'Where is my order?' }],
    completion: [{ role: 'assistant', content: 'It ships tomorrow.' }],
    tools: null,
    finishReason: 'stop',
    signals: [],
    previousAttempt: null,
    labels: { reward: 1, kto: true, sft: true, preference: null, rules: ['accepted'] },
    split: 'train',
    pii: {},
    lineage: [id],
    ingestSeq: 1,
    ...overrides,
  };
}
