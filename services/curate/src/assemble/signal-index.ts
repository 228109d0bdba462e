import type { SampleSignal, StoredEvent } from '@sluice/core';
import type { ConsentState } from '../operators/consent.ts';

/** The user key consent, erasure and split are decided on: the user id, else the anonymous id. */
export function userKeyOf(event: Pick<StoredEvent, 'userId' | 'anonymousId'>): string | null {
  if (event.userId !== null) return `user:${event.userId}`;
  if (event.anonymousId !== null) return `anon:${event.anonymousId}`;
  return null;
}

export interface TimedSignal extends SampleSignal {
  /** Corrected server-clock time of the signal, compared with the generation's. */
  timestamp: number;
}

/**
 * Everything curation needs besides the generations themselves, from one scan of the smaller
 * event types: signals by the generation or session they target (scoped by tenant), and the
 * consent state per user at the watermark.
 */
export class SignalIndex {
  readonly byGeneration = new Map<string, TimedSignal[]>();
  readonly bySession = new Map<string, TimedSignal[]>();
  readonly #consent = new Map<string, { granted: boolean; at: number; seq: number }>();
  readonly #erased = new Set<string>();

  add(event: StoredEvent): void {
    const p = event.payload as Record<string, unknown>;
    const user = userKeyOf(event);
    if (event.type === 'consent') {
      if (user === null || p.scope !== 'training') return;
      const previous = this.#consent.get(user);
      if (!previous || event.timestamp > previous.at || (event.timestamp === previous.at && event.ingestSeq > previous.seq)) {
        this.#consent.set(user, { granted: p.granted === true, at: event.timestamp, seq: event.ingestSeq });
      }
      return;
    }
    if (event.type === 'erasure_request') {
      if (user !== null) this.#erased.add(user);
      return;
    }
    if (event.type !== 'feedback' && event.type !== 'outcome') return;
    const target = (p.target ?? {}) as { generation_id?: string; session_id?: string };
    const signal: TimedSignal = {
      eventId: event.eventId,
      type: event.type,
      kind: String(p.kind),
      ...(p.value === undefined ? {} : { value: p.value }),
      ...(typeof p.comment === 'string' ? { comment: p.comment } : {}),
      ...(typeof p.correction === 'string' ? { correction: p.correction } : {}),
      ...(typeof p.final_text === 'string' ? { finalText: p.final_text } : {}),
      scope: target.generation_id !== undefined ? 'generation' : 'session',
      occurredAt: event.occurredAt,
      timestamp: event.timestamp,
    };
    const key = target.generation_id !== undefined ? target.generation_id : target.session_id;
    if (key === undefined) return;
    const map = signal.scope === 'generation' ? this.byGeneration : this.bySession;
    const scoped = `${event.tenant}\u0000${key}`;
    const list = map.get(scoped);
    if (list) list.push(signal);
    else map.set(scoped, [signal]);
  }

  consentState(): ConsentState {
    return {
      latest: new Map([...this.#consent].map(([user, c]) => [user, c.granted])),
      erased: this.#erased,
    };
  }
}
