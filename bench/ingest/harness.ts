import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createBatchBufferFactory, createBatchFactory } from './batch-body.ts';
import { rawLoad } from './raw-load.ts';

/** What the ingest benchmarks share: processes under test, the load generator, the table. */
export const EVENTS_PER_BATCH = 100;
export const WRITE_KEY = 'sk_bench_write_key';
export const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Run {
  label: string; eventsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number; requests: number;
  /** CPU the load generator itself used per request (it shares the machine with the servers under test). */
  generatorMicrosPerRequest: number;
}

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

/** Which load generator sends the requests: autocannon, or the lean one in raw-load.ts. */
export type Generator = 'autocannon' | 'raw';

/** The benchmarks' `--generator` default (docs/decisions/0015). */
export const DEFAULT_GENERATOR: Generator = 'raw';

export function parseGenerator(name: string | undefined): Generator {
  if (name === 'autocannon' || name === 'raw') return name;
  throw new Error(`--generator must be raw or autocannon, not ${name}`);
}

export interface LoadOptions { seconds: number; connections: number; overallRate?: number; generator: Generator }

const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${WRITE_KEY}` };

/** Fresh 100-event batches per request, by either generator; only 2xx answers count as throughput. */
export async function load(label: string, url: string, options: LoadOptions): Promise<Run> {
  const cpuBefore = process.cpuUsage();
  const run = await (options.generator === 'raw' ? loadRaw(label, url, options) : loadAutocannon(label, url, options));
  const cpu = process.cpuUsage(cpuBefore);
  return { ...run, generatorMicrosPerRequest: Math.round((cpu.user + cpu.system) / Math.max(run.requests, 1)) };
}

async function loadAutocannon(label: string, url: string, options: LoadOptions): Promise<Omit<Run, 'generatorMicrosPerRequest'>> {
  const factory = createBatchFactory(EVENTS_PER_BATCH);
  const result = await autocannon({
    url: `${url}/v1/batch`,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    headers: HEADERS,
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

async function loadRaw(label: string, url: string, options: LoadOptions): Promise<Omit<Run, 'generatorMicrosPerRequest'>> {
  const result = await rawLoad({
    url, path: '/v1/batch', headers: HEADERS, seconds: options.seconds, connections: options.connections,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    batches: createBatchBufferFactory(EVENTS_PER_BATCH),
  });
  const sorted = Float64Array.from(result.latencies).sort();
  const percentile = (p: number) => (sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!));
  return {
    label,
    eventsPerSecond: (result.ok * EVENTS_PER_BATCH) / options.seconds,
    p50: percentile(0.5),
    p99: percentile(0.99),
    non2xx: result.non2xx,
    errors: result.errors,
    requests: result.ok + result.non2xx,
  };
}

export function resultsTable(runs: readonly Run[]): string {
  return [
    '| target | events/s | p50 ms | p99 ms | requests | non-2xx | errors | generator CPU µs/request |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map((r) => `| ${r.label} | ${Math.round(r.eventsPerSecond).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.requests} | ${r.non2xx} | ${r.errors} | ${r.generatorMicrosPerRequest} |`),
  ].join('\n');
}
