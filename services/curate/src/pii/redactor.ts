import { createAllowList } from './allow-list.ts';
import { createCreditCardDetector } from './credit-card.ts';
import { createCustomDetector } from './custom.ts';
import { createEmailDetector } from './email.ts';
import { createIbanDetector } from './iban.ts';
import { createIpAddressDetector } from './ip-address.ts';
import { createPhoneDetector } from './phone.ts';
import { validatePolicy, type PiiAction, type PiiPolicy, type PseudonymSecret } from './policy.ts';
import { createPseudonymizer } from './pseudonym.ts';
import { createValueWalker } from './redact-value.ts';
import { resolveOverlaps } from './resolve-overlaps.ts';
import { createSecretDetector } from './secrets/index.ts';
import { profileText } from './text-profile.ts';
import type { BuiltinPiiType, Detector, PiiType, Span } from './types.ts';
import { createUrlCredentialsDetector } from './url-credentials.ts';
import { createUsSsnDetector } from './us-ssn.ts';

/** Counts by type. Never values: findings end up in logs, metrics and dataset cards. */
export type PiiFindings = Record<string, number>;

export interface RedactTextResult {
  text: string;
  findings: PiiFindings;
  /** A finding's action is drop_sample: the caller must drop the whole sample. */
  drop: boolean;
  /** Where each redacted finding was, as string indices into the ORIGINAL text (no values). */
  spans: Array<{ type: PiiType; start: number; end: number }>;
}

export interface RedactValueResult {
  value: unknown;
  findings: PiiFindings;
  drop: boolean;
}

export interface Redactor {
  redactText(text: string): RedactTextResult;
  /**
   * Walks a JSON value (objects, arrays, strings; keys too). A string that itself parses as a JSON
   * object or array (tool-call arguments) is redacted as JSON and re-serialized with JSON.stringify.
   */
  redactValue(value: unknown): RedactValueResult;
}

/**
 * Builds the redactor for one policy. Throws PiiPolicyError for a policy that cannot run (bad
 * custom regex, unknown action, pseudonym key too short), so a ruleset fails when it is loaded.
 */
export function createRedactor(policy: PiiPolicy, secret: PseudonymSecret): Redactor {
  validatePolicy(policy, secret);
  const detectors = buildDetectors(policy);
  const isAllowed = createAllowList(policy.allow);
  const hasAllowList = policy.allow.values.length > 0 || policy.allow.patterns.length > 0;
  const pseudonymize = createPseudonymizer(secret.pseudonymKey);
  const actionFor = (type: PiiType): PiiAction => policy.actions[type] ?? policy.defaultAction;

  function redactText(text: string): RedactTextResult {
    if (text.length === 0) return { text, findings: {}, drop: false, spans: [] };
    const profile = profileText(text);
    const found: Span[] = [];
    for (const detector of detectors) detector.detect(text, profile, found);
    if (found.length === 0) return { text, findings: {}, drop: false, spans: [] };

    const spans = resolveOverlaps(hasAllowList ? found.filter((span) => !isAllowed(span)) : found, text.length);
    const findings: PiiFindings = {};
    let drop = false;
    let redacted = '';
    let copiedUpTo = 0;
    for (const span of spans) {
      const action = actionFor(span.type);
      if (action === 'drop_sample') drop = true;
      findings[span.type] = (findings[span.type] ?? 0) + 1;
      // drop_sample still masks, in case the caller logs or previews the dropped text.
      const replacement = action === 'pseudonymize' ? pseudonymize(span.type, span.value) : `<${span.type}>`;
      redacted += text.slice(copiedUpTo, span.start) + replacement;
      copiedUpTo = span.end;
    }
    redacted += text.slice(copiedUpTo);
    return { text: spans.length === 0 ? text : redacted, findings, drop, spans: spans.map(({ type, start, end }) => ({ type, start, end })) };
  }

  return { redactText, redactValue: createValueWalker(redactText) };
}

function buildDetectors(policy: PiiPolicy): Detector[] {
  const enabled = (type: BuiltinPiiType): boolean => policy.detectors[type] !== false;
  const detectors: Detector[] = [];
  if (enabled('SECRET')) detectors.push(createSecretDetector());
  if (enabled('URL_CREDENTIALS')) detectors.push(createUrlCredentialsDetector());
  if (enabled('CREDIT_CARD')) detectors.push(createCreditCardDetector());
  if (enabled('IBAN')) detectors.push(createIbanDetector());
  if (enabled('US_SSN')) detectors.push(createUsSsnDetector());
  if (enabled('EMAIL')) detectors.push(createEmailDetector());
  if (enabled('IP_ADDRESS')) detectors.push(createIpAddressDetector({ includePrivate: policy.ipIncludePrivate }));
  if (enabled('PHONE')) detectors.push(createPhoneDetector());
  for (const custom of policy.custom) detectors.push(createCustomDetector(custom));
  return detectors;
}
