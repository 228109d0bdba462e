import { loadConfig } from '@sluice/core';
import { startServer } from '@sluice/ingest';
import { setFlagsFromString } from 'node:v8';

/** `sluice serve`: config parsed once, server started, graceful shutdown on SIGINT / SIGTERM. */
export async function serveCommand(_args: string[]): Promise<void> {
  // Every request body passes through ArrayBuffers outside V8's heap (socket reads, the body, the
  // bytes moved to and from the preparation thread, staging records). By default each 64 MB of
  // such memory starts a full mark-compact of the ingest thread's heap (~4 a second at load); with
  // external memory counted in the heap's global limit, V8's GC helper threads spent 0.5 instead
  // of 2.2 µs per event (docs/decisions/0020). Set before the server allocates anything.
  setFlagsFromString('--external-memory-accounted-in-global-limit');
  const config = loadConfig(process.env);
  const server = await startServer(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down: finishing requests and flushing the write queue');
    server.close().then(() => process.exit(0), (error: unknown) => {
      server.app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
