import type { Detector, Span, TextProfile } from '../types.ts';
import { findJwts } from './jwt.ts';
import { findKeywordAssignedSecrets } from './keyword-assigned.ts';
import { findPemPrivateKeys } from './pem.ts';
import { vendorTokenRules } from './vendor-tokens.ts';

// One scan for all vendor prefixes: most texts hold none, and thirty substring searches cost
// five times more than one alternation.
const anyVendorAnchor = new RegExp(
  [...new Set(vendorTokenRules.flatMap((rule) => rule.anchors))].map((anchor) => anchor.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'),
);

/**
 * SECRET: vendor-prefixed tokens, JWTs, PEM private keys, then values assigned to credential
 * names. Order matters only for ties: when two rules find the very same span, the redactor keeps
 * the first, so the specific vendor subtype wins over the generic keyword one.
 */
export function createSecretDetector(): Detector {
  return {
    type: 'SECRET',
    detect(text: string, _profile: TextProfile, out: Span[]): void {
      const hasVendorAnchor = anyVendorAnchor.test(text);
      for (const rule of hasVendorAnchor ? vendorTokenRules : []) {
        if (!rule.anchors.some((anchor) => text.includes(anchor))) continue;
        rule.pattern.lastIndex = 0;
        let match: RegExpExecArray | null;
        while ((match = rule.pattern.exec(text)) !== null) {
          if (rule.validate !== undefined && !rule.validate(match[0])) continue;
          out.push({ type: 'SECRET', subtype: rule.subtype, start: match.index, end: match.index + match[0].length, value: match[0] });
        }
      }
      findJwts(text, out);
      findPemPrivateKeys(text, out);
      findKeywordAssignedSecrets(text, out);
    },
  };
}
