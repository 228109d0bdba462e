import type { Sample, SampleMessage } from '@sluice/core';
import { z } from 'zod';
import { builtinPiiTypes, createRedactor, type PiiPolicy, type Redactor } from '../pii/index.ts';
import { drop, keep, type SampleStep } from './step.ts';

const action = z.enum(['mask', 'pseudonymize', 'drop_sample']);

/** `pii`: which detectors run and what happens to each type found. */
export const piiSectionSchema = z.strictObject({
  enabled: z.boolean().default(true),
  detectors: z.partialRecord(z.enum(builtinPiiTypes), z.boolean()).default({}),
  actions: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an upper-case PII type'), action).default({}),
  default_action: action.default('mask'),
  custom: z.array(z.strictObject({
    name: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'an upper-case identifier'),
    pattern: z.string().min(1),
    flags: z.string().regex(/^[imsuv]*$/).optional(),
  })).default([]),
  allow: z.strictObject({ values: z.array(z.string()).default([]), patterns: z.array(z.string()).default([]) }).prefault({}),
  include_private_ips: z.boolean().default(false),
}).prefault({});

export type PiiSection = z.infer<typeof piiSectionSchema>;

export function toPiiPolicy(section: PiiSection): PiiPolicy {
  return {
    detectors: section.detectors,
    actions: section.actions,
    defaultAction: section.default_action,
    custom: section.custom.map((c) => ({ name: c.name, pattern: c.pattern, ...(c.flags === undefined ? {} : { flags: c.flags }) })),
    allow: section.allow,
    ipIncludePrivate: section.include_private_ips,
  };
}

/**
 * Redacts every text a sample carries: message content, tool-call arguments (parsed, redacted by
 * value, re-serialized by the redactor), tool results, corrections, comments, final texts and the
 * preference pairs built from them. Findings are counted by type; values never leave the redactor.
 */
export function createPiiStep(section: PiiSection, deps: { pseudonymKey: string }): SampleStep {
  if (!section.enabled) return { name: 'pii', run: keep };
  const redactor = createRedactor(toPiiPolicy(section), { pseudonymKey: deps.pseudonymKey });
  return {
    name: 'pii',
    run(sample) {
      const findings: Record<string, number> = {};
      let dropSample = false;
      const text = (value: string): string => {
        const result = redactor.redactText(value);
        merge(findings, result.findings);
        dropSample ||= result.drop;
        return result.text;
      };
      const redacted: Sample = {
        ...sample,
        prompt: redactMessages(sample.prompt, text, redactor, findings, () => { dropSample = true; }),
        completion: redactMessages(sample.completion, text, redactor, findings, () => { dropSample = true; }),
        previousAttempt: sample.previousAttempt === null ? null : redactMessages(sample.previousAttempt, text, redactor, findings, () => { dropSample = true; }),
        signals: sample.signals.map((s) => ({
          ...s,
          ...(s.comment === undefined ? {} : { comment: text(s.comment) }),
          ...(s.correction === undefined ? {} : { correction: text(s.correction) }),
          ...(s.finalText === undefined ? {} : { finalText: text(s.finalText) }),
          ...(typeof s.value === 'string' ? { value: text(s.value) } : {}),
        })),
        pii: findings,
      };
      return dropSample ? drop('pii_drop_sample') : keep(redacted);
    },
  };
}

function redactMessages(messages: readonly SampleMessage[], text: (v: string) => string, redactor: Redactor,
  findings: Record<string, number>, onDrop: () => void): SampleMessage[] {
  return messages.map((m) => ({
    ...m,
    content: m.content === null ? null : text(m.content),
    ...(m.tool_calls === undefined ? {} : {
      tool_calls: m.tool_calls.map((call) => {
        const result = redactor.redactValue(call.function.arguments);
        merge(findings, result.findings);
        if (result.drop) onDrop();
        return { ...call, function: { ...call.function, arguments: result.value } };
      }),
    }),
  }));
}

function merge(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [type, n] of Object.entries(from)) into[type] = (into[type] ?? 0) + n;
}
