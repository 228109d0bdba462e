import type { Sample, SampleMessage, StoredEvent } from '@sluice/core';
import { createHash } from 'node:crypto';
import { messagesText, toSampleMessages } from './messages.ts';
import { userKeyOf, type SignalIndex, type TimedSignal } from './signal-index.ts';

export interface AssembleOptions {
  /** Signals count when their timestamp falls within [generation, generation + window]. */
  signalWindowMs: number;
}

/** sample_id = hash of (tenant, source, generation event_id): stable across runs and rulesets. */
export function sampleIdOf(event: Pick<StoredEvent, 'tenant' | 'source' | 'eventId'>): string {
  return `s_${createHash('sha256').update(`${event.tenant}\u0000${event.source}\u0000${event.eventId}`).digest('hex').slice(0, 32)}`;
}

/**
 * Turns generation events into candidate samples, in ingest order, with the signals that target
 * them (or their session) inside the window. Tracks, per session, the completions the user
 * regenerated, so a later generation with the same prompt knows its previous attempt.
 * Deterministic: the same events give the same samples.
 */
export function createSampleAssembler(index: SignalIndex, options: AssembleOptions) {
  /** session → prompt hash → completion that was regenerated. */
  const regenerated = new Map<string, Map<string, SampleMessage[]>>();

  // A signal that names the generation only needs to arrive in time; a session-wide one must
  // also come after the generation, or it says nothing about it.
  const beforeDeadline = (generationTime: number) => (s: TimedSignal) => s.timestamp <= generationTime + options.signalWindowMs;
  const within = (generationTime: number) => (s: TimedSignal) => s.timestamp >= generationTime && beforeDeadline(generationTime)(s);

  return function assemble(event: StoredEvent): Sample {
    const p = event.payload as Record<string, unknown>;
    const generationId = String(p.generation_id);
    const prompt = toSampleMessages(p.input);
    const completion = toSampleMessages(p.output);
    const tenantKey = (key: string) => `${event.tenant}\u0000${key}`;
    const inWindow = within(event.timestamp);
    const signals = [
      ...(index.byGeneration.get(tenantKey(generationId)) ?? []).filter(beforeDeadline(event.timestamp)),
      ...(event.sessionId === null ? [] : index.bySession.get(tenantKey(event.sessionId)) ?? []).filter(inWindow),
    ]
      .sort((a, b) => a.occurredAt - b.occurredAt || (a.eventId < b.eventId ? -1 : 1))
      .map(({ timestamp: _t, ...signal }) => signal);

    const promptHash = createHash('sha256').update(messagesText(prompt)).digest('hex');
    const sessionAttempts = event.sessionId === null ? undefined : regenerated.get(tenantKey(event.sessionId));
    const previousAttempt = sessionAttempts?.get(promptHash) ?? null;
    if (event.sessionId !== null && signals.some((s) => s.type === 'outcome' && s.kind === 'regenerated' && s.scope === 'generation')) {
      const key = tenantKey(event.sessionId);
      if (!regenerated.has(key)) regenerated.set(key, new Map());
      regenerated.get(key)!.set(promptHash, completion);
    }

    return {
      sampleId: sampleIdOf(event),
      tenant: event.tenant,
      source: event.source,
      generationId,
      model: String(p.model),
      provider: typeof p.provider === 'string' ? p.provider : null,
      sessionId: event.sessionId,
      userKey: userKeyOf(event),
      occurredAt: event.occurredAt,
      prompt,
      completion,
      tools: Array.isArray(p.tools) ? p.tools : null,
      finishReason: typeof p.finish_reason === 'string' ? p.finish_reason : null,
      signals,
      previousAttempt,
      labels: { reward: null, kto: null, sft: false, preference: null, rules: [] },
      split: '',
      pii: {},
      lineage: [event.eventId, ...signals.map((s) => s.eventId)],
      ingestSeq: event.ingestSeq,
    };
  };
}
