import type { CurationStore, Sample, Warehouse } from '@sluice/core';
import { createHash, randomBytes } from 'node:crypto';
import { SignalIndex } from './assemble/signal-index.ts';
import { createCandidatePipeline } from './candidates.ts';
import { carryOutErasureRequests } from './erasure.ts';
import { ITEMS_PER_TURN, letQueriesProgress, readAhead } from './read-ahead.ts';
import { Funnel } from './funnel.ts';
import { createSampleDedup } from './operators/dedup.ts';
import type { LoadedRuleset } from './ruleset/load.ts';
import { SampleSpill } from './sample-spill.ts';

export interface CurationDeps {
  store: Warehouse & CurationStore;
  pseudonymKey: string;
  now?: () => number;
  /** Called every few thousand generations with the count so far (progress bars). */
  onProgress?: (generationsSeen: number) => void;
  /** Where candidate samples wait for dedup (a temporary file, removed after the run); default the OS temp directory. */
  spillDirectory?: string;
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
 * labels → split per generation, streamed; then dedup over the survivors, then write the kept
 * samples (the run goes building → complete). Memory holds the signal index, one scan chunk and
 * dedup's keys; the candidate samples themselves wait in a spill file.
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
  for await (const chunk of readAhead(store.scanEvents({ upToSeq: watermark, types: SIGNAL_TYPES, ...scope }))) {
    for (const event of chunk) index.add(event);
  }

  // Candidates go to a spill file as they pass the per-sample steps; dedup keeps only its keys,
  // so memory stays bounded by the scan chunk, not by the number of samples.
  const pipeline = createCandidatePipeline(ruleset, index, deps, funnel);
  const dedup = createSampleDedup(ruleset.dedup);
  const spill = new SampleSpill(deps.spillDirectory);
  try {
    const ids: string[] = [];
    const examples: CurationExample[] = [];
    const wanted = options.examples ?? 0;
    let seen = 0;
    const generations = { upToSeq: watermark, types: ['generation'], ...scope, ...(ruleset.select.sources ? { sources: ruleset.select.sources } : {}) };
    // Read ahead: the warehouse fetches the next chunk while this one goes through the pipeline.
    scan: for await (const chunk of readAhead(store.scanEvents(generations))) {
      for (const event of chunk) {
        if (options.limit !== undefined && seen >= options.limit) break scan;
        seen++;
        if (seen % 5000 === 0) deps.onProgress?.(seen);
        if (seen % ITEMS_PER_TURN === 0) await letQueriesProgress();
        const candidate = pipeline.candidate(event);
        if (candidate === null) continue;
        const sample = candidate.after;
        dedup.add(sample);
        spill.append(sample);
        ids.push(sample.sampleId);
        if (examples.length < wanted && (Object.keys(sample.pii).length > 0 || examples.length < Math.ceil(wanted / 2))) {
          examples.push({ sampleId: sample.sampleId, ...candidate });
        }
      }
    }
    funnel.stage('generations_scanned', seen);
    pipeline.reportStages();

    const drops = dedup.finish();
    // Kept samples in sample_id order: the order they are written in, as before streaming.
    const kept: number[] = [];
    drops.forEach((drop, i) => {
      if (drop === null) kept.push(i);
      else funnel.drop('dedup', drop);
    });
    kept.sort((a, b) => (ids[a]! < ids[b]! ? -1 : 1));
    funnel.stage('after_dedup', kept.length);

    const writeRun = options.dryRun ? null : await startRun(loaded, watermark, deps, now);
    // One chunk is written while the next is read back from the spill: appends stay in order, one at a time.
    let writing: Promise<void> = Promise.resolve();
    try {
      for (let i = 0; i < kept.length; i += WRITE_CHUNK) {
        const samples = spill.read(kept.slice(i, i + WRITE_CHUNK));
        summarize(funnel, samples);
        await writing;
        if (writeRun) {
          writing = store.appendSamples(writeRun, samples);
          // Awaited at the next chunk or below; this only keeps a failure from counting as unhandled meanwhile.
          writing.catch(() => undefined);
        }
      }
      await writing;
      const report: CurationReport = {
        runId: writeRun, rulesetName: ruleset.name, rulesetHash: hash, watermark, funnel: funnel.toJSON(), erasures,
        examples,
        samples: kept.length,
      };
      if (writeRun) await store.finishCurationRun(writeRun, { status: 'complete', stats: report.funnel, finishedAt: now() });
      return report;
    } catch (error) {
      await writing.catch(() => undefined);
      if (writeRun) await store.finishCurationRun(writeRun, { status: 'failed', stats: { error: (error as Error).message }, finishedAt: now() }).catch(() => undefined);
      throw error;
    }
  } finally {
    spill.close();
  }
}

/** Saves the ruleset version and opens the run as building; returns its id. */
async function startRun(loaded: LoadedRuleset, watermark: number, deps: CurationDeps, now: () => number): Promise<string> {
  const { ruleset, hash } = loaded;
  await deps.store.saveRuleset({ ...loaded.stored });
  const createdAt = now();
  const runId = `cr_${createHash('sha256').update(`${hash}:${watermark}`).digest('hex').slice(0, 12)}_${createdAt.toString(36)}${randomBytes(2).toString('hex')}`;
  await deps.store.createCurationRun({ runId, rulesetName: ruleset.name, rulesetHash: hash, watermark, status: 'building', stats: {}, createdAt, finishedAt: null });
  return runId;
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
