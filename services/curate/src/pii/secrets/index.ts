import type { Detector, Span, TextProfile } from '../types.ts';
import { findJwts } from './jwt.ts';
import { findKeywordAssignedSecrets } from './keyword-assigned.ts';
import { findPemPrivateKeys } from './pem.ts';
import { findSecretTriggers } from './triggers.ts';
import { vendorTokenRules, type VendorTokenRule } from './vendor-tokens.ts';

// One scan for all vendor prefixes: most texts hold none, and thirty substring searches cost
// five times more than one alternation. Each anchor found names the rules to run.
const anchors = [...new Set(vendorTokenRules.flatMap((rule) => rule.anchors))];
const anyVendorAnchor = new RegExp([...anchors].sort((a, b) => b.length - a.length).map((anchor) => anchor.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g');
// At one position the alternation reports the longest anchor ('sk-ant-'), so it also stands for
// the anchors it starts with ('sk-').
const rulesByAnchor: ReadonlyMap<string, readonly VendorTokenRule[]> = new Map(
  anchors.map((found) => [found, vendorTokenRules.filter((rule) => rule.anchors.some((anchor) => found.startsWith(anchor)))]),
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
      const triggers = findSecretTriggers(text);
      if (triggers.vendorHint) findVendorTokens(text, out);
      findJwts(text, out);
      findPemPrivateKeys(text, out);
      findKeywordAssignedSecrets(text, triggers, out);
    },
  };
}

function findVendorTokens(text: string, out: Span[]): void {
  for (const rule of vendorRulesFor(text)) {
    rule.pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = rule.pattern.exec(text)) !== null) {
      if (rule.validate !== undefined && !rule.validate(match[0])) continue;
      out.push({ type: 'SECRET', subtype: rule.subtype, start: match.index, end: match.index + match[0].length, value: match[0] });
    }
  }
}

/** The vendor rules whose anchors occur in `text`, in rule order (empty for most texts). */
function vendorRulesFor(text: string): readonly VendorTokenRule[] {
  anyVendorAnchor.lastIndex = 0;
  let match = anyVendorAnchor.exec(text);
  if (match === null) return [];
  const present = new Set<VendorTokenRule>();
  do {
    for (const rule of rulesByAnchor.get(match[0]) ?? []) present.add(rule);
    anyVendorAnchor.lastIndex = match.index + 1; // overlapping anchors count too
  } while ((match = anyVendorAnchor.exec(text)) !== null);
  return vendorTokenRules.filter((rule) => present.has(rule));
}
