import type { AppendBatch, IngestedEvent, PreparedBody } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { prepareBody, preparedRecord } from '../../src/prepared-body.ts';

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

/** The first body of a stagedBatch as the preparer (prepared-body.ts) builds it. */
export function preparedBody(batch: AppendBatch): PreparedBody {
  const body = batch.bodies![0]!;
  return prepareBody(body.json, batch.events.map((event, i) => ({ position: body.positions[i]!, event })));
}

/** Request bodies with their accepted events, each with its position in the body and its seq (running on across bodies). */
export interface StagedBody {
  json: Uint8Array;
  entries: Array<{ position: number; event: IngestedEvent; seq: number }>;
}

/** The staging-log record (bodies and meta) the warehouse writes for these bodies. */
export function stagedRecord(bodies: readonly StagedBody[]): { bodies: Buffer; meta: Buffer; events: number } {
  return preparedRecord(bodies.map((b) => prepareBody(b.json, b.entries)), bodies[0]!.entries[0]!.seq);
}
