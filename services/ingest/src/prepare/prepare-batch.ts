import type { IngestedEvent, PreparedBody, QuarantinedEvent } from '@sluice/core';
import type { EventValidator } from '@sluice/schemas';
import type { IngestResult } from '../ingest-events.ts';
import { parseJsonBody } from '../parse-json-body.ts';
import { readBatch } from '../read-batch.ts';
import { unambiguousEventsBody } from '../received-body.ts';
import { createSortEntriesStep } from '../steps/sort-entries.ts';

/** Who sent a body and when: what enrichment takes from the request rather than from the body. */
export interface PrepareContext {
  tenant: string;
  source: string;
  receivedAt: number;
  clientIp: string | null;
}

/** One /v1/batch body, parsed, checked and in the store's staging form: all the event log needs, and the answer's parts. */
export interface PreparedBatch {
  /** The accepted events (null when every entry was rejected). */
  body: PreparedBody | null;
  quarantine: QuarantinedEvent[];
  types: string[];
  rejectedTypes: string[];
  rejected: IngestResult['rejected'];
}

/** A store's preparer (for DuckDB: @sluice/warehouse-duckdb/prepare). */
export type BodyPreparer = (json: Uint8Array | null, accepted: ReadonlyArray<{ position: number; event: IngestedEvent }>) => PreparedBody;

/**
 * Everything /v1/batch does with a body before the event log, as one pure function of its bytes:
 * parse, check the batch, validate and enrich each entry, quarantine the invalid ones, and hand
 * the valid ones to the store's preparer (its staging form, built from the body's own bytes when
 * they can be copied entry by entry). The preparation thread runs it (docs/decisions/0020).
 * Throws SluiceError for a body that is not a batch at all.
 */
export function createPrepareBatch(deps: { validateEvent: EventValidator; prepareBody: BodyPreparer; maxEventsPerBatch: number; maxFutureSkewMs: number }) {
  const sortEntries = createSortEntriesStep({ validateEvent: deps.validateEvent, maxFutureSkewMs: deps.maxFutureSkewMs });

  return function prepareBatch(json: Uint8Array, context: PrepareContext): PreparedBatch {
    const batch = readBatch(parseJsonBody(json), deps.maxEventsPerBatch);
    const { events, positions, quarantine, types, rejectedTypes, rejected } = sortEntries(batch.events, { ...context, batchSentAt: batch.sentAt });
    const bytes = Buffer.from(json.buffer, json.byteOffset, json.byteLength);
    const body = events.length === 0 ? null : deps.prepareBody(unambiguousEventsBody(bytes), events.map((event, i) => ({ position: positions[i]!, event })));
    return { body, quarantine, types, rejectedTypes, rejected };
  };
}
