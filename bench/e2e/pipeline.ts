import { loadRuleset } from '@sluice/curate';
import { freePort, generateTraffic, sendOverHttp, startServerProcess, type SendResult, type TrafficStats } from '@sluice/demo';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename } from 'node:path';
import { cliArgs, rssProbe, runCli } from './child.ts';

/** One timed stage of the end-to-end run. */
export interface StageResult {
  stage: string;
  seconds: number;
  /** Events the stage handled (ingest: accepted; curate: events stored for the ruleset's sources). */
  events: number | null;
  /** Samples the stage produced (curate) or exported (export). */
  samples: number | null;
  /** Rows written over all configs (export). */
  rows: number | null;
  peakRssBytes: number | null;
  note: string;
}

export interface EndToEndOptions {
  events: number;
  seed: string;
  /** Ruleset files (examples/*.yaml). */
  rulesets: readonly string[];
  formats: readonly string[];
  concurrency: number;
  batchSize: number;
  /** An empty data directory the run owns. */
  dir: string;
  log?: (line: string) => void;
}

export interface EndToEndReport {
  stages: StageResult[];
  totalSeconds: number;
  traffic: TrafficStats;
  sent: SendResult;
  loadStart: number[];
  loadEnd: number[];
}

const WRITE_KEYS = { 'support-web': 'sk_bench_support_web', 'coding-ide': 'sk_bench_coding_ide' } as const;

/**
 * The embedded default from the outside, as a user runs it: `sluice serve` on a fresh data
 * directory (DuckDB + local disk), the demo's seeded traffic over POST /v1/batch, the server
 * stopped (DuckDB allows one process per file), then `sluice curate` and `sluice export` per
 * ruleset, each a separate process. Every stage is timed on the wall clock.
 */
export async function runEndToEnd(options: EndToEndOptions): Promise<EndToEndReport> {
  const log = options.log ?? (() => undefined);
  const loadStart = loadavg();
  const env = benchEnv(process.env, options.dir);
  const stages: StageResult[] = [];
  const started = performance.now();

  const port = await freePort();
  const probe = rssProbe();
  let sent: SendResult;
  let traffic: TrafficStats;
  try {
    let t = performance.now();
    const server = await startServerProcess({
      command: process.execPath, args: cliArgs(['serve']), url: `http://127.0.0.1:${port}`,
      env: { ...env, SLUICE_PORT: String(port), SLUICE_BENCH_RSS_FILE: probe.file },
    });
    stages.push(stage('serve: start', t, { note: `127.0.0.1:${port}` }));
    log(`sending ${options.events.toLocaleString('en')} events …`);
    try {
      t = performance.now();
      const generated = generateTraffic({ events: options.events, seed: options.seed });
      sent = await sendOverHttp(generated.records, { url: `http://127.0.0.1:${port}`, writeKeys: { ...WRITE_KEYS } },
        { concurrency: options.concurrency, batchSize: options.batchSize });
      traffic = generated.stats;
      stages.push(stage('ingest: generate + POST /v1/batch', t, {
        events: sent.accepted, note: `${sent.requests} requests, ${sent.quarantined} quarantined, ${sent.duplicates} duplicates, ${sent.retries} retries`,
      }));
    } finally {
      t = performance.now();
      await server.stop();
    }
    stages.push(stage('serve: stop (flush + checkpoint)', t, { peakRssBytes: probe.read(), note: 'peak RSS is the server\'s' }));
  } finally {
    probe.dispose();
  }

  for (const file of options.rulesets) {
    const loaded = loadRuleset(readFileSync(file, 'utf8'));
    const sources = loaded.ruleset.select.sources;
    const events = sources === undefined ? sent.accepted : sources.reduce((n, s) => n + (sent.bySource[s as keyof SendResult['bySource']]?.accepted ?? 0), 0);
    log(`curating ${loaded.ruleset.name} …`);
    const curated = await runCli(['curate', '--ruleset', file, '--json'], env);
    const report = JSON.parse(curated.stdout) as { samples: number; funnel: { stages: Array<{ stage: string; count: number }> } };
    const generations = report.funnel.stages.find((s) => s.stage === 'generations_scanned')?.count ?? 0;
    stages.push({ stage: `curate ${basename(file)}`, seconds: curated.seconds, events, samples: report.samples, rows: null, peakRssBytes: curated.peakRssBytes,
      note: `${generations.toLocaleString('en')} generations` });

    log(`exporting ${loaded.ruleset.name} (${options.formats.join(',')}) …`);
    const exported = await runCli(['export', '--ruleset', file, '--formats', options.formats.join(',')], env);
    const counts = exportedCounts(exported.stdout);
    const rows = Object.values(counts).reduce((n, bySplit) => n + Object.values(bySplit).reduce((a, b) => a + b, 0), 0);
    stages.push({ stage: `export ${basename(file)}`, seconds: exported.seconds, events: null, samples: report.samples, rows, peakRssBytes: exported.peakRssBytes,
      note: Object.entries(counts).map(([config, bySplit]) => `${config} ${Object.values(bySplit).reduce((a, b) => a + b, 0)}`).join(', ') });
  }
  return { stages, totalSeconds: (performance.now() - started) / 1000, traffic: traffic!, sent: sent!, loadStart, loadEnd: loadavg() };
}

function stage(name: string, startedAt: number, fields: Partial<Omit<StageResult, 'stage' | 'seconds'>>): StageResult {
  return { stage: name, seconds: (performance.now() - startedAt) / 1000, events: null, samples: null, rows: null, peakRssBytes: null, note: '', ...fields };
}

/** `sluice export` prints a line, then `{ id, counts }` as indented JSON, then a Python hint. */
function exportedCounts(stdout: string): Record<string, Record<string, number>> {
  const start = stdout.indexOf('\n{');
  const end = stdout.indexOf('\n}', start);
  if (start < 0 || end < 0) return {};
  const parsed = JSON.parse(stdout.slice(start + 1, end + 2)) as { counts?: Record<string, Record<string, number>> };
  return parsed.counts ?? {};
}

/**
 * The caller's environment minus every SLUICE_* setting that could point the run elsewhere
 * (Kafka, ClickHouse, S3, a config file), plus the run's own data directory and keys.
 */
function benchEnv(env: NodeJS.ProcessEnv, dir: string): Record<string, string> {
  const kept = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('SLUICE_'));
  return {
    ...Object.fromEntries(kept),
    SLUICE_DATA_DIR: dir, SLUICE_HOST: '127.0.0.1', SLUICE_LOG_LEVEL: 'warn', SLUICE_RATE_LIMIT_PER_SECOND: '0',
    SLUICE_WRITE_KEYS: Object.entries(WRITE_KEYS).map(([source, key]) => `${key}:bench/${source}`).join(','),
    SLUICE_ADMIN_TOKEN: `admin_bench_${randomBytes(12).toString('hex')}`,
    SLUICE_PSEUDONYM_KEY: 'bench-e2e-pseudonym-key-0123456789abcdef',
  };
}
