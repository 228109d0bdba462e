import type { Sample } from '@sluice/core';
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { keep, type SampleStep } from './step.ts';
import { userPseudonym } from './user-pseudonym.ts';

/**
 * `split`: deterministic train / eval assignment by a hash of the user (or session), so one user's
 * samples never land on both sides. The same seed and key always give the same split.
 */
export const splitSectionSchema = z.strictObject({
  by: z.enum(['user', 'session']).default('user'),
  eval_fraction: z.number().min(0).max(1).default(0.05),
  seed: z.string().default('sluice-split-v1'),
  names: z.strictObject({ train: z.string().min(1).default('train'), eval: z.string().min(1).default('eval') }).prefault({}),
}).prefault({});

export type SplitSection = z.infer<typeof splitSectionSchema>;

/**
 * Also replaces the raw user key with a pseudonym (HMAC with the tenant secret): from here on
 * nothing that leaves the warehouse carries a raw user id.
 */
export function createSplitStep(section: SplitSection, deps: { pseudonymKey: string }): SampleStep {
  return {
    name: 'split',
    run(sample: Sample) {
      const key = section.by === 'user' ? sample.userKey ?? sample.sessionId ?? sample.sampleId : sample.sessionId ?? sample.userKey ?? sample.sampleId;
      const split = bucket(`${section.seed}\u0000${key}`) < section.eval_fraction ? section.names.eval : section.names.train;
      const userKey = sample.userKey === null ? null : userPseudonym(deps.pseudonymKey, sample.userKey);
      return keep({ ...sample, split, userKey });
    },
  };
}

/** A uniform number in [0, 1) from the first 48 bits of sha256. */
function bucket(text: string): number {
  const digest = createHmac('sha256', 'sluice-split').update(text).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
