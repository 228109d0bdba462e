import type { Sample, SampleMessage } from '@sluice/core';
import { z } from 'zod';
import { drop, keep, type SampleStep } from './step.ts';

/**
 * `filters`: cheap structural checks on a candidate. Each rule that drops a sample names itself in
 * the funnel (`filter:max_chars`, …) so a steward sees which rule removed what.
 */
export const filtersSectionSchema = z.strictObject({
  /** Bounds on the characters of all message text (prompt + completion). */
  min_chars: z.number().int().nonnegative().default(1),
  max_chars: z.number().int().positive().default(200_000),
  /** Most messages in prompt + completion. */
  max_turns: z.number().int().positive().default(100),
  /** Drop samples whose completion has no text and no tool call. */
  drop_empty_completion: z.boolean().default(true),
  /** Drop samples where a tool result in the prompt reports an error (see toolCallFailed). */
  drop_failed_tool_calls: z.boolean().default(true),
  /** finish_reason values that disqualify a sample (a truncated or filtered answer is no target). */
  exclude_finish_reasons: z.array(z.string()).default(['length', 'content_filter', 'error']),
  /** Keep only samples with at least one feedback or outcome attached. */
  require_signal: z.boolean().default(false),
}).prefault({});

export type FiltersSection = z.infer<typeof filtersSectionSchema>;

export function createFiltersStep(section: FiltersSection): SampleStep {
  const excludedFinish = new Set(section.exclude_finish_reasons);
  return {
    name: 'filters',
    run(sample: Sample) {
      const messages = [...sample.prompt, ...sample.completion];
      const chars = messages.reduce((n, m) => n + (m.content?.length ?? 0), 0);
      if (chars < section.min_chars) return drop('filter:min_chars');
      if (chars > section.max_chars) return drop('filter:max_chars');
      if (messages.length > section.max_turns) return drop('filter:max_turns');
      if (section.drop_empty_completion && !sample.completion.some(hasPayload)) return drop('filter:empty_completion');
      if (sample.finishReason !== null && excludedFinish.has(sample.finishReason)) return drop('filter:finish_reason');
      if (section.drop_failed_tool_calls && sample.prompt.some(toolCallFailed)) return drop('filter:failed_tool_call');
      if (section.require_signal && sample.signals.length === 0) return drop('filter:no_signal');
      return keep(sample);
    },
  };
}

function hasPayload(message: SampleMessage): boolean {
  return (message.content !== null && message.content.trim().length > 0) || (message.tool_calls?.length ?? 0) > 0;
}

/**
 * A tool message reports failure when its content is a JSON object with a truthy `error` (or
 * `ok: false` / `success: false`), or plain text starting with "Error" / "Exception" /
 * "Traceback". Heuristic by necessity: tool results are free-form.
 */
export function toolCallFailed(message: SampleMessage): boolean {
  if (message.role !== 'tool' || message.content === null) return false;
  const text = message.content.trim();
  if (/^(error|exception|traceback)\b/i.test(text)) return true;
  if (!text.startsWith('{')) return false;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Boolean(parsed.error) || parsed.ok === false || parsed.success === false;
  } catch {
    return false;
  }
}
