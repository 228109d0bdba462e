import { compileAllowPattern } from './policy.ts';
import type { PiiPolicy } from './policy.ts';
import type { Span } from './types.ts';

export type AllowList = (span: Span) => boolean;

/** Builds the check for values a policy exempts (the company's own support address, test cards). */
export function createAllowList(allow: PiiPolicy['allow']): AllowList {
  const exact = new Set(allow.values);
  // Mailboxes are case-insensitive in practice: Support@OurCompany.com is the same address.
  const emails = new Set(allow.values.filter((value) => value.includes('@')).map((value) => value.toLowerCase()));
  const patterns = allow.patterns.map((pattern, index) => compileAllowPattern(pattern, index));
  if (exact.size === 0 && patterns.length === 0) return () => false;
  return (span) => {
    if (exact.has(span.value)) return true;
    if (span.type === 'EMAIL' && emails.has(span.value.toLowerCase())) return true;
    return patterns.some((pattern) => pattern.test(span.value));
  };
}
