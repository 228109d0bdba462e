import type { Columns } from './column-types.ts';

export const CONFIG_NAMES = ['sft', 'prompt_completion', 'preference', 'kto', 'rl', 'openai_chat', 'openai_dpo'] as const;
export type ConfigName = (typeof CONFIG_NAMES)[number];

/**
 * A config is SQL over the samples table that ../export/load-samples.ts builds (one row per
 * sample, JSON already parsed into typed columns), so DuckDB writes its files without a row ever
 * passing through JavaScript.
 */
interface FormatBase {
  name: ConfigName;
  /** One line for the dataset card. */
  description: string;
  /** SQL predicate: whether a sample yields a row in this config (e.g. only samples with a preference pair). */
  where: string;
}

/** A config written as Parquet shards; `columns` fixes the schema whatever the rows hold. */
export interface ParquetFormat extends FormatBase {
  fileType: 'parquet';
  columns: Columns;
  /** SQL expression of each column, by name. `split_index` is the row's 0-based position in its split of this config. */
  select: Readonly<Record<string, string>>;
}

/** A config written as JSON Lines (OpenAI fine-tuning files), one row per line, as is. */
export interface JsonlFormat extends FormatBase {
  fileType: 'jsonl';
  /** SQL expression of the row as JSON text (one line). */
  line: string;
}

export type ExportFormat = ParquetFormat | JsonlFormat;
