import { z } from 'zod';
import { consentSectionSchema } from '../operators/consent.ts';
import { dedupSectionSchema } from '../operators/dedup.ts';
import { filtersSectionSchema } from '../operators/filters.ts';
import { labelsSectionSchema } from '../operators/labels/index.ts';
import { piiSectionSchema } from '../operators/pii.ts';
import { splitSectionSchema } from '../operators/split.ts';
import { selectSectionSchema } from './select-section.ts';

/**
 * A ruleset as a data steward writes it. Every section owns its schema beside its operator;
 * objects are strict, so a misspelt key is an error with its path, not a silently ignored rule.
 */
export const rulesetSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, ".", "_" and "-"'),
  description: z.string().optional(),
  select: selectSectionSchema,
  consent: consentSectionSchema,
  pii: piiSectionSchema,
  filters: filtersSectionSchema,
  labels: labelsSectionSchema,
  dedup: dedupSectionSchema,
  split: splitSectionSchema,
});

export type Ruleset = z.infer<typeof rulesetSchema>;
