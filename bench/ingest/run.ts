/**
 * bench/ingest: the same realistic 100-event batches sent to (a) a bare Fastify route that only
 * parses the body and (b) Sluice's POST /v1/batch with durable acknowledgements (embedded DuckDB),
 * in one run, by the same load generator on 127.0.0.1 (raw-load.ts by default, or autocannon with
 * --generator autocannon). Each server runs in its own process.
 *
 *   npm run bench -- [--duration 10] [--connections 32] [--generator raw|autocannon] [--rounds 1]
 *
 * `--rounds N` (N > 1) then loads the bare route and Sluice N − 1 more times, alternately, and
 * prints each round's ratio and their median: other work on the machine moves single runs by
 * ±10%, and a pair measured back to back shares whatever the machine was doing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { cpuPerEvent, threadCpuSeconds } from './process-cpu.ts';
import { DEFAULT_GENERATOR, EVENTS_PER_BATCH, WRITE_KEY, load as loadWith, parseGenerator, resultsTable, startProcess, stop, type Run } from './harness.ts';

const { values } = parseArgs({ options: {
  duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '32' }, generator: { type: 'string', default: DEFAULT_GENERATOR },
  rounds: { type: 'string', default: '1' },
} });
const duration = Number(values.duration);
const connections = Number(values.connections);
const generator = parseGenerator(values.generator);
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
const load = (label: string, url: string, options: { seconds: number; overallRate?: number }) => loadWith(label, url, { ...options, connections, generator });

/** A ratio with three decimals: with two, 0.4975 would read as 0.50x against a 0.5x target. */
const times = (ratio: number): string => `${ratio.toFixed(3)}x`;

interface Materialization { pending: number; materialized: number; busySeconds: number }
interface Phase { label: string; seconds: number; before: Materialization; after: Materialization }

/** The staging log's state from /metrics: pending (acknowledged, not yet in `events`) and done. */
async function materialization(url: string): Promise<Materialization> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? 0);
  return { pending: gauge('sluice_materialize_pending_events'), materialized: gauge('sluice_materialized_events'), busySeconds: gauge('sluice_materialize_busy_seconds') };
}

function materializationTable(phases: readonly Phase[]): string {
  return [
    '| phase | seconds | events materialised | materialised/s | backlog at end | materialiser busy |',
    '|---|---:|---:|---:|---:|---:|',
    ...phases.map((p) => {
      const done = p.after.materialized - p.before.materialized;
      const busy = (p.after.busySeconds - p.before.busySeconds) / p.seconds;
      return `| ${p.label} | ${p.seconds.toFixed(1)} | ${done.toLocaleString('en')} | ${Math.round(done / p.seconds).toLocaleString('en')} | `
        + `${p.after.pending.toLocaleString('en')} | ${Math.round(100 * busy)}% |`;
    }),
  ].join('\n');
}

const port = 18_000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const bareBase = `http://127.0.0.1:${port + 1}`;
const runs: Run[] = [];

console.error(`bare Fastify route: warm-up 3 s, then ${duration} s, ${connections} connections`);
// The bare route stays up (idle) for the later rounds.
const bare = await startProcess(['bench/ingest/bare-server.ts'], { PORT: String(port + 1) }, `${bareBase}/`);
await load('warm-up', bareBase, { seconds: 3 });
const bareRun = await load('bare Fastify route (parse + 200)', bareBase, { seconds: duration });
runs.push(bareRun);

