import { createHash } from 'node:crypto';
import type { CurationRun, ErasureRecord, Sample, StoredRuleset } from '@sluice/core';
import type { Row } from './database.ts';

/*
 * Mapping between curation records and table rows, and their insert tokens. As in rows.ts, times
 * travel as epoch-ms integers, and selected expressions get names unlike any column so that an
 * alias never shadows a column in WHERE or ORDER BY.
 */

export const RULESET_COLUMNS = `name AS n, hash AS h, content AS body, source_text AS text, toUnixTimestamp64Milli(created_at) AS created_ms`;

export const RUN_COLUMNS = `run_id AS id, ruleset_name AS rn, ruleset_hash AS rh, watermark AS wm, status AS st, stats AS sx,
  toUnixTimestamp64Milli(created_at) AS created_ms, toUnixTimestamp64Milli(finished_at) AS finished_ms`;

export const ERASURE_COLUMNS = `tenant AS tn, user_id AS u, user_key AS uk, request_event_id AS req, deleted_events AS n,
  toUnixTimestamp64Milli(erased_at) AS erased_ms`;

export function rulesetRow(r: StoredRuleset): Row {
  return { name: r.name, hash: r.hash, content: r.content, source_text: r.sourceText, created_at: r.createdAt };
}

export function toRuleset(row: Row): StoredRuleset {
  return { name: row.n as string, hash: row.h as string, content: row.body as string, sourceText: row.text as string, createdAt: Number(row.created_ms) };
}

/** The whole row, every time: a state change is a new row that replaces the old one under FINAL. */
export function runRow(run: CurationRun): Row {
  return {
    run_id: run.runId, ruleset_name: run.rulesetName, ruleset_hash: run.rulesetHash, watermark: run.watermark, status: run.status,
    stats: JSON.stringify(run.stats), created_at: run.createdAt, finished_at: run.finishedAt,
    state_rank: run.status === 'building' ? 0 : 1,
  };
}

export function toRun(row: Row): CurationRun {
  return {
    runId: row.id as string, rulesetName: row.rn as string, rulesetHash: row.rh as string, watermark: Number(row.wm),
    status: row.st as CurationRun['status'], stats: JSON.parse(row.sx as string) as Record<string, unknown>,
    createdAt: Number(row.created_ms), finishedAt: row.finished_ms === null ? null : Number(row.finished_ms),
  };
}

export function sampleRow(runId: string, s: Sample): Row {
  return {
    run_id: runId, sample_id: s.sampleId, split: s.split, tenant: s.tenant, source: s.source, model: s.model,
    ingest_seq: s.ingestSeq, sample: JSON.stringify(s),
  };
}

export function erasureRow(record: ErasureRecord, maxErasedSeq: number): Row {
  return {
    tenant: record.tenant, user_id: record.userId, request_event_id: record.requestEventId, deleted_events: record.deletedEvents,
    erased_at: record.erasedAt, max_erased_seq: maxErasedSeq, user_key: record.userKey,
  };
}

export function toErasure(row: Row): ErasureRecord {
  return {
    tenant: row.tn as string, userId: row.u as string, userKey: (row.uk as string | null) ?? null, requestEventId: row.req as string,
    deletedEvents: Number(row.n), erasedAt: Number(row.erased_ms),
  };
}

/*
 * Insert tokens: a retry of the same insert (the execution point retries dropped connections) is
 * dropped by ClickHouse. Prefixed by table so they never equal a lander's token.
 */

/** Rulesets, runs and erasures: the row is its own identity. */
export function rowToken(table: string, row: Row): string {
  return `${table}-sha256-${sha256(JSON.stringify(row))}`;
}

/** Samples: a sampleId is unique within its run, so (run, sorted ids) names the batch. */
export function samplesToken(runId: string, samples: readonly Sample[]): string {
  const ids = samples.map((s) => s.sampleId).sort();
  return `samples-sha256-${sha256(JSON.stringify([runId, ids]))}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
