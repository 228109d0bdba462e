import { SluiceError, loadConfig, type Config } from '@sluice/core';
import { loadRuleset, runCuration } from '@sluice/curate';
import {
  formatDemoReport, freePort, runDemo, startServerProcess,
  type DemoDataset, type DemoDatasetStep, type DemoFunnel, type DemoOptions, type DemoReport, type PlantedValue, type ServerProcess,
} from '@sluice/demo';
import { exportSnapshot } from '@sluice/export';
import { openBlobStore } from '@sluice/ingest';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openEmbeddedWarehouse } from './open-warehouse.ts';

const cli = fileURLToPath(new URL('../main.ts', import.meta.url));
const RULESETS = ['support-assistant', 'coding-assistant'].map((name) => fileURLToPath(new URL(`../../../../examples/${name}.yaml`, import.meta.url)));
const FORMATS = ['sft', 'preference', 'kto', 'rl'];
const DEMO_KEYS = { 'support-web': 'sk_demo_support_web', 'coding-ide': 'sk_demo_coding_ide' } as const;
const MARKER = '.sluice-demo';

export const demoUsage = `sluice demo — realistic synthetic usage of a support assistant and a coding assistant, end to end

Usage:
  sluice demo [--events N] [--seed S]              start a server in ./data/demo, send, stop it, curate both
                                                   example rulesets, export snapshots, print the report
  sluice demo --url URL [--support-key K --coding-key K]
                                                   send to a running server only (curate and export after stopping it)
  sluice demo --jsonl FILE                         write the events as JSON Lines ({"source","event"} per line) for replay

Options:
  --events N         events to generate (default 10000; the generator streams, 10M is fine for --url / --jsonl)
  --seed S           integer or text; the same seed gives the same events (default 42)
  --dir DIR          data directory of the embedded run (default <SLUICE_DATA_DIR>/demo; emptied on every run)
  --concurrency N    requests in flight (default 4)      --rate N    events/s, 0 = unlimited (default 0)
  --batch-size N     events per request (default 500)
  --planted FILE     write every planted PII / secret value, with the event and JSON pointer it is in (JSON Lines)
  --json             print the report as JSON`;

/**
 * `sluice demo [--events N] [--seed S] [--url URL | --jsonl FILE] [--dir DIR] …`
 *
 * Without --url: starts `sluice serve` as a child process on a fresh demo data directory and a
 * free port, sends realistic synthetic traffic through the HTTP API, stops the server (DuckDB
 * allows one process per file), curates both example rulesets, exports a snapshot of each and
 * prints the report. With --url: sends to that running server only. With --jsonl: writes the
 * traffic to a file for replay.
 */
export async function demoCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', default: '10000' }, seed: { type: 'string', default: '42' },
      url: { type: 'string' }, jsonl: { type: 'string' }, dir: { type: 'string' },
      concurrency: { type: 'string', default: '4' }, rate: { type: 'string', default: '0' }, 'batch-size': { type: 'string', default: '500' },
      'support-key': { type: 'string' }, 'coding-key': { type: 'string' }, planted: { type: 'string' }, json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(demoUsage);
    return;
  }
  if (values.url && values.jsonl) throw new SluiceError('SLUICE_ERR_INPUT_INVALID', '--url and --jsonl exclude each other: send to a server, or write a file');
  const events = integer(values.events, '--events', 1);
  const base = { events, seed: values.seed };
  const send = { concurrency: integer(values.concurrency, '--concurrency', 1), ratePerSecond: integer(values.rate, '--rate', 0), batchSize: integer(values['batch-size'], '--batch-size', 1) };
  const tty = process.stderr.isTTY && !values.json;
  const log = (line: string) => { if (!values.json) console.error(line); };
  const planted = values.planted ? plantedWriter(values.planted) : null;
  const common = { ...base, log, ...(planted ? { onPlanted: planted.add } : {}) };

  let report: DemoReport;
  try {
    if (values.jsonl) {
      report = await runDemo({ ...common, sink: { kind: 'jsonl', path: values.jsonl } });
    } else if (values.url) {
      const key = 'sk_dev_quickstart';
      const writeKeys = { 'support-web': values['support-key'] ?? key, 'coding-ide': values['coding-key'] ?? key };
      report = await runDemo({ ...common, sink: { kind: 'http', target: { url: values.url, writeKeys }, options: { ...send, ...progress(tty, events) } } });
    } else {
      report = await runEmbedded(common, send, values.dir, tty, events);
    }
  } finally {
    planted?.close();
  }
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(formatDemoReport(report));
  if (values.url) console.log(nextSteps(values['support-key'] === values['coding-key']));
  if (values.jsonl) console.log(`\nreplay it: every line is {"source","event"}; send each event with the write key of its source (POST /v1/batch).`);
}