const dataDir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
try {
  const sluiceEnv = {
    SLUICE_PORT: String(port), SLUICE_DATA_DIR: dataDir, SLUICE_LOG_LEVEL: 'warn', SLUICE_RATE_LIMIT_PER_SECOND: '0',
    SLUICE_WRITE_KEYS: `${WRITE_KEY}:bench/load`, SLUICE_ADMIN_TOKEN: 'admin_bench_token',
  };
  console.error(`Sluice /v1/batch (DuckDB, durable 200): warm-up 3 s, then ${duration} s`);
  const sluice = await startProcess(['packages/cli/src/main.ts', 'serve'], sluiceEnv, `${base}/readyz`);
  await load('warm-up', base, { seconds: 3 });
  const phases: Phase[] = [];
  let before = await materialization(base);
  const cpuBefore = threadCpuSeconds(sluice.pid!);
  const sluiceRun = await load('Sluice /v1/batch (durable, DuckDB)', base, { seconds: duration });
  // Which thread the full-load run's CPU went to (MainThread: HTTP, parsing, validation, staging
  // records; libuv-worker: DuckDB materialising and the staging writes; V8Worker: GC helpers).
  const cpu = cpuPerEvent(cpuBefore, threadCpuSeconds(sluice.pid!), sluiceRun.eventsPerSecond * duration);
  runs.push(sluiceRun);
  phases.push({ label: 'full load', seconds: duration, before, after: (before = await materialization(base)) });
  const halfRate = Math.floor(bareRun.eventsPerSecond / 2 / EVENTS_PER_BATCH);
  console.error(`Sluice at half the bare route's load: ${halfRate} requests/s for ${duration} s`);
  runs.push(await load(`Sluice at 0.5x bare load (${halfRate * EVENTS_PER_BATCH} events/s offered)`, base, { seconds: duration, overallRate: halfRate }));
  phases.push({ label: 'half load', seconds: duration, before, after: (before = await materialization(base)) });

  // Acknowledged is not yet in `events`: wait until the staging log is drained, and say how long it took.
  console.error(`draining the staging log (${before.pending.toLocaleString('en')} events pending)`);
  const drainStarted = performance.now();
  let after = before;
  while (after.pending > 0 && performance.now() - drainStarted < 300_000) {
    await sleep(250);
    after = await materialization(base);
  }
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  phases.push({ label: 'drain (no load)', seconds: drainSeconds, before, after });
  const ratios = [sluiceRun.eventsPerSecond / bareRun.eventsPerSecond];
  const roundRows: string[] = [];
  for (let round = 2; round <= rounds; round++) {
    console.error(`round ${round} of ${rounds}: bare route ${duration} s, then Sluice ${duration} s`);
    const bareRound = await load('bare', bareBase, { seconds: duration });
    const sluiceRound = await load('Sluice', base, { seconds: duration });
    ratios.push(sluiceRound.eventsPerSecond / bareRound.eventsPerSecond);
    roundRows.push(`| ${round} | ${Math.round(bareRound.eventsPerSecond).toLocaleString('en')} | ${Math.round(sluiceRound.eventsPerSecond).toLocaleString('en')} (${sluiceRound.p99}) | ${times(ratios.at(-1)!)} |`);
  }
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const stored = [...metrics.matchAll(/sluice_events_total\{outcome="accepted"[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  await stop(sluice);
  await stop(bare);

  console.log(resultsTable(runs));
  console.log(`\nratio Sluice / bare = ${times(sluiceRun.eventsPerSecond / bareRun.eventsPerSecond)}  (target >= 0.5x)`);
  console.log(`events acknowledged by Sluice (from /metrics, incl. warm-up): ${stored.toLocaleString('en')}`);
  console.log(`CPU of the Sluice process by thread at full load: ${cpu}`);
  console.log('\nMaterialisation (acknowledged events in the staging log files → events table, in the background):\n');
  console.log(materializationTable(phases));
  if (rounds > 1) {
    console.log(`\nRounds (bare route, then Sluice at full load, ${duration} s each; round 1 is the run above):\n`);
    console.log(['| round | bare | Sluice (p99 ms) | ratio |', '|---:|---:|---:|---:|', `| 1 | ${Math.round(bareRun.eventsPerSecond).toLocaleString('en')} | ${Math.round(sluiceRun.eventsPerSecond).toLocaleString('en')} (${sluiceRun.p99}) | ${times(ratios[0]!)} |`, ...roundRows].join('\n'));
    console.log(`\nmedian ratio over ${rounds} rounds = ${times(median(ratios))}  (target >= 0.5x)`);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
