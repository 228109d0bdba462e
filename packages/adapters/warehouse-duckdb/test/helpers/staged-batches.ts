import type { AppendBatch, IngestedEvent } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';

/**
 * A batch as POST /v1/batch hands it over: the request body's bytes plus the enriched events, each
 * with its index in the body's `events` array. `skip` lists entries the route rejected (they stay
 * in the body but are not among the events).
 */
export function stagedBatch(count: number, options: { skip?: readonly number[]; extra?: Record<string, unknown> } = {}): AppendBatch {
  const all = Array.from({ length: count }, () => makeIngestedEvent());
  const payloads = all.map((e) => ({ ...e.payload, ...options.extra }));
  const body = Buffer.from(JSON.stringify({ sent_at: '2026-11-29T12:00:00Z', events: payloads }));
  const events: IngestedEvent[] = [];
  const positions: number[] = [];
  all.forEach((e, i) => {
    if (options.skip?.includes(i)) return;
    events.push({ ...e, payload: payloads[i]! });
    positions.push(i);
  });
  return { events, quarantine: [], bodies: [{ json: body, positions }] };
}
