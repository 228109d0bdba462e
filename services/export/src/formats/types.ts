import type { Sample } from '@sluice/core';
import type { Columns } from './column-types.ts';

export const CONFIG_NAMES = ['sft', 'prompt_completion', 'preference', 'kto', 'rl', 'openai_chat', 'openai_dpo'] as const;
export type ConfigName = (typeof CONFIG_NAMES)[number];

interface FormatBase {
  name: ConfigName;
  /** One line for the dataset card. */
  description: string;
  /** Whether the sample yields a row in this config (e.g. only samples with a preference pair). */
  includes(sample: Sample): boolean;
  /** The row; `index` is its position within its split of this config (0-based). */
  toRow(sample: Sample, index: number): Record<string, unknown>;
}

/** A config written as Parquet shards; `columns` fixes the schema whatever the rows hold. */
export interface ParquetFormat extends FormatBase {
  fileType: 'parquet';
  columns: Columns;
}

/** A config written as JSON Lines (OpenAI fine-tuning files), one row per line, as is. */
export interface JsonlFormat extends FormatBase {
  fileType: 'jsonl';
}

export type ExportFormat = ParquetFormat | JsonlFormat;
