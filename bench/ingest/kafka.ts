/**
 * bench/ingest, Kafka mode: the same realistic 100-event batches sent to (a) the bare Fastify route
 * that only parses the body and (b) `sluice serve` with SLUICE_EVENT_LOG=kafka, where a 200 means
 * Kafka acknowledged every accepted event with acks=all, in one run, by autocannon on 127.0.0.1.
 * Each server runs in its own process; the broker is one this script starts on its own ports
 * (.ci/services/kafka.sh, a fresh cluster in a temp directory) and stops at the end.
 *
 *   node bench/ingest/kafka.ts [--duration 10] [--connections 32] [--partitions 3] [--kafka-port 25092]
 *
 * Without a ClickHouse server, serve runs with the DuckDB warehouse, and then the lander runs
 * inside serve (only one process may open the DuckDB file): the measured process also lands what
 * it acknowledges into DuckDB. Events/s count 2xx answers only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WRITE_KEY, load as loadWith, resultsTable, root, startProcess, stop } from './harness.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    partitions: { type: 'string', default: '3' },
    'kafka-port': { type: 'string', default: String(25_000 + 2 * Math.floor(Math.random() * 2000)) },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const kafkaPort = Number(values['kafka-port']);

// --- the broker: started here, stopped here, also on Ctrl-C (a stray JVM costs the machine a core) ---

const servicesDir = await mkdtemp(join(tmpdir(), 'sluice-bench-kafka-'));
const brokerEnv = { ...process.env, KAFKA_PORT: String(kafkaPort), KAFKA_CONTROLLER_PORT: String(kafkaPort + 1), SLUICE_SERVICES_DIR: servicesDir };
const broker = (command: 'start' | 'stop') =>
  execFileSync('bash', [join(root, '.ci/services/kafka.sh'), command], { env: brokerEnv, stdio: ['ignore', 'inherit', 'inherit'] });
process.once('SIGINT', () => {
  broker('stop');
  process.exit(130);
});

const load = (label: string, url: string, seconds: number) => loadWith(label, url, { seconds, connections });

const metricSum = (metrics: string, name: string, filter = '') =>
  [...metrics.matchAll(new RegExp(`^${name}(\\{[^}]*${filter}[^}]*\\})? (\\S+)`, 'gm'))].reduce((n, m) => n + Number(m[2]), 0);
const readMetrics = async (url: string) => (await fetch(`${url}/metrics`)).text();

const port = 18_000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const dataDir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
try {
  broker('start');
  console.error(`bare Fastify route: warm-up 3 s, then ${duration} s, ${connections} connections`);
  const bare = await startProcess(['bench/ingest/bare-server.ts'], { PORT: String(port) }, `${base}/`);
  await load('warm-up', base, 3);
  const bareRun = await load('bare Fastify route (parse + 200)', base, duration);
  await stop(bare);

  const sluiceEnv = {
    SLUICE_PORT: String(port), SLUICE_DATA_DIR: dataDir, SLUICE_LOG_LEVEL: 'warn', SLUICE_RATE_LIMIT_PER_SECOND: '0',
    SLUICE_WRITE_KEYS: `${WRITE_KEY}:bench/load`, SLUICE_ADMIN_TOKEN: 'admin_bench_token',
    SLUICE_EVENT_LOG: 'kafka', SLUICE_KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`, SLUICE_KAFKA_PARTITIONS: values.partitions,
  };
  console.error(`Sluice /v1/batch (Kafka, acks=all, ${values.partitions} partitions): warm-up 3 s, then ${duration} s`);
  const sluice = await startProcess(['packages/cli/src/main.ts', 'serve'], sluiceEnv, `${base}/readyz`);
  await load('warm-up', base, 3);
  const before = await readMetrics(base);
  const sluiceRun = await load('Sluice /v1/batch (Kafka acks=all; lander into DuckDB in-process)', base, duration);
  const metrics = await readMetrics(base);
  await stop(sluice);

  console.log(resultsTable([bareRun, sluiceRun]));
  console.log(`\nratio Sluice (Kafka) / bare = ${(sluiceRun.eventsPerSecond / bareRun.eventsPerSecond).toFixed(2)}x  (target >= 0.4x)`);
  const accepted = metricSum(metrics, 'sluice_events_total', 'outcome="accepted"');
  const landed = metricSum(metrics, 'sluice_lander_events_landed_total');
  console.log(`acknowledged by Kafka (incl. warm-up): ${accepted.toLocaleString('en')} events; landed into DuckDB by then: ${landed.toLocaleString('en')}`);
  // Produce rounds (the Kafka event log's group commit) during the measured run only.
  const delta = (name: string) => metricSum(metrics, name) - metricSum(before, name);
  const rounds = delta('sluice_group_commit_events_count');
  const roundSeconds = delta('sluice_group_commit_duration_seconds_sum');
  console.log(`produce rounds in the measured run: ${rounds}, ${Math.round(delta('sluice_group_commit_events_sum') / Math.max(1, rounds))} events and `
    + `${Math.round((1000 * roundSeconds) / Math.max(1, rounds))} ms each; a round was in flight ${Math.min(100, Math.round((100 * roundSeconds) / duration))}% of the time`);
} finally {
  broker('stop');
  await rm(dataDir, { recursive: true, force: true });
  await rm(servicesDir, { recursive: true, force: true });
}
