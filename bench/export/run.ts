/**
 * Export throughput against DuckDB's own Parquet writer, in the same run on the same rows.
 *
 *   node bench/export/run.ts [--samples 200000] [--formats sft] [--shard-mb 256]
 *
 * 1. Seeds one complete curation run of synthetic support samples (≈200-word chats, a third with
 *    a tool call) in an embedded DuckDB warehouse.
 * 2. Ours: exportSnapshot — the warehouse writes the run's samples to a local file (each row with
 *    its position in sample_id order), DuckDB parses their JSON once (all cores) into a table kept
 *    in that order and projects each config in SQL into zstd Parquet shards (each row group on a
 *    one-thread writer, side by side, joined into the file as they finish and hashed as it is
 *    written: byte-identical output), then publish to a local blob store (copied, synced and read
 *    back to verify). `--phases` prints when each file is written and uploaded.
 * 3. Baseline: DuckDB itself, `COPY (SELECT … FROM samples WHERE run_id = … ORDER BY sample_id)
 *    TO 'x.parquet' (FORMAT parquet, COMPRESSION zstd)` — the same rows, no transformation —
 *    once on all cores and once on one thread.
 * Prints rows/s of each and the ratio ours / baseline.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Sample } from '@sluice/core';
import { createLocalBlobStore } from '@sluice/blob-store-local';
import { createDuckDbWarehouse } from '@sluice/warehouse-duckdb';
import { createChatTextGenerator } from '../curate/chat-texts.ts';
import { exportSnapshot } from '../../services/export/src/index.ts';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '200000' },
    formats: { type: 'string', default: 'sft' },
    'shard-mb': { type: 'string', default: '256' },
    /** Print the export's progress events with timestamps, to see where the time goes. */
    phases: { type: 'boolean', default: false },
  },
});
const SAMPLES = Number(values.samples);
const FORMATS = values.formats.split(',');

function syntheticSamples(from: number, count: number, text: ReturnType<typeof createChatTextGenerator>): Sample[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const tool = i % 3 === 0;
    return {
      sampleId: `s_${String(i).padStart(9, '0')}`, tenant: 'acme', source: 'support-web', generationId: `gen_${i}`,
      model: 'llama-3.1-8b-instruct', provider: 'vllm', sessionId: `sess_${i}`, userKey: `u_${i % 5000}`, occurredAt: 1_790_000_000_000 + i,
      prompt: [{ role: 'system', content: 'You are the support assistant.' }, { role: 'user', content: text.text() }],
      completion: tool
        ? [
            { role: 'assistant', content: null, tool_calls: [{ id: `call_${i}`, type: 'function', function: { name: 'lookup_order', arguments: { order_id: `ORD-${i}`, verbose: i % 2 === 0 } } }] },
            { role: 'tool', content: '{"status":"shipped"}', tool_call_id: `call_${i}`, name: 'lookup_order' },
            { role: 'assistant', content: text.text() },
          ]
        : [{ role: 'assistant', content: text.text() }],
      tools: tool ? [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } } }] : null,
      finishReason: 'stop', signals: [], previousAttempt: null,
      labels: { reward: i % 4 === 0 ? -1 : 1, kto: i % 4 !== 0, sft: i % 4 !== 0, preference: null, rules: [] },
      split: i % 20 === 0 ? 'eval' : 'train', pii: {}, lineage: [`evt_${i}`], ingestSeq: i,
    };
  });
}

const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-export-'));
try {
  const dbPath = join(dir, 'w.duckdb');
  const store = await createDuckDbWarehouse({ path: dbPath });
  const rulesetContent = JSON.stringify({ name: 'bench' });
  await store.saveRuleset({ name: 'bench', hash: 'b'.repeat(64), content: rulesetContent, sourceText: 'name: bench\n', createdAt: 0 });
  await store.createCurationRun({ runId: 'run_bench', rulesetName: 'bench', rulesetHash: 'b'.repeat(64), watermark: SAMPLES, status: 'building', stats: {}, createdAt: 0, finishedAt: null });
  const text = createChatTextGenerator(7, 100);
  for (let i = 0; i < SAMPLES; i += 5000) await store.appendSamples('run_bench', syntheticSamples(i, Math.min(5000, SAMPLES - i), text));
  await store.finishCurationRun('run_bench', { status: 'complete', stats: {}, finishedAt: 1 });
  console.log(`seeded ${SAMPLES} samples; formats ${FORMATS.join(',')}; ${availableParallelism()} cores`);

  const blobStore = createLocalBlobStore({ root: join(dir, 'blobs') });
  const started = performance.now();
  const { manifest } = await exportSnapshot({
    store, blobStore, runId: 'run_bench', name: 'bench', formats: FORMATS, workDir: dir, onProgress: (p) => { if (values.phases) console.log(((performance.now() - started) / 1000).toFixed(2), JSON.stringify(p)); }, shardTargetBytes: Number(values['shard-mb']) * 1024 * 1024,
  });
  const oursSeconds = (performance.now() - started) / 1000;
  const dataFiles = manifest.files.filter((f) => f.config);
  const rows = dataFiles.reduce((n, f) => n + (f.rows ?? 0), 0);
  const bytes = dataFiles.reduce((n, f) => n + f.bytes, 0);
  await store.close();
  await blobStore.close();

  const baseline = async (threads: number) => {
    const instance = await DuckDBInstance.create(dbPath, { threads: String(threads) });
    const connection = await instance.connect();
    const out = join(dir, `baseline-${threads}.parquet`);
    const t0 = performance.now();
    await connection.run(`COPY (SELECT sample_id, split, source, model, sample FROM samples WHERE run_id = 'run_bench' ORDER BY sample_id)
      TO '${out}' (FORMAT parquet, COMPRESSION zstd)`);
    const seconds = (performance.now() - t0) / 1000;
    connection.closeSync();
    instance.closeSync();
    return { seconds, rowsPerSecond: SAMPLES / seconds, bytes: (await stat(out)).size };
  };
  const parallel = await baseline(availableParallelism());
  const single = await baseline(1);

  const oursRate = SAMPLES / oursSeconds;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(`ours      exportSnapshot: ${SAMPLES} samples -> ${rows} rows in ${dataFiles.length} shard(s), ${mb(bytes)} MB, ${oursSeconds.toFixed(2)} s = ${Math.round(oursRate)} samples/s`);
  console.log(`baseline  DuckDB COPY, ${availableParallelism()} threads: ${parallel.seconds.toFixed(2)} s = ${Math.round(parallel.rowsPerSecond)} rows/s (${mb(parallel.bytes)} MB)`);
  console.log(`baseline  DuckDB COPY, 1 thread: ${single.seconds.toFixed(2)} s = ${Math.round(single.rowsPerSecond)} rows/s (${mb(single.bytes)} MB)`);
  console.log(`ratio ours / DuckDB COPY: ${(oursRate / parallel.rowsPerSecond).toFixed(2)}x (all threads), ${(oursRate / single.rowsPerSecond).toFixed(2)}x (1 thread); target >= 0.7x`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
