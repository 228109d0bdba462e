export { buildIngestApp, type IngestAppDeps } from './app.ts';
export { createIngestMetrics, type IngestMetrics } from './metrics.ts';
export { startServer, type RunningServer } from './server.ts';
export { openBlobStore, openEventLog, openWarehouse, type SluiceWarehouse } from './storage.ts';
