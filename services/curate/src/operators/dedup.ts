import type { Sample } from '@sluice/core';
import { z } from 'zod';
import { messagesText } from '../assemble/messages.ts';
import { createStreamingDeduplicator } from '../dedup/index.ts';

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

/** Why dedup dropped a sample: its text equals the representative's, or is only similar. */
export type DedupDrop = 'exact' | 'near';

/**
 * A batch step fed one sample at a time: it needs every candidate before it can decide, but keeps
 * only what clustering needs (id, label rank, ingest order, a text hash and a MinHash signature),
 * so a curation run can stream its samples elsewhere meanwhile.
 */
export interface SampleDedup {
  /** Registers the next surviving sample. */
  add(sample: Sample): void;
  /** Per added sample, in the order added: null when kept, else why it was dropped. Call once. */
  finish(): Array<DedupDrop | null>;
}

export function createSampleDedup(section: DedupSection): SampleDedup {
  if (!section.enabled) {
    let added = 0;
    return { add: () => { added++; }, finish: () => new Array<DedupDrop | null>(added).fill(null) };
  }
  const dedup = createStreamingDeduplicator({ mode: section.mode, threshold: section.threshold });
  return {
    add(sample) {
      dedup.add({ id: sample.sampleId, text: dedupText(sample, section.scope), rank: labelRank(sample), order: sample.ingestSeq });
    },
    finish() {
      const { duplicateOf, representativeIndex, exactGroupOf } = dedup.finish();
      return duplicateOf.map((representative, i) => {
        if (representative === null) return null;
        return exactGroupOf[i] === exactGroupOf[representativeIndex[i]!] ? 'exact' : 'near';
      });
    },
  };
}