/** Starts the embedded server, sends, stops it, then curates and exports both example rulesets. */
async function runEmbedded(common: Omit<DemoOptions, 'sink'>, send: DemoSendOptions, dirOption: string | undefined, tty: boolean, events: number): Promise<DemoReport> {
  const userConfig = loadConfig(process.env);
  const dir = resolve(dirOption ?? join(userConfig.dataDir, 'demo'));
  await prepareDemoDir(dir);
  const env = demoEnv(process.env, dir);
  const config = loadConfig(env);
  const port = await freePort();
  common.log?.(`starting the embedded server on 127.0.0.1:${port} (data: ${dir}) …`);
  const server = await startServerProcess({ command: process.execPath, args: [cli, 'serve'], env: { ...env, SLUICE_PORT: String(port) }, url: `http://127.0.0.1:${port}` });
  const killOnExit = () => { server.child.kill('SIGKILL'); };
  process.once('exit', killOnExit);
  const stores = lazyStores(config);
  try {
    return await runDemo({
      ...common,
      sink: { kind: 'http', target: { url: server.url, writeKeys: { ...DEMO_KEYS } }, options: { ...send, ...progress(tty, events) } },
      afterSend: () => stopServer(server, common.log),
      datasets: RULESETS.map((path) => datasetStep(path, config, stores)),
    });
  } finally {
    await server.stop();
    process.removeListener('exit', killOnExit);
    await stores.close();
  }
}

type DemoSendOptions = { concurrency: number; ratePerSecond: number; batchSize: number };

async function stopServer(server: ServerProcess, log?: (line: string) => void): Promise<void> {
  log?.('stopping the server (flush + checkpoint) …');
  await server.stop();
}

function datasetStep(path: string, config: Config, stores: ReturnType<typeof lazyStores>): DemoDatasetStep {
  const loaded = loadRuleset(readFileSync(path, 'utf8'));
  const name = loaded.ruleset.name;
  return {
    ruleset: name,
    async build(): Promise<DemoDataset> {
      const { store, blobStore } = await stores.open();
      const curated = await runCuration(loaded, { store, pseudonymKey: config.curation.pseudonymKey });
      const dataset: DemoDataset = { ruleset: name, runId: curated.runId, funnel: curated.funnel as unknown as DemoFunnel, samples: curated.samples, erasures: curated.erasures, snapshot: null };
      if (curated.samples === 0) return dataset;
      const { manifest, dir } = await exportSnapshot({
        store, blobStore, rulesetName: name, name, formats: FORMATS, prefix: config.export.prefix,
        shardTargetBytes: config.export.shardTargetBytes, rowGroupTargetBytes: config.export.rowGroupTargetBytes,
      });
      const localPath = config.blobStore.kind === 'local' ? resolve(config.blobStore.root ?? resolve(config.dataDir, 'blobs'), dir) : null;
      return { ...dataset, snapshot: { id: manifest.id, dir, localPath, counts: manifest.counts } };
    },
  };
}

