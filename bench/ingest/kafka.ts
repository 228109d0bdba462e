/**
 * bench/ingest, Kafka mode: the same realistic 100-event batches sent to (a) the bare Fastify route
 * that only parses the body and (b) `sluice serve` with SLUICE_EVENT_LOG=kafka, where a 200 means
 * Kafka acknowledged every accepted event with acks=all, in one run, by autocannon on 127.0.0.1.
 * Each server runs in its own process; the broker is one this script starts on its own ports
 * (.ci/services/kafka.sh, a fresh cluster in a temp directory) and stops at the end.
 *
 *   node bench/ingest/kafka.ts [--duration 10] [--connections 32] [--partitions 3] [--kafka-port 25092] [--broker-warm-up 30] [--generator raw|autocannon]
 *
 * Every run, bare route included, is driven by the same load generator: the lean raw-load.ts by
 * default, as in bench/ingest/run.ts (decision 0015: autocannon's 160-230 µs of CPU per request
 * came out of the Sluice process's two cores, while the bare route is one thread, saturated at one
 * core either way), or autocannon with `--generator autocannon`, as in the sessions before.
 *
 * The broker is a fresh JVM: before the first Sluice run is measured, it gets `--broker-warm-up`
 * seconds of the same load through that Sluice process (3 s for the later run). Measured on this
 * 2-core machine, a fresh broker used 0.55, 0.39 then 0.19 core for the same produce load in
 * three consecutive 11-s runs (its JIT warming up), a broker up for hours 0.12-0.14 core; a
 * broker in service is the warm one. The bare route does not use the broker.
 *
 * The ratio is taken against the ingest process as the scale-out deployment runs it: Kafka event
 * log, no lander inside (`sluice land` is a process of its own there, usually on another machine;
 * see kafka-ingest-server.ts). The lander's cost is reported, not hidden: a third run measures
 * `sluice serve` on the DuckDB warehouse, which runs the lander inside the ingest process (only one
 * process may open the DuckDB file), and bench/land/run.ts measures the lander on its own.
 * Events/s count 2xx answers only. After the table, the CPU each Sluice process spent per event by
 * thread (MainThread: HTTP, parsing, validation; WorkerThread: the Kafka producers; V8Worker: GC)
 * and the broker's CPU, on Linux: on a 2-core machine they share the cores with the load generator.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_GENERATOR, WRITE_KEY, load as loadWith, parseGenerator, resultsTable, root, startProcess, stop } from './harness.ts';
import { cpuPerEvent, processCpuSeconds, threadCpuSeconds } from './process-cpu.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    partitions: { type: 'string', default: '3' },
    'kafka-port': { type: 'string', default: String(25_000 + 2 * Math.floor(Math.random() * 2000)) },
    'broker-warm-up': { type: 'string', default: '30' },
    generator: { type: 'string', default: DEFAULT_GENERATOR },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const kafkaPort = Number(values['kafka-port']);
const generator = parseGenerator(values.generator);

// --- the broker: started here, stopped here, also on Ctrl-C (a stray JVM costs the machine a core) ---

const servicesDir = await mkdtemp(join(tmpdir(), 'sluice-bench-kafka-'));
const brokerEnv = { ...process.env, KAFKA_PORT: String(kafkaPort), KAFKA_CONTROLLER_PORT: String(kafkaPort + 1), SLUICE_SERVICES_DIR: servicesDir };
/** The broker's process id, from the pid file kafka.sh keeps in its state directory (0: unknown). */
const brokerPid = () => {
  try {
    return Number(readFileSync(join(servicesDir, `kafka-${kafkaPort}`, 'kafka.pid'), 'utf8').trim());
  } catch {
    return 0;
  }
};
const broker = (command: 'start' | 'stop') =>
  execFileSync('bash', [join(root, '.ci/services/kafka.sh'), command], { env: brokerEnv, stdio: ['ignore', 'inherit', 'inherit'] });
process.once('SIGINT', () => {
  broker('stop');
  process.exit(130);
});

const load = (label: string, url: string, seconds: number) => loadWith(label, url, { seconds, connections, generator });

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
  /** One Sluice process under load: warm-up, measured run, and what its /metrics say about it. */
  async function measure(label: string, entry: string[], topicSuffix: string, warmUpSeconds: number) {
    const env = { ...sluiceEnv, SLUICE_KAFKA_TOPIC: `sluice.events.${topicSuffix}`, SLUICE_KAFKA_QUARANTINE_TOPIC: `sluice.quarantine.${topicSuffix}` };
    console.error(`${label}: warm-up ${warmUpSeconds} s, then ${duration} s`);
    const sluice = await startProcess(entry, env, `${base}/readyz`);
    await load('warm-up', base, warmUpSeconds);
    const before = await readMetrics(base);
    const cpuBefore = { threads: threadCpuSeconds(sluice.pid!), broker: processCpuSeconds(brokerPid()) };
    const run = await load(label, base, duration);
    const cpuAfter = { threads: threadCpuSeconds(sluice.pid!), broker: processCpuSeconds(brokerPid()) };
    const after = await readMetrics(base);
    await stop(sluice);
    // Produce rounds (the Kafka event log's group commits) during the measured run only.
    const delta = (name: string) => metricSum(after, name) - metricSum(before, name);
    const rounds = delta('sluice_group_commit_events_count');
    const roundSeconds = delta('sluice_group_commit_duration_seconds_sum');
    const notes = `${label}: ${rounds} produce rounds of ${Math.round(delta('sluice_group_commit_events_sum') / Math.max(1, rounds))} events, `
      + `${Math.round((1000 * roundSeconds) / Math.max(1, rounds))} ms each; acknowledged by Kafka (incl. warm-up) `
      + `${metricSum(after, 'sluice_events_total', 'outcome="accepted"').toLocaleString('en')} events`;
    const events = run.eventsPerSecond * duration;
    const cpu = `${label}: CPU of the Sluice process by thread: ${cpuPerEvent(cpuBefore.threads, cpuAfter.threads, events)}; `
      + `broker ${((cpuAfter.broker - cpuBefore.broker) / duration).toFixed(2)} core`;
    const landed = metricSum(after, 'sluice_lander_events_landed_total');
    return { run, notes: landed > 0 ? `${notes}, landed into DuckDB by then ${landed.toLocaleString('en')}` : notes, cpu };
  }

  const scaleOut = await measure(`Sluice /v1/batch, Kafka acks=all, ${values.partitions} partitions (ingest process; lander elsewhere)`,
    ['bench/ingest/kafka-ingest-server.ts'], 'scale-out', Number(values['broker-warm-up']));
  const withLander = await measure('sluice serve, Kafka acks=all + lander into DuckDB in the same process',
    ['packages/cli/src/main.ts', 'serve'], 'serve', 3);

  console.log(`load generator: ${generator}`);
  console.log(resultsTable([bareRun, scaleOut.run, withLander.run]));
  const ratio = (run: { eventsPerSecond: number }) => (run.eventsPerSecond / bareRun.eventsPerSecond).toFixed(2);
  console.log(`\nratio Sluice (Kafka, ingest process) / bare = ${ratio(scaleOut.run)}x  (target >= 0.4x)`);
  console.log(`ratio sluice serve with the lander inside / bare = ${ratio(withLander.run)}x  (the lander's cost when it shares the process)`);
  console.log(scaleOut.notes);
  console.log(withLander.notes);
  console.log(scaleOut.cpu);
  console.log(withLander.cpu);
} finally {
  broker('stop');
  await rm(dataDir, { recursive: true, force: true });
  await rm(servicesDir, { recursive: true, force: true });
}
