/**
 * bench/ingest: the same realistic 100-event batches sent to (a) a bare Fastify route that only
 * parses the body and (b) Sluice's POST /v1/batch with durable acknowledgements (embedded DuckDB),
 * in one run, by autocannon on 127.0.0.1. Each server runs in its own process.
 *
 *   npm run bench -- [--duration 10] [--connections 32]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EVENTS_PER_BATCH, WRITE_KEY, load as loadWith, resultsTable, startProcess, stop, type Run } from './harness.ts';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '32' } } });
const duration = Number(values.duration);
const connections = Number(values.connections);
const load = (label: string, url: string, options: { seconds: number; overallRate?: number }) => loadWith(label, url, { ...options, connections });

const port = 18_000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const runs: Run[] = [];

console.error(`bare Fastify route: warm-up 3 s, then ${duration} s, ${connections} connections`);
const bare = await startProcess(['bench/ingest/bare-server.ts'], { PORT: String(port) }, `${base}/`);
await load('warm-up', base, { seconds: 3 });
const bareRun = await load('bare Fastify route (parse + 200)', base, { seconds: duration });
runs.push(bareRun);
await stop(bare);

const dataDir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
try {
  const sluiceEnv = {
    SLUICE_PORT: String(port), SLUICE_DATA_DIR: dataDir, SLUICE_LOG_LEVEL: 'warn', SLUICE_RATE_LIMIT_PER_SECOND: '0',
    SLUICE_WRITE_KEYS: `${WRITE_KEY}:bench/load`, SLUICE_ADMIN_TOKEN: 'admin_bench_token',
  };
  console.error(`Sluice /v1/batch (DuckDB, durable 200): warm-up 3 s, then ${duration} s`);
  const sluice = await startProcess(['packages/cli/src/main.ts', 'serve'], sluiceEnv, `${base}/readyz`);
  await load('warm-up', base, { seconds: 3 });
  const sluiceRun = await load('Sluice /v1/batch (durable, DuckDB)', base, { seconds: duration });
  runs.push(sluiceRun);
  const halfRate = Math.floor(bareRun.eventsPerSecond / 2 / EVENTS_PER_BATCH);
  console.error(`Sluice at half the bare route's load: ${halfRate} requests/s for ${duration} s`);
  runs.push(await load(`Sluice at 0.5x bare load (${halfRate * EVENTS_PER_BATCH} events/s offered)`, base, { seconds: duration, overallRate: halfRate }));

  const metrics = await (await fetch(`${base}/metrics`)).text();
  const stored = [...metrics.matchAll(/sluice_events_total\{outcome="accepted"[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  await stop(sluice);

  console.log(resultsTable(runs));
  console.log(`\nratio Sluice / bare = ${(sluiceRun.eventsPerSecond / bareRun.eventsPerSecond).toFixed(2)}x  (target >= 0.5x)`);
  console.log(`events stored by Sluice (from /metrics, incl. warm-up): ${stored.toLocaleString('en')}`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
