import { z } from 'zod';
import { drop, keep, type SampleStep } from './step.ts';

/**
 * `consent`: `require_grant` keeps only users whose latest training consent at the watermark is a
 * grant; `allow_unless_revoked` keeps everyone whose latest consent is not a revocation. Users
 * with an erasure request are always excluded, whatever their consent says.
 */
export const consentSectionSchema = z.strictObject({
  mode: z.enum(['require_grant', 'allow_unless_revoked']).default('require_grant'),
}).prefault({});

export type ConsentSection = z.infer<typeof consentSectionSchema>;

export interface ConsentState {
  /** Latest training consent per user key (true = granted), decided by event time then ingest order. */
  latest: ReadonlyMap<string, boolean>;
  /** User keys with an erasure request at or before the watermark. */
  erased: ReadonlySet<string>;
}

export function createConsentStep(section: ConsentSection, deps: { consent: ConsentState }): SampleStep {
  const { latest, erased } = deps.consent;
  return {
    name: 'consent',
    run(sample) {
      const user = sample.userKey;
      if (user !== null && erased.has(user)) return drop('erasure_requested');
      const granted = user === null ? undefined : latest.get(user);
      if (section.mode === 'require_grant') return granted === true ? keep(sample) : drop(granted === false ? 'consent_revoked' : 'consent_missing');
      return granted === false ? drop('consent_revoked') : keep(sample);
    },
  };
}
