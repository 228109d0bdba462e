import { loadConfig } from '@sluice/core';
import { startServer } from '@sluice/ingest';

/** `sluice serve`: config parsed once, server started, graceful shutdown on SIGINT / SIGTERM. */
export async function serveCommand(_args: string[]): Promise<void> {
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
