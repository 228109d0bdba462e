import type { Sample } from '@sluice/core';
import { z } from 'zod';
import { messagesText } from '../assemble/messages.ts';
import { createDeduplicator, exactHash } from '../dedup/index.ts';

/**
 * `dedup`: exact (normalized text) and near-duplicate (MinHash/LSH over word 5-grams) clustering
 * of the surviving samples; one representative per cluster is kept — the best labelled, then the
 * earliest. Scope: the prompt alone (the same question asked twice is one sample) or prompt and
 * response together.
 */
export const dedupSectionSchema = z.strictObject({
  enabled: z.boolean().default(true),
  mode: z.enum(['exact', 'near']).default('near'),
  threshold: z.number().gt(0).max(1).default(0.8),
  scope: z.enum(['prompt', 'prompt_response']).default('prompt_response'),
}).prefault({});

export type DedupSection = z.infer<typeof dedupSectionSchema>;

/** Higher is a better training example: preference pairs, then positive reward, then SFT. */
export function labelRank(sample: Sample): number {
  const { labels } = sample;
  return (labels.preference ? 4 : 0) + (labels.reward ?? 0) + (labels.sft ? 1 : 0) + (labels.kto === true ? 0.5 : 0);
}

export function dedupText(sample: Sample, scope: DedupSection['scope']): string {
  return scope === 'prompt' ? messagesText(sample.prompt) : `${messagesText(sample.prompt)}\n${messagesText(sample.completion)}`;
}

/** A batch step: it needs every candidate at once. Returns the kept samples in input order. */
export function dedupSamples(samples: readonly Sample[], section: DedupSection): { kept: Sample[]; dropReasons: string[] } {
  if (!section.enabled || samples.length === 0) return { kept: [...samples], dropReasons: [] };
  const texts = samples.map((s) => dedupText(s, section.scope));
  const dedup = createDeduplicator({ mode: section.mode, threshold: section.threshold });
  const result = dedup(samples.map((s, i) => ({ id: s.sampleId, text: texts[i]!, rank: labelRank(s), order: s.ingestSeq })));
  const kept: Sample[] = [];
  const dropReasons: string[] = [];
  for (let i = 0; i < samples.length; i++) {
    if (result.duplicateOf[i] === null) {
      kept.push(samples[i]!);
      continue;
    }
    const representative = result.representativeIndex[i]!;
    dropReasons.push(exactHash(texts[i]!) === exactHash(texts[representative]!) ? 'exact' : 'near');
  }
  return { kept, dropReasons };
}
