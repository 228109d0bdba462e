import { z } from 'zod';
import { durationSchema } from './duration.ts';

const names = z.array(z.string().min(1)).min(1);

/** `select`: which generations become candidate samples, and how long signals may trail them. */
export const selectSectionSchema = z.strictObject({
  tenant: z.string().min(1).optional(),
  /** Sources (write keys' source names) whose generations are used; all when absent. */
  sources: names.optional(),
  /** Time window on the event's corrected timestamp (RFC 3339). */
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  models: z.strictObject({
    /** Exact names or `*` wildcards, e.g. `llama-3.1-*`. */
    include: names.optional(),
    exclude: names.optional(),
  }).optional(),
  /** Feedback and outcomes count when they arrive within this long after the generation. */
  signal_window: durationSchema.default(7 * 86_400_000),
}).prefault({});

export type SelectSection = z.infer<typeof selectSectionSchema>;

/** `*` matches any run of characters; everything else is literal. */
export function wildcardMatcher(patterns: readonly string[]): (value: string) => boolean {
  const regexes = patterns.map((p) => new RegExp(`^${p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (value) => regexes.some((r) => r.test(value));
}
