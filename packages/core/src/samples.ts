/**
 * Curated training samples, as curation writes them and export reads them. A sample is one
 * `generation` event turned into a conversation with the signals that followed it (feedback,
 * outcomes), after consent, PII redaction, filters, labels, dedup and split.
 */

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  type: 'function';
  /** Arguments as an object (TRL) — export re-serializes to a JSON string for OpenAI formats. */
  function: { name: string; arguments: unknown };
}

export interface SampleMessage {
  role: Role;
  /** Text content; multimodal parts are flattened to their text (images are not exported). */
  content: string | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  name?: string;
}

/** A signal attached to a sample: a feedback or outcome event that targets it or its session. */
export interface SampleSignal {
  eventId: string;
  type: 'feedback' | 'outcome';
  kind: string;
  value?: unknown;
  comment?: string;
  correction?: string;
  finalText?: string;
  /** Whether it targeted this generation or the whole session. */
  scope: 'generation' | 'session';
  occurredAt: number;
}

export interface SampleLabels {
  /** Scalar reward, e.g. +1 accepted, −1 rejected; null when no rule matched. */
  reward: number | null;
  /** KTO desirability; null when unknown. */
  kto: boolean | null;
  /** Eligible for supervised fine-tuning. */
  sft: boolean;
  /** A preference pair, when a signal provides one (edited / correction / regenerated). */
  preference: { chosen: SampleMessage[]; rejected: SampleMessage[]; margin?: number; reason: string } | null;
  /** Names of the label rules that fired, for explanations. */
  rules: string[];
}

export interface Sample {
  /** Deterministic: derived from tenant, source and the generation's event_id. */
  sampleId: string;
  tenant: string;
  source: string;
  generationId: string;
  model: string;
  provider: string | null;
  sessionId: string | null;
  /** Split key holder: pseudonymous after curation; the raw id never leaves the warehouse. */
  userKey: string | null;
  occurredAt: number;
  /** Conversation sent to the model (prompt) and what it answered (completion). */
  prompt: SampleMessage[];
  completion: SampleMessage[];
  /** Tool definitions offered to the model (JSON schemas), or null. */
  tools: unknown[] | null;
  /** Why the model stopped (stop, length, tool_calls, content_filter, error, …), when reported. */
  finishReason: string | null;
  signals: SampleSignal[];
  /**
   * The completion of an earlier generation in the same session with the same prompt that the
   * user regenerated (outcome `regenerated`): the rejected side of a regeneration preference.
   */
  previousAttempt: SampleMessage[] | null;
  labels: SampleLabels;
  split: string;
  /** PII findings by type (counts, never values). */
  pii: Record<string, number>;
  /** Event ids the sample was built from (the generation and its attached signals). */
  lineage: string[];
  /** Order key for deterministic tie-breaks (the generation's ingest sequence). */
  ingestSeq: number;
}

export interface StoredRuleset {
  name: string;
  /** sha256 of the canonical JSON of the parsed ruleset: its version. */
  hash: string;
  /** Canonical JSON of the parsed ruleset. */
  content: string;
  /** The file as the steward wrote it (YAML or JSON). */
  sourceText: string;
  createdAt: number;
}

export type CurationRunStatus = 'building' | 'complete' | 'failed';

export interface CurationRun {
  runId: string;
  rulesetName: string;
  rulesetHash: string;
  /** Events with ingestSeq ≤ watermark were considered. */
  watermark: number;
  status: CurationRunStatus;
  /** Funnel counts (stage → count) and per-split / per-PII-type counts, once finished. */
  stats: Record<string, unknown>;
  createdAt: number;
  finishedAt: number | null;
}

export interface ErasureRecord {
  tenant: string;
  userId: string;
  /**
   * The user's pseudonymous key as curation writes it into samples and lineage.parquet (split
   * step), so published snapshots that hold the user can be found; null when unknown.
   */
  userKey: string | null;
  requestEventId: string;
  deletedEvents: number;
  erasedAt: number;
}

/** The user of a published snapshot, by pseudonymous key, as export registers it. */
export interface SnapshotUser {
  tenant: string;
  userKey: string;
}

/**
 * A mark on a published snapshot: it holds samples of a user who was erased since. The snapshot's
 * files are immutable and stay as they are; trainers drop the user's rows by `userKey` (the
 * user_key column of lineage.parquet) or move to a snapshot exported after the erasure.
 */
export interface SnapshotErasure {
  snapshotId: string;
  userKey: string;
  requestEventId: string;
  erasedAt: number;
}
