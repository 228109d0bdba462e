import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openExportEngine } from '../src/shards/export-engine.ts';
import { concatParquet } from '../src/shards/parquet-concat.ts';
import { ThriftReader, ThriftWriter } from '../src/shards/thrift-compact.ts';

const ROW_GROUP = 2048;

test('concatParquet joins row-group pieces into one file DuckDB and a re-read footer agree on', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-concat-test-'));
  const engine = await openExportEngine({ tempDirectory: dir, writers: 2 });
  try {
    await engine.run(`CREATE TABLE t AS SELECT i AS rn, 'text ' || i AS s, [i, i + 1] AS l, {'a': i % 7, 'b': CASE WHEN i % 3 = 0 THEN NULL ELSE 'x' || i END} AS st
      FROM range(5000) r(i)`);
    const copy = (where: string, to: string) => engine.withWriter((c) =>
      c.run(`COPY (SELECT * FROM t WHERE ${where} ORDER BY rn) TO '${to}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP})`));
    const ranges = [[0, 2047], [2048, 4095], [4096, 4999]] as const;
    const pieces = ranges.map((_, k) => join(dir, `piece-${k}.parquet`));
    // Side by side on two writers, then once more one after another: the same bytes.
    await Promise.all(ranges.map(([a, b], k) => copy(`rn BETWEEN ${a} AND ${b}`, pieces[k]!)));
    await concatParquet(pieces, join(dir, 'joined.parquet'));
    const first = await readFile(join(dir, 'joined.parquet'));
    for (const [k, [a, b]] of ranges.entries()) await copy(`rn BETWEEN ${a} AND ${b}`, pieces[k]!);
    await concatParquet(pieces, join(dir, 'again.parquet'));
    assert.ok(first.equals(await readFile(join(dir, 'again.parquet'))), 'deterministic');

    const joined = join(dir, 'joined.parquet');
    const [diff] = await engine.query<{ missing: number; extra: number; n: number }>(`SELECT
      (SELECT count(*) FROM (SELECT * FROM t EXCEPT ALL SELECT * FROM '${joined}'))::DOUBLE AS missing,
      (SELECT count(*) FROM (SELECT * FROM '${joined}' EXCEPT ALL SELECT * FROM t))::DOUBLE AS extra,
      (SELECT count(*) FROM '${joined}')::DOUBLE AS n`);
    assert.deepEqual(diff, { missing: 0, extra: 0, n: 5000 });
    const order = await engine.query<{ ok: boolean }>(`SELECT bool_and(rn = i) AS ok FROM (SELECT rn, row_number() OVER () - 1 AS i FROM '${joined}')`);
    assert.equal(order[0]?.ok, true, 'rows in piece order');
    const groups = await engine.query<{ g: number; n: number }>(
      `SELECT DISTINCT row_group_id::DOUBLE AS g, row_group_num_rows::DOUBLE AS n FROM parquet_metadata('${joined}') ORDER BY g`);
    assert.deepEqual(groups, [{ g: 0, n: 2048 }, { g: 1, n: 2048 }, { g: 2, n: 904 }]);
  } finally {
    engine.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the Thrift compact reader and writer give back the bytes of a DuckDB Parquet footer', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-thrift-test-'));
  const engine = await openExportEngine({ tempDirectory: dir });
  try {
    const file = join(dir, 'f.parquet');
    await engine.run(`COPY (SELECT i, 'v' || i AS s, [{'k': i}] AS l FROM range(100) r(i)) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    const bytes = await readFile(file);
    const length = bytes.readUInt32LE(bytes.length - 8);
    const footer = bytes.subarray(bytes.length - 8 - length, bytes.length - 8);
    const writer = new ThriftWriter();
    writer.writeStruct(new ThriftReader(footer).readStruct());
    assert.ok(Buffer.from(writer.bytes()).equals(footer));
  } finally {
    engine.close();
    await rm(dir, { recursive: true, force: true });
  }
});
