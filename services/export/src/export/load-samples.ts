import { SluiceError } from '@sluice/core';
import { bool, float64, json, jsonStructure, list, string, struct, type ColumnType } from '../formats/column-types.ts';
import { messagesType } from '../formats/messages.ts';
import { sqlPath, sqlString, type ExportEngine } from '../shards/export-engine.ts';

/** The part of a stored sample's JSON that the configs read (see Sample in @sluice/core). */
const sampleType: ColumnType = struct([
  ['sampleId', string],
  ['tenant', string],
  ['source', string],
  ['model', string],
  ['userKey', string],
  ['split', string],
  ['prompt', messagesType],
  ['completion', messagesType],
  ['tools', json],
  ['labels', struct([
    ['reward', float64],
    ['kto', bool],
    ['sft', bool],
    ['preference', struct([['chosen', messagesType], ['rejected', messagesType], ['margin', float64]])],
  ])],
  ['lineage', list(string)],
]);

/**
 * Loads the run's samples (the Parquet file the warehouse wrote, see CurationStore.writeSamplesFile)
 * into the export engine's `samples` table, JSON parsed once into typed columns:
 *
 *   rn           position in sample_id order, which is also the table's own order (below)
 *   bytes        size of the sample's JSON, to size row groups and shards
 *   sample_id, tenant, source, model, user_key, split, prompt, completion, tools (JSON),
 *   reward, kto, sft, preference {chosen, rejected, margin}, event_ids
 *
 * The table is stored in rn order, so statements read its rows in rn order without sorting them:
 * DuckDB keeps a table's order through a single-table FROM, WHERE, SELECT, COPY and
 * `row_number() OVER ()` (its "order preservation" rules; insertion order is preserved). The
 * warehouses write the file in sample_id order (curation appends samples in that order, and
 * ClickHouse sorts), which the load keeps; a file in any other order is sorted here once.
 *
 * Parsing runs on every core; only the writers must run on one (export-engine.ts). Returns the
 * number of samples.
 */
export async function loadSamples(engine: ExportEngine, file: string, threads: number): Promise<number> {
  await engine.run(`SET threads = ${threads}`);
  try {
    await engine.run(`CREATE TABLE samples AS
      SELECT rn, bytes, s.sampleId AS sample_id, s.tenant AS tenant, s.source AS source, s.model AS model, s.userKey AS user_key,
        s.split AS split, s.prompt AS prompt, s.completion AS completion, s.tools AS tools,
        s.labels.reward AS reward, s.labels.kto AS kto, coalesce(s.labels.sft, false) AS sft, s.labels.preference AS preference,
        s.lineage AS event_ids
      FROM (
        SELECT rn::BIGINT AS rn, strlen(sample) AS bytes, from_json(sample, ${sqlString(JSON.stringify(jsonStructure(sampleType)))}) AS s
        FROM read_parquet(${sqlPath(file)})
      )`);
    const [order] = await engine.query<{ sorted: boolean | null }>(
      'SELECT bool_and(rn = i) AS sorted FROM (SELECT rn, row_number() OVER () - 1 AS i FROM samples)');
    if (order?.sorted === false) await engine.run('CREATE OR REPLACE TABLE samples AS SELECT * FROM samples ORDER BY rn');
  } finally {
    await engine.run('SET threads = 1');
  }
  const [bad] = await engine.query<{ sample_id: string; split: string }>(
    `SELECT sample_id, split FROM samples WHERE split IS NULL OR NOT regexp_full_match(split, '\\w+') ORDER BY rn LIMIT 1`);
  if (bad) {
    throw new SluiceError('SLUICE_ERR_EXPORT_FAILED', `sample ${bad.sample_id} has split ${JSON.stringify(bad.split)}; split names must be letters, digits and '_'`);
  }
  const [counted] = await engine.query<{ n: number }>('SELECT count(*)::DOUBLE AS n FROM samples');
  return counted?.n ?? 0;
}
