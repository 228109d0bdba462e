import type { Random } from './random.ts';

/**
 * Deliberately broken events, as buggy clients send them: a missing required field, a wrong type,
 * a camelCase field the contract does not know, no user at all. The event id and the content stay
 * intact, so the event is findable in quarantine and the planted registry still points at it.
 */
type Corruption = readonly [reason: string, applies: (e: Record<string, unknown>) => boolean, apply: (e: Record<string, unknown>) => void];

const CORRUPTIONS: readonly Corruption[] = [
  ['generation_missing_model', (e) => e.type === 'generation', (e) => { delete e.model; }],
  ['usage_tokens_as_string', (e) => e.type === 'generation', (e) => { const u = e.usage as Record<string, unknown>; u.input_tokens = String(u.input_tokens); }],
  ['occurred_at_epoch_number', () => true, (e) => { e.occurred_at = Date.parse(e.occurred_at as string); }],
  ['unknown_field_userId', (e) => typeof e.user_id === 'string', (e) => { e.userId = e.user_id; }],
  ['no_user_or_anonymous_id', (e) => e.type !== 'erasure_request', (e) => { delete e.user_id; delete e.anonymous_id; }],
  ['target_missing', (e) => e.type === 'feedback' || e.type === 'outcome', (e) => { delete e.target; }],
  ['outcome_kind_upper_case', (e) => e.type === 'outcome', (e) => { e.kind = (e.kind as string).toUpperCase(); }],
  ['consent_granted_as_string', (e) => e.type === 'consent', (e) => { e.granted = e.granted ? 'yes' : 'no'; }],
];

/** A broken copy of the event (the original is not sent) and the reason, or null when nothing applies. */
export function corrupt(random: Random, event: Record<string, unknown>): { event: Record<string, unknown>; reason: string } | null {
  const candidates = CORRUPTIONS.filter(([, applies]) => applies(event));
  if (candidates.length === 0) return null;
  const [reason, , apply] = random.pick(candidates);
  const copy = structuredClone(event);
  apply(copy);
  return { event: copy, reason };
}
