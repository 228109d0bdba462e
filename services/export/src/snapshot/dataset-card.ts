import type { SnapshotManifest } from './manifest.ts';

/** A YAML scalar: JSON strings are valid YAML double-quoted scalars, so no escaping rules to get wrong. */
const q = (text: string): string => JSON.stringify(text);

/**
 * The `configs` block that makes `datasets.load_dataset(<snapshot dir>, "<config>")` find the
 * files: every Parquet config with rows, its splits listing their exact shard paths (no globs,
 * so a stray file can never join a split). The first config is the default, which is what
 * `load_dataset(<dir>)` loads when no config is named. JSONL configs (OpenAI files) are not
 * listed: they are meant for upload to OpenAI, and `datasets` builds one config from one format.
 */
function configsYaml(manifest: SnapshotManifest): string[] {
  const lines: string[] = [];
  let first = true;
  for (const [config, info] of Object.entries(manifest.configs)) {
    if (info.file_type !== 'parquet') continue;
    const files = manifest.files.filter((f) => f.config === config);
    if (files.length === 0) continue;
    lines.push(`- config_name: ${q(config)}`);
    if (first) lines.push('  default: true');
    first = false;
    lines.push('  data_files:');
    for (const split of Object.keys(manifest.counts[config] ?? {})) {
      lines.push(`  - split: ${q(split)}`, '    path:');
      for (const file of files.filter((f) => f.split === split)) lines.push(`    - ${q(file.path)}`);
    }
  }
  // No Parquet config has rows: no `configs` key at all (an empty one is invalid for `datasets`).
  return lines.length === 0 ? [] : ['configs:', ...lines];
}

function countsTable(manifest: SnapshotManifest): string[] {
  const splits = [...new Set(Object.values(manifest.counts).flatMap((c) => Object.keys(c)))].sort();
  const rows = Object.entries(manifest.configs).map(([config, info]) =>
    `| \`${config}\` | ${info.file_type} | ${splits.map((s) => manifest.counts[config]?.[s] ?? 0).join(' | ')} | ${info.description} |`);
  return [`| config | files | ${splits.join(' | ')} | what |`, `|---|---|${splits.map(() => '---|').join('')}---|`, ...rows];
}

/** README.md of a snapshot: YAML front matter for `datasets` and the Hub, then provenance and usage. */
export function renderDatasetCard(manifest: SnapshotManifest): string {
  const defaultConfig = Object.entries(manifest.configs).find(([c, i]) => i.file_type === 'parquet' && manifest.files.some((f) => f.config === c))?.[0];
  return [
    '---',
    `pretty_name: ${q(`${manifest.name} (${manifest.id})`)}`,
    'tags:',
    '- sluice',
    '- conversational',
    ...configsYaml(manifest),
    '---',
    '',
    `# ${manifest.name} — snapshot \`${manifest.id}\``,
    '',
    'An immutable dataset snapshot exported by Sluice from curated product interactions.',
    'Every file is listed with its SHA-256 in `manifest.json`; `lineage.parquet` maps each',
    '`sample_id` to the events it was built from.',
    '',
    '| | |',
    '|---|---|',
    `| created | ${manifest.created_at} |`,
    `| ruleset | \`${manifest.ruleset.name}\` @ \`${manifest.ruleset.hash.slice(0, 12)}\` |`,
    `| curation run | \`${manifest.curation_run.run_id}\` (events up to ingest seq ${manifest.watermark}) |`,
    `| code | ${manifest.code_version} |`,
    '',
    '## Configs',
    '',
    ...countsTable(manifest),
    '',
    '## Loading',
    '',
    '```python',
    'from datasets import load_dataset',
    '',
    `ds = load_dataset("path/to/${manifest.id}", ${q(defaultConfig ?? 'sft')})`,
    '```',
    '',
    'Tool-call `arguments` are JSON objects (Parquet JSON type, `datasets.Json()` feature,',
    'datasets >= 4.7); `tools` is a JSON string. The OpenAI configs are JSON Lines under',
    '`data/openai_*/` for upload to the OpenAI fine-tuning API. See docs/training.md in Sluice',
    'for TRL, verl and OpenRLHF arguments.',
    '',
  ].join('\n');
}
