import { SluiceError, isSluiceError, type BlobStore, type CurationStore } from '@sluice/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeType, hfFeatures } from '../formats/column-types.ts';
import { resolveFormats, type ExportFormat } from '../formats/index.ts';
import { openExportEngine } from '../shards/export-engine.ts';
import { SnapshotCatalog } from '../snapshot/catalog.ts';
import { renderDatasetCard } from '../snapshot/dataset-card.ts';
import { assertDatasetName, assertTagName } from '../snapshot/layout.ts';
import type { SnapshotConfig, SnapshotIndexEntry, SnapshotManifest } from '../snapshot/manifest.ts';
import { LAYOUT_VERSION, snapshotId, type ExportConfig } from '../snapshot/snapshot-id.ts';
import { codeVersion } from '../version.ts';
import { removeQuietly, UploadQueue } from './publish-files.ts';
import { resolveRun, rulesetOf } from './resolve-run.ts';
import { loadSamples } from './load-samples.ts';
import { snapshotUsers } from './snapshot-users.ts';
import { fileDigest, writeLocalFiles, type LocalFile } from './write-local-files.ts';

const MiB = 1024 * 1024;
export const DEFAULT_SHARD_TARGET_BYTES = 256 * MiB;
export const DEFAULT_ROW_GROUP_TARGET_BYTES = 32 * MiB;

export type ExportProgress =
  | { phase: 'staging'; samples: number }
  | { phase: 'writing'; file: string }
  /** Files are uploaded as they are written: `total` counts the files handed over so far. */
  | { phase: 'uploading'; file: string; done: number; total: number };

export interface ExportSnapshotOptions {
  store: CurationStore;
  blobStore: BlobStore;
  /** Exactly one: a complete curation run, or a ruleset whose newest complete run is exported. */
  runId?: string;
  rulesetName?: string;
  /** Dataset name: `<prefix>/<name>/…`. */
  name: string;
  /** Configs to write: sft, prompt_completion, preference, kto, rl, openai_chat, openai_dpo. */
  formats: readonly string[];
  shardTargetBytes?: number;
  rowGroupTargetBytes?: number;
  prefix?: string;
  /** User tags to point at the snapshot, besides `latest`. */
  tags?: readonly string[];
  now?: () => number;
  /** Local scratch space for staging and Parquet files; defaults to the OS temp dir. */
  workDir?: string;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportedSnapshot {
  manifest: SnapshotManifest;
  /** True when a ready snapshot with the same id existed and was returned unchanged. */
  reused: boolean;
  /** Blob key of the snapshot directory. */
  dir: string;
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `${what} must be a positive integer, got ${value}`);
  return value;
}

function configsOf(formats: readonly ExportFormat[]): Record<string, SnapshotConfig> {
  return Object.fromEntries(formats.map((f) => [f.name, f.fileType === 'parquet'
    ? {
        file_type: 'parquet', description: f.description,
        columns: Object.fromEntries(f.columns.map(([n, t]) => [n, describeType(t)])), features: hfFeatures(f.columns),
      }
    : { file_type: 'jsonl', description: f.description }]));
}

/**
 * Materializes one complete curation run as an immutable snapshot. Lifecycle: the index entry
 * says `building`, the data files, lineage and card are uploaded, then manifest.json — the
 * marker of completeness — then the index says `ready` and the tags move. Any failure removes
 * what was uploaded and marks the entry `failed`; a killed process leaves files but no manifest,
 * which readers treat as absent, and the next export of the same inputs rebuilds over them.
 */
