import type { Sample } from '@sluice/core';
import { runCuration, type LoadedRuleset } from '@sluice/curate';
import { dedupClusters } from './dedup-clusters.ts';
import { withRecentGenerations, type CurationWarehouse } from './recent-generations.ts';
import { messageText, redactionSegments } from './redactions.ts';

export interface DryRunOptions {
  /** The newest N generations are previewed. */
  limit: number;
  /** Before/after pairs returned (samples with redactions first). */
  examples: number;
}

function shownLabels(sample: Sample) {
  const { reward, kto, sft, preference, rules } = sample.labels;
  return { reward, kto, sft, preference: preference === null ? null : preference.reason, rules };
}

function before(sample: Sample) {
  return [...sample.prompt, ...sample.completion].map(messageText);
}

function after(sample: Sample) {
  const types = new Set(Object.keys(sample.pii));
  return [...sample.prompt, ...sample.completion].map((m) => {
    const { role, text } = messageText(m);
    return { role, segments: redactionSegments(text, types) };
  });
}

/**
 * A curation dry-run for the console: the runner itself (nothing is written), over the newest
 * `limit` generations, reported as funnel, labels, PII counts, dedup clusters and before/after
 * pairs whose redaction tokens are marked by type. Every sample that survives the per-sample steps
 * is kept as an example (so the dedup clusters can be shown); only `examples` are returned.
 */
export async function dryRun(loaded: LoadedRuleset, store: CurationWarehouse, pseudonymKey: string, options: DryRunOptions) {
  const report = await runCuration(loaded, { store: withRecentGenerations(store, options.limit), pseudonymKey }, {
    dryRun: true, limit: options.limit, examples: 2 * options.limit + 2,
  });
  const candidates = report.examples.map((e) => e.after);
  const { clusters, removed } = await dedupClusters(candidates, loaded.ruleset.dedup);
  const funnel = report.funnel as { stages: unknown; dropped: unknown; pii: unknown; splits: unknown; labels: unknown };
  const shown = [...report.examples]
    .sort((a, b) => Number(Object.keys(b.after.pii).length > 0) - Number(Object.keys(a.after.pii).length > 0))
    .slice(0, options.examples);
  return {
    ruleset: { name: report.rulesetName, hash: report.rulesetHash },
    watermark: report.watermark,
    samples: report.samples,
    funnel: { stages: funnel.stages, dropped: funnel.dropped },
    labels: funnel.labels,
    pii: funnel.pii,
    splits: funnel.splits,
    dedup: { removed: removed.size, clusters: clusters.slice(0, 20), cluster_count: clusters.length },
    examples: shown.map((e) => ({
      sample_id: e.sampleId,
      split: removed.has(e.sampleId) ? null : e.after.split,
      removed_by_dedup: removed.has(e.sampleId),
      pii: e.after.pii,
      labels: shownLabels(e.after),
      before: before(e.before),
      after: after(e.after),
    })),
  };
}

export type DryRunReport = Awaited<ReturnType<typeof dryRun>>;
