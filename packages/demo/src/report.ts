import type { DemoDataset, DemoReport } from './runner.ts';
import { sumCounts } from './types.ts';

const n = (value: number) => value.toLocaleString('en');
const list = (counts: Record<string, number>, empty = 'none') => {
  const entries = Object.entries(counts).filter(([, v]) => v > 0).sort(([, a], [, b]) => b - a);
  return entries.length ? entries.map(([k, v]) => `${k} ${n(v)}`).join(', ') : empty;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The short human report `sluice demo` prints: traffic, ingest outcome, funnel per dataset, where the files are. */
export function formatDemoReport(report: DemoReport): string {
  const { traffic: t, sent } = report;
  const lines = [
    `Sluice demo · seed ${report.seed} · ${n(t.events)} events (support-web ${n(t.bySource['support-web'])} · coding-ide ${n(t.bySource['coding-ide'])})`,
    '',
    `traffic   ${n(t.sessions['support-web'] + t.sessions['coding-ide'])} sessions of ${n(t.users['support-web'] + t.users['coding-ide'])} users · ${list(t.byType)}`,
    `          consent granted ${n(t.consent.granted)}, revoked ${n(t.consent.revoked)}, declined ${n(t.consent.declined)} (the rest never answered) · erasure requests ${n(t.erasureRequests)}`,
    `          duplicate prompts ${n(t.duplicatePrompts.exact)} exact + ${n(t.duplicatePrompts.near)} near · client retries ${n(t.resends)}`,
    `          planted ${n(sumCounts(t.planted))} PII and secret values: ${list(t.planted)}`,
  ];
  if (sent) {
    const expected = sumCounts(t.invalid);
    lines.push(
      `ingest    sent ${n(sent.sent)} → accepted ${n(sent.accepted)} · duplicates ${n(sent.duplicates)} · quarantined ${n(sent.quarantined)}`
        + ` (${n(expected)} sent invalid on purpose${sent.quarantined === expected ? ', all caught' : ''})`,
      `          ${n(sent.requests)} requests, ${n(sent.retries)} retried · ${seconds(sent.elapsedMs)} (${n(Math.round(sent.sent / Math.max(0.001, sent.elapsedMs / 1000)))} events/s)`,
    );
  }
  if (report.jsonl) lines.push(`written   ${n(report.jsonl.written)} lines (${(report.jsonl.bytes / 1048576).toFixed(1)} MiB) to ${report.jsonl.path}`);
  for (const dataset of report.datasets) lines.push('', ...formatDataset(dataset));
  const loadable = report.datasets.filter((d) => d.snapshot?.localPath);
  if (loadable.length > 0) {
    lines.push('', 'load it', '  from datasets import load_dataset');
    for (const d of loadable) {
      const config = ['sft', 'preference', 'kto', 'rl'].find((c) => sumCounts(d.snapshot!.counts[c] ?? {}) > 0) ?? 'sft';
      lines.push(`  ${d.ruleset.split('-')[0]} = load_dataset(${JSON.stringify(d.snapshot!.localPath)}, ${JSON.stringify(config)})`);
    }
  }
  const { totalMs, sendMs, datasetsMs } = report.timings;
  lines.push('', `done in ${seconds(totalMs)}${report.datasets.length ? ` (send ${seconds(sendMs)}, curate + export ${seconds(datasetsMs)})` : ''}`);
  return lines.join('\n');
}

function formatDataset(d: DemoDataset): string[] {
  const stages = d.funnel.stages.map((s) => `${s.stage.replace(/^after_/, '')} ${n(s.count)}`).join(' → ');
  const lines = [
    `${d.ruleset}${d.runId ? `  (run ${d.runId})` : ''}${d.erasures ? ` · erased the raw events of ${d.erasures} user(s) first` : ''}`,
    `  funnel    ${stages}`,
    `  dropped   ${list(d.funnel.dropped)}`,
    `  redacted  ${list(d.funnel.pii, 'nothing')}`,
    `  labels    ${list(d.funnel.labels)} · splits ${list(d.funnel.splits)}`,
  ];
  if (d.snapshot) {
    const rows = Object.entries(d.snapshot.counts).map(([config, splits]) => `${config} ${n(sumCounts(splits))}`).join(', ');
    lines.push(`  snapshot  ${d.snapshot.id}: ${rows}`, `            ${d.snapshot.localPath ?? d.snapshot.dir}`);
  } else {
    lines.push('  snapshot  none (no samples survived)');
  }
  return lines;
}