export async function exportSnapshot(options: ExportSnapshotOptions): Promise<ExportedSnapshot> {
  const { store, blobStore } = options;
  const now = options.now ?? Date.now;
  assertDatasetName(options.name);
  const tags = [...new Set(options.tags ?? [])];
  tags.forEach(assertTagName);
  const formats = resolveFormats(options.formats);
  const exportConfig: ExportConfig = {
    name: options.name,
    formats: formats.map((f) => f.name),
    shard_target_bytes: positiveInteger(options.shardTargetBytes ?? DEFAULT_SHARD_TARGET_BYTES, 'shardTargetBytes'),
    row_group_target_bytes: positiveInteger(options.rowGroupTargetBytes ?? DEFAULT_ROW_GROUP_TARGET_BYTES, 'rowGroupTargetBytes'),
    layout_version: LAYOUT_VERSION,
  };
  const run = await resolveRun(store, options);
  const ruleset = await rulesetOf(store, run);
  const erasures = (await store.listErasures()).length;
  const id = snapshotId({ rulesetHash: run.rulesetHash, watermark: run.watermark, erasures, exportConfig });
  const catalog = new SnapshotCatalog(blobStore, options.prefix ?? 'datasets');
  const { layout } = catalog;
  const dir = layout.snapshotDir(options.name, id);

  const existing = await catalog.readManifest(options.name, id);
  if (existing) {
    // A process killed between the manifest and the index update left the entry at `building`.
    const indexed = await catalog.readIndex(options.name, id);
    if (indexed?.status !== 'ready') {
      await catalog.writeIndex({
        id, name: options.name, status: 'ready', created_at: existing.created_at, updated_at: new Date(now()).toISOString(),
        ruleset: { name: existing.ruleset.name, hash: existing.ruleset.hash }, watermark: existing.watermark, counts: existing.counts,
      });
    }
    await moveTags(catalog, options.name, id, tags, now(), false);
    return { manifest: existing, reused: true, dir };
  }

  const createdAt = new Date(now()).toISOString();
  const entry: SnapshotIndexEntry = {
    id, name: options.name, status: 'building', created_at: createdAt, updated_at: createdAt,
    ruleset: { name: ruleset.name, hash: ruleset.hash }, watermark: run.watermark,
  };
  await catalog.writeIndex(entry);
  const workDir = await mkdtemp(join(options.workDir ?? tmpdir(), 'sluice-export-'));
  const uploaded: string[] = [];
  let uploads: UploadQueue | null = null;
  let published = false;
  try {
    const engine = await openExportEngine({ tempDirectory: join(workDir, 'duckdb-tmp'), writers: availableParallelism() });
    let manifest: SnapshotManifest;
    try {
      // The warehouse writes the run's samples to a local file; DuckDB parses them once and
      // projects every config from there: no sample passes through JavaScript.
      const samplesFile = join(workDir, 'samples.parquet');
      await store.writeSamplesFile({ runId: run.runId }, samplesFile);
      const samples = await loadSamples(engine, samplesFile, availableParallelism());
      await rm(samplesFile);
      options.onProgress?.({ phase: 'staging', samples });
      const outDir = join(workDir, 'snapshot');
      // Each file is uploaded (and verified) as soon as it is written, while the others are written.
      let queued = 0;
      let done = 0;
      const queueFiles = new UploadQueue(blobStore, (path) => layout.fileKey(options.name, id, path), uploaded,
        (file) => options.onProgress?.({ phase: 'uploading', file: file.path, done: ++done, total: queued }));
      uploads = queueFiles;
      const queue = (file: LocalFile) => {
        queued++;
        queueFiles.add(file);
      };
      const { files, counts } = await writeLocalFiles(engine, formats, outDir, {
        shardTargetBytes: exportConfig.shard_target_bytes, rowGroupTargetBytes: exportConfig.row_group_target_bytes,
      }, (file) => {
        options.onProgress?.({ phase: 'writing', file: file.path });
        queue(file);
      });
      // Registered before anything is published, so an erasure always finds the snapshot.
      await store.registerSnapshotUsers(id, await snapshotUsers(engine, formats));
      manifest = {
        manifest_version: 1, id, name: options.name, status: 'ready', created_at: createdAt,
        ruleset: { name: ruleset.name, hash: ruleset.hash, content: JSON.parse(ruleset.content) as unknown, source_text: ruleset.sourceText },
        curation_run: { run_id: run.runId, watermark: run.watermark, finished_at: run.finishedAt === null ? null : new Date(run.finishedAt).toISOString() },
        watermark: run.watermark, erasures, export_config: exportConfig, code_version: codeVersion(engine.version),
        counts, configs: configsOf(formats), files: [],
      };
      const card = await writeCard(outDir, { ...manifest, files: files.map(publicFile) });
      manifest.files = [...files, card].map(publicFile);
      queue(card);
      await queueFiles.drain();
    } finally {
      engine.close();
    }
    // A concurrent export of the same inputs may have finished first: its files are identical
    // (deterministic), so keep its manifest rather than overwrite a published snapshot.
    const raced = await catalog.readManifest(options.name, id);
    if (raced) return { manifest: raced, reused: true, dir };
    await blobStore.put(layout.manifestKey(options.name, id), JSON.stringify(manifest, null, 2) + '\n', { contentType: 'application/json' });
    published = true;
    await catalog.writeIndex({ ...entry, status: 'ready', updated_at: new Date(now()).toISOString(), counts: manifest.counts });
    await moveTags(catalog, options.name, id, tags, now(), true);
    return { manifest, reused: false, dir };
  } catch (error) {
    // Once a manifest is there (ours, or a concurrent export's over the same keys) the files
    // belong to a published snapshot: never remove them; a re-export repairs index and tags.
    if (published || (await catalog.readManifest(options.name, id).catch(() => null))) throw error;
    await uploads?.drain().catch(() => undefined);
    await removeQuietly(blobStore, uploaded);
    const failure = isSluiceError(error) ? error : new SluiceError('SLUICE_ERR_EXPORT_FAILED', `export of ${options.name} failed: ${String(error)}`, { cause: error });
    await catalog.writeIndex({ ...entry, status: 'failed', updated_at: new Date(now()).toISOString(), error: { code: failure.code, message: failure.message } })
      .catch(() => undefined);
    throw failure;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function publicFile(file: LocalFile): SnapshotManifest['files'][number] {
  return {
    path: file.path, rows: file.rows, bytes: file.bytes, sha256: file.sha256,
    ...(file.config !== undefined && { config: file.config }), ...(file.split !== undefined && { split: file.split }),
  };
}

async function writeCard(outDir: string, manifest: SnapshotManifest): Promise<LocalFile> {
  const localPath = join(outDir, 'README.md');
  await writeFile(localPath, renderDatasetCard(manifest));
  return { path: 'README.md', localPath, rows: null, ...(await fileDigest(localPath)) };
}

/**
 * `latest` follows newly built snapshots (a re-export of old inputs does not move it back,
 * unless the dataset has no `latest` yet); user tags always move to the exported snapshot.
 */
async function moveTags(catalog: SnapshotCatalog, name: string, id: string, tags: readonly string[], now: number, built: boolean): Promise<void> {
  if (built || (await catalog.readTag(name, 'latest')) === null) await catalog.writeTag(name, 'latest', id, now);
  for (const tag of tags) await catalog.writeTag(name, tag, id, now);
}
