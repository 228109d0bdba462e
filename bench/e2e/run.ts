/**
 * bench/e2e/run: 1M synthetic events ingested → curated → exported on the embedded default
 * (DuckDB + local disk), wall time on this machine against the 2-minute target.
 *
 *   node bench/e2e/run.ts [--events 1000000] [--seed 42] [--rulesets support-assistant,coding-assistant]
 *                         [--formats sft,preference,kto,rl,openai_chat] [--concurrency 4] [--batch-size 1000] [--keep]
 *
 * `--rulesets ''` stops after ingest; with `--keep` the data directory stays for profiling.
 *
 * Every stage is the real product: `sluice serve` in a child process, the `sluice demo` traffic
 * generator and HTTP sender, then `sluice curate` and `sluice export` as separate processes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runEndToEnd, type EndToEndReport } from './pipeline.ts';

const TARGET_SECONDS = 120;

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '42' },
    rulesets: { type: 'string', default: 'support-assistant,coding-assistant' },
    formats: { type: 'string', default: 'sft,preference,kto,rl,openai_chat' },
    concurrency: { type: 'string', default: '4' }, 'batch-size': { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
  },
});
const events = Number(values.events.replaceAll('_', ''));
if (!Number.isSafeInteger(events) || events < 1) throw new Error(`--events must be a positive integer, got ${values.events}`);
const rulesets = values.rulesets.split(',').map((name) => name.trim()).filter(Boolean)
  .map((name) => fileURLToPath(new URL(`../../examples/${name}.yaml`, import.meta.url)));

const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-e2e-'));
try {
  const report = await runEndToEnd({
    events, seed: values.seed, rulesets, formats: values.formats.split(',').map((f) => f.trim()).filter(Boolean),
    concurrency: Number(values.concurrency), batchSize: Number(values['batch-size']), dir,
    log: (line) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
  });
  console.log(formatReport(report, events));
} finally {
  if (values.keep) console.error(`data kept in ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}

function formatReport(report: EndToEndReport, requested: number): string {
  const n = (value: number) => Math.round(value).toLocaleString('en');
  const rate = (count: number | null, seconds: number) => (count === null ? '' : n(count / seconds));
  const mib = (bytes: number | null) => (bytes === null ? '' : `${n(bytes / 1048576)}`);
  const lines = [
    '| stage | seconds | events/s | samples/s | peak RSS MiB | notes |',
    '|---|---:|---:|---:|---:|---|',
    ...report.stages.map((s) => `| ${s.stage} | ${s.seconds.toFixed(1)} | ${rate(s.events, s.seconds)} | ${rate(s.samples, s.seconds)} | ${mib(s.peakRssBytes)} | ${s.note}${s.rows === null ? '' : ` (${n(s.rows)} rows)`} |`),
    `| **total** | **${report.totalSeconds.toFixed(1)}** | ${n(report.sent.accepted / report.totalSeconds)} | | | target < ${TARGET_SECONDS} s: **${report.totalSeconds < TARGET_SECONDS ? 'met' : 'not met'}** (${(report.totalSeconds / TARGET_SECONDS).toFixed(2)}× the budget) |`,
  ];
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const t = report.traffic;
  return [
    `${n(requested)} events requested, ${n(report.sent.accepted)} accepted (${n(t.bySource['support-web'])} support-web, ${n(t.bySource['coding-ide'])} coding-ide generated)`,
    `load average at start ${load(report.loadStart)} · at end ${load(report.loadEnd)}`,
    '',
    ...lines,
  ].join('\n');
}
