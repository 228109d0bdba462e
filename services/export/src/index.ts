export {
  exportSnapshot, DEFAULT_ROW_GROUP_TARGET_BYTES, DEFAULT_SHARD_TARGET_BYTES,
  type ExportedSnapshot, type ExportProgress, type ExportSnapshotOptions,
} from './export/export-snapshot.ts';
export { CONFIG_NAMES, resolveFormats, type ConfigName, type ExportFormat } from './formats/index.ts';
export { SnapshotCatalog, type DatasetSummary, type SnapshotSummary } from './snapshot/catalog.ts';
export { SnapshotLayout } from './snapshot/layout.ts';
export type { SnapshotConfig, SnapshotFile, SnapshotIndexEntry, SnapshotManifest, TagEntry } from './snapshot/manifest.ts';
export { exportRoutes, type ExportRoutesOptions } from './http/export-routes.ts';
export { readTokenSchema, type ReadToken } from './http/read-tokens.ts';
export { pullSnapshot, type PulledSnapshot, type PullProgress, type PullSnapshotOptions } from './pull/pull-snapshot.ts';
