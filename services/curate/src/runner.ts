import type { CurationStore, Sample, Warehouse } from '@sluice/core';
import { createHash, randomBytes } from 'node:crypto';
import { SignalIndex } from './assemble/signal-index.ts';
import { carryOutErasureRequests } from './erasure.ts';
import { createSampleAssembler } from './assemble/assemble-samples.ts';
import { Funnel } from './funnel.ts';
import { createConsentStep } from './operators/consent.ts';
import { dedupSamples } from './operators/dedup.ts';
import { createFiltersStep } from './operators/filters.ts';
import { createLabelsStep } from './operators/labels/index.ts';
import { createPiiStep } from './operators/pii.ts';
import { createSplitStep } from './operators/split.ts';
import type { SampleStep } from './operators/step.ts';
import type { LoadedRuleset } from './ruleset/load.ts';
import { wildcardMatcher } from './ruleset/select-section.ts';

export interface CurationDeps {
  store: Warehouse & CurationStore;
  pseudonymKey: string;
  now?: () => number;
  /** Called every few thousand generations with the count so far (progress bars). */
  onProgress?: (generationsSeen: number) => void;
}

export interface CurationOptions {
  /** Consider events with ingestSeq ≤ watermark; defaults to everything stored now. */
  watermark?: number;
  /** Compute and report, write nothing (no run, no samples, no erasure). */
  dryRun?: boolean;
  /** Stop after this many generations (previews). */
  limit?: number;
  /** Before/after pairs to keep for the report (dry runs). */
  examples?: number;
}

export interface CurationExample {
  sampleId: string;
  before: Sample;
  after: Sample;
}

export interface CurationReport {
  runId: string | null;
  rulesetName: string;
  rulesetHash: string;
  watermark: number;
  funnel: Record<string, unknown>;
  erasures: number;
  examples: CurationExample[];
  samples: number;
}

const SIGNAL_TYPES = ['feedback', 'outcome', 'consent', 'erasure_request'];
const WRITE_CHUNK = 1000;

/**
 * One curation run: ruleset@hash over the events up to a watermark. Erasure first (requests are
 * honoured before anything is read for training), then assemble → consent → pii → filters →
 * labels, then dedup and split over the survivors, then write the run (building → complete).
 */
