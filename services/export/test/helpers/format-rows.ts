import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '@sluice/core';
import { loadSamples } from '../../src/export/load-samples.ts';
import { configRows } from '../../src/export/write-local-files.ts';
import type { ExportFormat } from '../../src/formats/index.ts';
import { openExportEngine, sqlPath, sqlString } from '../../src/shards/export-engine.ts';
import { selectList } from '../../src/shards/parquet-shards.ts';

/**
 * The rows one config makes of `samples` (all in split `train`), through the same SQL the export
 * runs: Parquet configs as objects (JSON leaves as their text), JSONL configs parsed from their line.
 */
export async function formatRows(format: ExportFormat, samples: readonly Sample[]): Promise<Record<string, unknown>[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-format-test-'));
  const engine = await openExportEngine({ tempDirectory: join(dir, 'tmp') });
  try {
    // The file a warehouse writes for export (CurationStore.writeSamplesFile).
    const values = samples.map((s) => `(${sqlString(s.sampleId)}, ${sqlString(s.split)}, ${sqlString(JSON.stringify(s))})`).join(', ');
    const file = join(dir, 'samples.parquet');
    await engine.run(`COPY (SELECT *, row_number() OVER (ORDER BY sample_id) - 1 AS rn FROM (VALUES ${values}) AS t(sample_id, split, sample)) TO ${sqlPath(file)} (FORMAT parquet)`);
    await loadSamples(engine, file, 1);
    const from = configRows(format, 'train');
    if (format.fileType === 'parquet') return await engine.query(`SELECT ${selectList(format.columns, format.select)} FROM ${from} ORDER BY rn`);
    const lines = await engine.query<{ line: string }>(`SELECT ${format.line} AS line FROM ${from} ORDER BY rn`);
    return lines.map((l) => JSON.parse(l.line) as Record<string, unknown>);
  } finally {
    engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}
