import { generateTraffic, type TrafficOptions } from './generator.ts';
import { sendOverHttp, type HttpSendOptions, type HttpTarget } from './send/http-sender.ts';
import { writeJsonLines } from './send/jsonl.ts';
import type { SendResult } from './send/send-result.ts';
import type { TrafficStats } from './types.ts';

/** The curation funnel as `runCuration` reports it (services/curate/src/funnel.ts). */
export interface DemoFunnel {
  stages: Array<{ stage: string; count: number }>;
  dropped: Record<string, number>;
  pii: Record<string, number>;
  splits: Record<string, number>;
  labels: Record<string, number>;
}

/** One ruleset curated and exported: what the runner prints about it. */
export interface DemoDataset {
  ruleset: string;
  runId: string | null;
  funnel: DemoFunnel;
  samples: number;
  erasures: number;
  snapshot: {
    id: string;
    /** Blob key of the snapshot directory. */
    dir: string;
    /** Local directory of the snapshot when the blob store is a local directory (what `load_dataset` takes). */
    localPath: string | null;
    /** config → split → rows. */
    counts: Record<string, Record<string, number>>;
  } | null;
}

/** How one dataset is built after the traffic is in; the CLI wires curation and export here. */
export interface DemoDatasetStep {
  ruleset: string;
  build(): Promise<DemoDataset>;
}

export type DemoSink =
  | { kind: 'http'; target: HttpTarget; options?: HttpSendOptions }
  | { kind: 'jsonl'; path: string };

export interface DemoOptions extends TrafficOptions {
  sink: DemoSink;
  /** Runs once everything is sent and acknowledged: the CLI stops the server it started, freeing the store for curation. */
  afterSend?: () => Promise<void>;
  datasets?: readonly DemoDatasetStep[];
  /** Progress lines (the CLI prints them to stderr). */
  log?: (line: string) => void;
}

export interface DemoReport {
  seed: number | string;
  traffic: TrafficStats;
  /** Null when the traffic went to a file. */
  sent: SendResult | null;
  jsonl: { path: string; written: number; bytes: number } | null;
  datasets: DemoDataset[];
  timings: { sendMs: number; datasetsMs: number; totalMs: number };
}

/**
 * The whole demo: generate → send (or write JSON Lines) → afterSend → curate and export each
 * dataset → report. Every dependency on the rest of Sluice comes in through `sink`, `afterSend`
 * and `datasets`, so this package needs nothing but the HTTP API to drive a server.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const { sink, afterSend, datasets = [], log: _log, ...trafficOptions } = options;
  const traffic = generateTraffic(trafficOptions);
  let sent: SendResult | null = null;
  let jsonl: DemoReport['jsonl'] = null;
  try {
    if (sink.kind === 'http') {
      log(`sending ${options.events.toLocaleString('en')} events to ${sink.target.url} …`);
      sent = await sendOverHttp(traffic.records, sink.target, sink.options);
    } else {
      log(`writing ${options.events.toLocaleString('en')} events to ${sink.path} …`);
      jsonl = { path: sink.path, ...(await writeJsonLines(traffic.records, sink.path)) };
    }
  } finally {
    await afterSend?.();
  }
  const sendMs = performance.now() - started;
  const built: DemoDataset[] = [];
  for (const step of datasets) {
    log(`curating and exporting ${step.ruleset} …`);
    built.push(await step.build());
  }
  const totalMs = performance.now() - started;
  return { seed: options.seed ?? 42, traffic: traffic.stats, sent, jsonl, datasets: built, timings: { sendMs, datasetsMs: totalMs - sendMs, totalMs } };
}
