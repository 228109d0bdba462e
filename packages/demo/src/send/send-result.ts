import type { DemoSource } from '../types.ts';

/** What the server said about everything sent: its own counts, summed over the batch responses. */
export interface SendResult {
  sent: number;
  accepted: number;
  duplicates: number;
  /** Rejected by validation, and kept in quarantine by the server. */
  quarantined: number;
  /** Quarantined events by error code. */
  quarantineCodes: Record<string, number>;
  bySource: Record<DemoSource, { sent: number; accepted: number; duplicates: number; quarantined: number }>;
  requests: number;
  /** Requests repeated after a 429 / 503 / network error (safe: event ids make them idempotent). */
  retries: number;
  elapsedMs: number;
}

export function emptySendResult(): SendResult {
  const zero = () => ({ sent: 0, accepted: 0, duplicates: 0, quarantined: 0 });
  return {
    sent: 0, accepted: 0, duplicates: 0, quarantined: 0, quarantineCodes: {}, bySource: { 'support-web': zero(), 'coding-ide': zero() },
    requests: 0, retries: 0, elapsedMs: 0,
  };
}

export interface BatchResponse {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; event_id?: string; code: string; pointer: string; message: string }>;
}

export function addBatch(result: SendResult, source: DemoSource, events: number, response: BatchResponse): void {
  const s = result.bySource[source];
  result.sent += events;
  s.sent += events;
  result.accepted += response.accepted;
  s.accepted += response.accepted;
  result.duplicates += response.duplicates;
  s.duplicates += response.duplicates;
  result.quarantined += response.rejected.length;
  s.quarantined += response.rejected.length;
  for (const r of response.rejected) result.quarantineCodes[r.code] = (result.quarantineCodes[r.code] ?? 0) + 1;
}
