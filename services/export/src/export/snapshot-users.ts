import type { SnapshotUser } from '@sluice/core';
import type { ExportFormat } from '../formats/index.ts';
import type { ExportEngine } from '../shards/export-engine.ts';

/**
 * The users a snapshot holds: (tenant, pseudonymous user key) of every sample with a row in one of
 * its configs — the user_key column of lineage.parquet. Export registers them in the warehouse so
 * that erasing one of them marks the snapshot (CurationStore.registerSnapshotUsers).
 */
export async function snapshotUsers(engine: ExportEngine, formats: readonly ExportFormat[]): Promise<SnapshotUser[]> {
  const inAnyConfig = formats.map((f) => `(${f.where})`).join(' OR ');
  const rows = await engine.query<{ tenant: string; user_key: string }>(
    `SELECT DISTINCT tenant, user_key FROM samples WHERE user_key IS NOT NULL AND (${inAnyConfig}) ORDER BY tenant, user_key`);
  return rows.map((r) => ({ tenant: r.tenant, userKey: r.user_key }));
}