export async function runCuration(loaded: LoadedRuleset, deps: CurationDeps, options: CurationOptions = {}): Promise<CurationReport> {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const { ruleset, hash } = loaded;
  const watermark = options.watermark ?? await store.maxIngestSeq();
  const funnel = new Funnel();
  const tenant = ruleset.select.tenant;
  const scope = tenant === undefined ? {} : { tenant };

  // Erasure first: requests are honoured before anything is read for training.
  const erasures = options.dryRun ? 0 : (await carryOutErasureRequests(store, { upToSeq: watermark, now, pseudonymKey: deps.pseudonymKey })).length;
  const index = new SignalIndex();
  for await (const chunk of store.scanEvents({ upToSeq: watermark, types: SIGNAL_TYPES, ...scope })) {
    for (const event of chunk) index.add(event);
  }

  const steps: SampleStep[] = [
    createConsentStep(ruleset.consent, { consent: index.consentState() }),
    createPiiStep(ruleset.pii, { pseudonymKey: deps.pseudonymKey }),
    createFiltersStep(ruleset.filters),
    createLabelsStep(ruleset.labels),
  ];
  const assemble = createSampleAssembler(index, { signalWindowMs: ruleset.select.signal_window });
  const since = ruleset.select.since === undefined ? -Infinity : Date.parse(ruleset.select.since);
  const until = ruleset.select.until === undefined ? Infinity : Date.parse(ruleset.select.until);
  const included = ruleset.select.models?.include ? wildcardMatcher(ruleset.select.models.include) : () => true;
  const excluded = ruleset.select.models?.exclude ? wildcardMatcher(ruleset.select.models.exclude) : () => false;

  const kept: Sample[] = [];
  const examples: CurationExample[] = [];
  let seen = 0;
  let selected = 0;
  const stageCounts = new Map(steps.map((s) => [s.name, 0]));
  scan: for await (const chunk of store.scanEvents({ upToSeq: watermark, types: ['generation'], ...scope, ...(ruleset.select.sources ? { sources: ruleset.select.sources } : {}) })) {
    for (const event of chunk) {
      if (options.limit !== undefined && seen >= options.limit) break scan;
      seen++;
      if (seen % 5000 === 0) deps.onProgress?.(seen);
      const model = String((event.payload as { model?: unknown }).model);
      if (event.timestamp < since || event.timestamp > until || !included(model) || excluded(model)) continue;
      selected++;
      const before = assemble(event);
      let sample: Sample | null = before;
      for (const step of steps) {
        const outcome = step.run(sample);
        if (outcome.kind === 'drop') {
          funnel.drop(step.name, outcome.reason);
          sample = null;
          break;
        }
        sample = outcome.sample;
        stageCounts.set(step.name, stageCounts.get(step.name)! + 1);
      }
      if (sample === null) continue;
      kept.push(sample);
      if (examples.length < (options.examples ?? 0) && (Object.keys(sample.pii).length > 0 || examples.length < Math.ceil((options.examples ?? 0) / 2))) {
        examples.push({ sampleId: sample.sampleId, before, after: sample });
      }
    }
  }
  funnel.stage('generations_scanned', seen);
  funnel.stage('selected', selected);
  for (const [name, count] of stageCounts) funnel.stage(`after_${name}`, count);

  const deduplicated = dedupSamples(kept, ruleset.dedup);
  for (const reason of deduplicated.dropReasons) funnel.drop('dedup', reason);
  funnel.stage('after_dedup', deduplicated.kept.length);

  const split = createSplitStep(ruleset.split, { pseudonymKey: deps.pseudonymKey });
  const samples = deduplicated.kept.map((s) => {
    const outcome = split.run(s);
    return outcome.kind === 'keep' ? outcome.sample : s;
  });
  summarize(funnel, samples);

  const report: CurationReport = {
    runId: null, rulesetName: ruleset.name, rulesetHash: hash, watermark, funnel: funnel.toJSON(), erasures,
    examples: examples.map((e) => ({ ...e, after: samples.find((s) => s.sampleId === e.sampleId) ?? e.after })),
    samples: samples.length,
  };
  if (options.dryRun) return report;

  await store.saveRuleset({ ...loaded.stored });
  const createdAt = now();
  const runId = `cr_${createHash('sha256').update(`${hash}:${watermark}`).digest('hex').slice(0, 12)}_${createdAt.toString(36)}${randomBytes(2).toString('hex')}`;
  await store.createCurationRun({ runId, rulesetName: ruleset.name, rulesetHash: hash, watermark, status: 'building', stats: {}, createdAt, finishedAt: null });
  try {
    samples.sort((a, b) => (a.sampleId < b.sampleId ? -1 : 1));
    for (let i = 0; i < samples.length; i += WRITE_CHUNK) await store.appendSamples(runId, samples.slice(i, i + WRITE_CHUNK));
    await store.finishCurationRun(runId, { status: 'complete', stats: report.funnel, finishedAt: now() });
  } catch (error) {
    await store.finishCurationRun(runId, { status: 'failed', stats: { error: (error as Error).message }, finishedAt: now() }).catch(() => undefined);
    throw error;
  }
  return { ...report, runId };
}

function summarize(funnel: Funnel, samples: readonly Sample[]): void {
  for (const s of samples) {
    funnel.splits[s.split] = (funnel.splits[s.split] ?? 0) + 1;
    for (const [type, n] of Object.entries(s.pii)) funnel.pii[type] = (funnel.pii[type] ?? 0) + n;
    const l = s.labels;
    if (l.reward !== null && l.reward > 0) funnel.labels.reward_positive++;
    if (l.reward !== null && l.reward < 0) funnel.labels.reward_negative++;
    if (l.kto === true) funnel.labels.kto_true++;
    if (l.kto === false) funnel.labels.kto_false++;
    if (l.sft) funnel.labels.sft++;
    if (l.preference) funnel.labels.preference_pairs++;
    if (l.reward === null && l.kto === null && l.preference === null) funnel.labels.unlabelled++;
  }
}
