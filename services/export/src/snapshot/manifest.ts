import type { HfFeature } from '../formats/column-types.ts';
import type { ExportConfig } from './snapshot-id.ts';

export interface SnapshotFile {
  /** Relative to the snapshot directory, '/'-separated: `data/sft/train-00000-of-00001.parquet`. */
  path: string;
  /** Rows in a data or lineage file; null for the dataset card. */
  rows: number | null;
  bytes: number;
  sha256: string;
  config?: string;
  split?: string;
}

export interface SnapshotConfig {
  file_type: 'parquet' | 'jsonl';
  description: string;
  /** Column name → readable type, for Parquet configs. */
  columns?: Record<string, string>;
  /** The `datasets.Features` a loader should report, serialized as `Features.to_dict()` does. */
  features?: Record<string, HfFeature>;
}

/**
 * manifest.json: written last, so its presence means the snapshot is complete. Everything a
 * trainer or an auditor needs to trust the files: where they came from and their hashes.
 */
export interface SnapshotManifest {
  manifest_version: 1;
  id: string;
  name: string;
  status: 'ready';
  created_at: string;
  ruleset: { name: string; hash: string; content: unknown; source_text: string };
  curation_run: { run_id: string; watermark: number; finished_at: string | null };
  watermark: number;
  erasures: number;
  export_config: ExportConfig;
  code_version: string;
  /** config → split → rows. Configs with no rows have an empty object and no files. */
  counts: Record<string, Record<string, number>>;
  configs: Record<string, SnapshotConfig>;
  files: SnapshotFile[];
}

export type SnapshotStatus = 'building' | 'ready' | 'failed';

/** The small index entry per snapshot (see layout.ts), rewritten at each status change. */
export interface SnapshotIndexEntry {
  id: string;
  name: string;
  status: SnapshotStatus;
  created_at: string;
  updated_at: string;
  ruleset: { name: string; hash: string };
  watermark: number;
  counts?: Record<string, Record<string, number>>;
  error?: { code: string; message: string };
}

export interface TagEntry {
  tag: string;
  snapshot_id: string;
  updated_at: string;
}