/** Warehouse and blob store, opened on first use (after the server has let go of the DuckDB file). */
function lazyStores(config: Config) {
  let opened: Promise<{ store: Awaited<ReturnType<typeof openEmbeddedWarehouse>>; blobStore: Awaited<ReturnType<typeof openBlobStore>> }> | null = null;
  return {
    open: () => (opened ??= Promise.all([openEmbeddedWarehouse(config), openBlobStore(config)]).then(([store, blobStore]) => ({ store, blobStore }))),
    async close(): Promise<void> {
      if (!opened) return;
      const { store, blobStore } = await opened;
      await blobStore.close();
      await store.close();
    },
  };
}

/** The demo owns its directory: a fresh one, or one it made before (marked), never someone's data. */
async function prepareDemoDir(dir: string): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) {
      throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `${dir} is not empty and was not made by \`sluice demo\`; choose another --dir`);
    }
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MARKER), 'created by `sluice demo`; the next demo run deletes this directory\n');
}

/**
 * The demo server's environment: the caller's, minus every SLUICE_* setting that could point it
 * elsewhere (Kafka, ClickHouse, S3, a config file), plus the demo's own data dir and write keys.
 * The pseudonym key and export sizes are kept: they shape the datasets, not where data lives.
 */
export function demoEnv(env: NodeJS.ProcessEnv, dir: string): Record<string, string> {
  const kept = Object.entries(env).filter(([k, v]) => v !== undefined && (!k.startsWith('SLUICE_') || k === 'SLUICE_PSEUDONYM_KEY' || k.startsWith('SLUICE_EXPORT_')));
  return {
    ...Object.fromEntries(kept) as Record<string, string>,
    SLUICE_DATA_DIR: dir, SLUICE_HOST: '127.0.0.1', SLUICE_LOG_LEVEL: 'warn', SLUICE_RATE_LIMIT_PER_SECOND: '0',
    SLUICE_WRITE_KEYS: Object.entries(DEMO_KEYS).map(([source, key]) => `${key}:demo/${source}`).join(','),
    SLUICE_ADMIN_TOKEN: `admin_demo_${randomBytes(12).toString('hex')}`,
  };
}

function progress(tty: boolean, total: number) {
  if (!tty) return {};
  return {
    onProgress: (r: { sent: number }) => { process.stderr.write(`\r  sent ${r.sent.toLocaleString('en')} / ${total.toLocaleString('en')}`); if (r.sent >= total) process.stderr.write('\n'); },
  };
}

/** Planted values as JSON Lines, appended in blocks so memory stays flat at any size. */
function plantedWriter(path: string) {
  const fd = openSync(path, 'w');
  let buffer: string[] = [];
  const flush = () => { if (buffer.length) writeSync(fd, buffer.join('')); buffer = []; };
  return {
    add: (value: PlantedValue) => { buffer.push(`${JSON.stringify(value)}\n`); if (buffer.length >= 1000) flush(); },
    close: () => { flush(); closeSync(fd); },
  };
}

function nextSteps(sameKey: boolean): string {
  return [
    '',
    'curation and export open the embedded store directly: stop the server, then',
    '  npm run sluice -- curate --ruleset examples/support-assistant.yaml && npm run sluice -- export --ruleset examples/support-assistant.yaml',
    '  npm run sluice -- curate --ruleset examples/coding-assistant.yaml && npm run sluice -- export --ruleset examples/coding-assistant.yaml',
    ...(sameKey ? ['note: both products were sent with the same write key, so they share one source; the example rulesets select the',
      'sources support-web and coding-ide. Give the server one key per source (SLUICE_WRITE_KEYS=k1:t/support-web,k2:t/coding-ide)',
      'and pass them with --support-key / --coding-key, or run `sluice demo` without --url.'] : []),
  ].join('\n');
}

function integer(text: string, flag: string, min: number): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < min) throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `${flag} must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  return value;
}

