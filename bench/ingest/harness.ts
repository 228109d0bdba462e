import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createBatchFactory } from './batch-body.ts';

/** What the ingest benchmarks share: processes under test, the load generator, the table. */
export const EVENTS_PER_BATCH = 100;
export const WRITE_KEY = 'sk_bench_write_key';
export const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Run { label: string; eventsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number; requests: number }

/** Starts a server process from the repo root and waits until `readyUrl` answers below 500. */
export async function startProcess(args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(readyUrl)).status < 500) return child; } catch { /* not up yet */ }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not start`);
}

export async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Autocannon with fresh 100-event batches per request; only 2xx answers count as throughput. */
export async function load(label: string, url: string, options: { seconds: number; connections: number; overallRate?: number }): Promise<Run> {
  const factory = createBatchFactory(EVENTS_PER_BATCH);
  const result = await autocannon({
    url: `${url}/v1/batch`,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE_KEY}` },
    requests: [{ setupRequest: (request) => ({ ...request, body: factory.next() }) }],
  });
  return {
    label,
    eventsPerSecond: (result['2xx'] * EVENTS_PER_BATCH) / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
  };
}

export function resultsTable(runs: readonly Run[]): string {
  return [
    '| target | events/s | p50 ms | p99 ms | requests | non-2xx | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...runs.map((r) => `| ${r.label} | ${Math.round(r.eventsPerSecond).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.requests} | ${r.non2xx} | ${r.errors} |`),
  ].join('\n');
}
