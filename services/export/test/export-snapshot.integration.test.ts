import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { createLocalBlobStore } from '@sluice/blob-store-local';
import { exportSnapshot, SnapshotCatalog, type SnapshotManifest } from '../src/index.ts';
import { openFixture, seedRun, variedSamples, type ExportFixture } from './helpers/seed-run.ts';

const NOW = () => Date.UTC(2026, 10, 30, 8, 0, 0);
const ALL = ['sft', 'prompt_completion', 'preference', 'kto', 'rl', 'openai_chat', 'openai_dpo'];

async function readParquet(path: string, sql = 'SELECT * FROM p'): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE VIEW p AS SELECT * FROM read_parquet('${path}')`);
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('exportSnapshot to a local blob store', () => {
  let fx: ExportFixture;
  let runId: string;
  let manifest: SnapshotManifest;
  let snapshotDir: string;
  const samples = variedSamples(12);

  before(async () => {
    fx = await openFixture();
    runId = await seedRun(fx.store, samples);
    const exported = await exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId, name: 'support-bot', formats: ALL, now: NOW, tags: ['v1'] });
    manifest = exported.manifest;
    snapshotDir = join(fx.blobRoot, exported.dir);
    assert.equal(exported.reused, false);
  });
  after(() => fx.close());

  test('writes the Hugging Face layout: card, manifest, lineage and data/<config>/<split>-i-of-N files', async () => {
    assert.match(manifest.id, /^snap-[0-9a-f]{24}$/);
    const top = (await readdir(snapshotDir)).sort();
    assert.deepEqual(top, ['README.md', 'data', 'lineage.parquet', 'manifest.json']);
    assert.deepEqual((await readdir(join(snapshotDir, 'data'))).sort(), [...ALL].sort());
    assert.deepEqual((await readdir(join(snapshotDir, 'data/sft'))).sort(), ['eval-00000-of-00001.parquet', 'train-00000-of-00001.parquet']);
    assert.deepEqual((await readdir(join(snapshotDir, 'data/openai_chat'))).sort(), ['eval-00000-of-00001.jsonl', 'train-00000-of-00001.jsonl']);
    const stored = JSON.parse(await readFile(join(snapshotDir, 'manifest.json'), 'utf8')) as SnapshotManifest;
    assert.deepEqual(stored, manifest);
    assert.equal(manifest.curation_run.run_id, runId);
    assert.equal(manifest.watermark, 100);
    assert.equal(manifest.created_at, '2026-11-30T08:00:00.000Z');
    assert.match(manifest.code_version, /@sluice\/export 0\.1\.0; duckdb v\d/);
  });

  test('counts per config and split follow which samples each config takes', () => {
    const bySplit = (keep: (s: (typeof samples)[number]) => boolean) => {
      const counts: Record<string, number> = {};
      for (const s of samples.filter(keep)) counts[s.split] = (counts[s.split] ?? 0) + 1;
      return Object.fromEntries(Object.entries(counts).sort());
    };
    assert.deepEqual(manifest.counts.sft, bySplit((s) => s.labels.sft));
    assert.deepEqual(manifest.counts.preference, bySplit((s) => s.labels.preference !== null));
    assert.deepEqual(manifest.counts.kto, bySplit((s) => s.labels.kto !== null));
    assert.deepEqual(manifest.counts.rl, bySplit(() => true));
    assert.deepEqual(manifest.counts.openai_dpo, manifest.counts.preference);
    for (const file of manifest.files.filter((f) => f.config)) {
      assert.ok(file.rows! > 0);
    }
    const rowsByConfig = (config: string) => manifest.files.filter((f) => f.config === config).reduce((n, f) => n + f.rows!, 0);
    assert.equal(rowsByConfig('rl'), samples.length);
  });

  test('every file in the manifest has the size and sha256 of the bytes stored', async () => {
    for (const file of manifest.files) {
      const bytes = await readFile(join(snapshotDir, file.path));
      assert.equal(bytes.length, file.bytes, file.path);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256, file.path);
    }
    assert.ok(manifest.files.some((f) => f.path === 'README.md'));
    assert.ok(manifest.files.some((f) => f.path === 'lineage.parquet'));
  });

  test('sft keeps tool-call arguments as JSON objects of any shape, in sample_id order', async () => {
    const rows = await readParquet(join(snapshotDir, 'data/sft/train-00000-of-00001.parquet'),
      `SELECT sample_id, to_json(messages)::VARCHAR AS m, tools, reward, label FROM p`);
    const expected = samples.filter((s) => s.labels.sft && s.split === 'train');
    assert.deepEqual(rows.map((r) => r.sample_id), expected.map((s) => s.sampleId));
    const withTool = rows.find((r) => String(r.m).includes('lookup_order'))!;
    const messages = JSON.parse(String(withTool.m)) as { tool_calls: { function: { arguments: unknown } }[] | null }[];
    const call = messages.find((m) => m.tool_calls)!.tool_calls![0]!;
    const source = expected.find((s) => s.sampleId === withTool.sample_id)!;
    assert.deepEqual(call.function.arguments, source.completion[0]!.tool_calls![0]!.function.arguments);
    assert.equal(typeof withTool.tools, 'string');
    const path = join(snapshotDir, 'data/sft/train-00000-of-00001.parquet');
    const [leaf] = await readParquet(path, `SELECT converted_type FROM parquet_schema('${path}') WHERE name = 'arguments'`);
    assert.equal(leaf?.converted_type, 'JSON', 'arguments carry the Parquet JSON type, which pyarrow reads as arrow.json');
  });

  test('openai_chat carries arguments as JSON strings and weights only the completion', async () => {
    const lines = (await readFile(join(snapshotDir, 'data/openai_chat/train-00000-of-00001.jsonl'), 'utf8')).trimEnd().split('\n');
    const rows = lines.map((l) => JSON.parse(l) as { messages: { role: string; weight?: number; tool_calls?: { function: { arguments: unknown } }[] }[] });
    const call = rows.flatMap((r) => r.messages).find((m) => m.tool_calls)?.tool_calls?.[0];
    if (call) assert.equal(typeof call.function.arguments, 'string');
    for (const row of rows) {
      const assistants = row.messages.filter((m) => m.role === 'assistant');
      assert.ok(assistants.every((m) => m.weight === 1 || m.weight === 0));
      assert.ok(row.messages.filter((m) => m.role !== 'assistant').every((m) => m.weight === undefined));
    }
  });

  test('lineage.parquet maps every exported sample to its events and user key', async () => {
    const rows = await readParquet(join(snapshotDir, 'lineage.parquet'), 'SELECT sample_id, split, user_key, event_ids FROM p ORDER BY sample_id');
    assert.equal(rows.length, samples.length);
    assert.deepEqual(rows[0]!.event_ids, ['evt_0_a', 'evt_0_b']);
  });

  test('the dataset card lists every Parquet config and split with exact paths', async () => {
    const card = await readFile(join(snapshotDir, 'README.md'), 'utf8');
    assert.match(card, /^---\n/);
    assert.match(card, /- config_name: "sft"\n {2}default: true\n/);
    assert.match(card, / {4}- "data\/kto\/train-00000-of-00001.parquet"/);
    assert.doesNotMatch(card, /config_name: "openai_chat"/);
  });

  test('re-exporting the same inputs returns the existing snapshot untouched', async () => {
    const again = await exportSnapshot({ store: fx.store, blobStore: fx.blobStore, runId, name: 'support-bot', formats: [...ALL].reverse(), now: () => NOW() + 60_000 });
    assert.equal(again.reused, true);
    assert.deepEqual(again.manifest, manifest);
  });

  test('the same inputs in another store give byte-identical files', async () => {
    const other = createLocalBlobStore({ root: join(fx.dir, 'other-blobs') });
    const second = await exportSnapshot({ store: fx.store, blobStore: other, rulesetName: 'support-test', name: 'support-bot', formats: ALL, now: () => NOW() + 1 });
    assert.equal(second.manifest.id, manifest.id);
    const hashes = (m: SnapshotManifest) => m.files.filter((f) => f.path !== 'README.md').map((f) => [f.path, f.sha256]);
    assert.deepEqual(hashes(second.manifest), hashes(manifest));
  });

  test('a samples file in another row order gives byte-identical files (the load sorts it)', async () => {
    // The warehouses write samples in sample_id order; one that did not must not change a byte.
    const reversed = new Proxy(fx.store, {
      get(target, key) {
        if (key === 'writeSamplesFile') {
          return async (scan: { runId: string }, path: string) => {
            const count = await target.writeSamplesFile(scan, `${path}.in`);
            const instance = await DuckDBInstance.create(':memory:');
            const connection = await instance.connect();
            try {
              await connection.run(`COPY (SELECT * FROM read_parquet('${path}.in') ORDER BY rn DESC) TO '${path}' (FORMAT parquet)`);
            } finally {
              connection.closeSync();
              instance.closeSync();
            }
            return count;
          };
        }
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const other = createLocalBlobStore({ root: join(fx.dir, 'reversed-blobs') });
    const second = await exportSnapshot({ store: reversed, blobStore: other, runId, name: 'support-bot', formats: ALL, now: () => NOW() + 2 });
    const hashes = (m: SnapshotManifest) => m.files.filter((f) => f.path !== 'README.md').map((f) => [f.path, f.sha256]);
    assert.deepEqual(hashes(second.manifest), hashes(manifest));
  });

  test('tags: latest and user tags point at the snapshot; the catalog lists it as ready', async () => {
    const catalog = new SnapshotCatalog(fx.blobStore, 'datasets');
    assert.equal((await catalog.readTag('support-bot', 'latest'))?.snapshot_id, manifest.id);
    assert.equal((await catalog.readTag('support-bot', 'v1'))?.snapshot_id, manifest.id);
    const [snapshot] = await catalog.listSnapshots('support-bot');
    assert.equal(snapshot?.status, 'ready');
    assert.deepEqual(snapshot?.tags, ['latest', 'v1']);
    assert.deepEqual(await catalog.listDatasets(), [{ name: 'support-bot', snapshots: 1, latest: manifest.id }]);
    assert.equal(await catalog.resolveRef('support-bot', 'v1'), manifest.id);
  });
});
