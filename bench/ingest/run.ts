/**
 * bench/ingest: the same realistic 100-event batches sent to (a) a bare Fastify route that only
 * parses the body and (b) Sluice's POST /v1/batch with durable acknowledgements (embedded DuckDB),
 * in one run, by autocannon on 127.0.0.1. Each server runs in its own process.
 *
 *   npm run bench -- [--duration 10] [--connections 32]
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBatchFactory } from './batch-body.ts';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '32' } } });
const duration = Number(values.duration);
const connections = Number(values.connections);
const EVENTS_PER_BATCH = 100;
const WRITE_KEY = 'sk_bench_write_key';
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Run { label: string; eventsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number; requests: number }

async function startProcess(args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(readyUrl)).status < 500) return child; } catch { /* not up yet */ }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not start`);
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function load(label: string, url: string, options: { seconds: number; overallRate?: number }): Promise<Run> {
  const factory = createBatchFactory(EVENTS_PER_BATCH);
  const result = await autocannon({
    url: `${url}/v1/batch`,
    method: 'POST',
    connections,
    duration: options.seconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE_KEY}` },
    requests: [{ setupRequest: (request) => ({ ...request, body: factory.next() }) }],
  });
  return {
    label,
    eventsPerSecond: (result.requests.total * EVENTS_PER_BATCH) / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
  };
}

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

  const table = [
    '| target | events/s | p50 ms | p99 ms | requests | non-2xx | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...runs.map((r) => `| ${r.label} | ${Math.round(r.eventsPerSecond).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.requests} | ${r.non2xx} | ${r.errors} |`),
  ];
  console.log(table.join('\n'));
  console.log(`\nratio Sluice / bare = ${(sluiceRun.eventsPerSecond / bareRun.eventsPerSecond).toFixed(2)}x  (target >= 0.5x)`);
  console.log(`events stored by Sluice (from /metrics, incl. warm-up): ${stored.toLocaleString('en')}`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
