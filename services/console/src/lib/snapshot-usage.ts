import type { SnapshotManifest } from '@sluice/export';

/** The exact `sluice pull` command for one snapshot, pinned by id (what a training config should hold). */
export function pullCommand(name: string, id: string, serverUrl: string): string {
  return `SLUICE_READ_TOKEN=<read token> sluice pull ${name}@${id} --to ./${name} --url ${serverUrl}`;
}

const PYTHON_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Python that loads the pulled snapshot with `datasets`: one `load_dataset(dir, config)` per
 * Parquet config with rows (the dataset card lists them); JSON Lines configs are for OpenAI
 * uploads and are pointed at by path.
 */
export function loadDatasetSnippet(manifest: Pick<SnapshotManifest, 'name' | 'configs' | 'files'>): string {
  const dir = `./${manifest.name}`;
  const lines = ['from datasets import load_dataset', '', `# after: sluice pull … --to ${dir}`];
  for (const [config, info] of Object.entries(manifest.configs)) {
    const files = manifest.files.filter((f) => f.config === config);
    if (files.length === 0) continue;
    if (info.file_type === 'parquet') {
      const variable = PYTHON_NAME.test(config) ? config : 'ds';
      lines.push(`${variable} = load_dataset(${JSON.stringify(dir)}, ${JSON.stringify(config)})`);
    } else {
      lines.push(`# ${config} (JSON Lines for OpenAI): ${files.map((f) => `${dir}/${f.path}`).join(', ')}`);
    }
  }
  return lines.join('\n') + '\n';
}
