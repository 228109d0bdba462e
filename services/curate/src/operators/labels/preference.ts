import type { SampleLabels, SampleMessage } from '@sluice/core';

export type PreferencePair = NonNullable<SampleLabels['preference']>;

/**
 * What a message list says, for telling two answers apart: trimmed text plus any tool calls, so
 * that whitespace-only edits count as no edit while a different tool call still counts.
 */
function answerFingerprint(messages: readonly SampleMessage[]): string {
  return messages
    .map((message) => (message.content ?? '').trim() + (message.tool_calls === undefined ? '' : JSON.stringify(message.tool_calls)))
    .join('\n')
    .trim();
}

/**
 * A chosen/rejected pair, or null when both sides say the same thing (an "edit" that changed
 * nothing teaches no preference). The prompt side is the sample's prompt, which the exporter
 * adds. No margin: only the rejected side has a measured reward, so any margin would be invented.
 * Messages are copied so that the labels never alias the sample's own conversation.
 */
function pairOrNull(chosen: SampleMessage[], rejected: readonly SampleMessage[], reason: string): PreferencePair | null {
  if (answerFingerprint(chosen) === answerFingerprint(rejected)) return null;
  return { chosen: structuredClone(chosen), rejected: structuredClone([...rejected]), reason };
}

/** The user's own text (edited final text or a correction) is preferred to the model's answer. */
export function userTextPair(text: string | undefined, completion: readonly SampleMessage[], reason: string): PreferencePair | null {
  if (text === undefined || text.trim() === '') return null;
  return pairOrNull([{ role: 'assistant', content: text }], completion, reason);
}

/** The answer the user kept after regenerating is preferred to the one they discarded. */
export function regenerationPair(completion: readonly SampleMessage[], previousAttempt: readonly SampleMessage[] | null): PreferencePair | null {
  if (previousAttempt === null) return null;
  return pairOrNull([...completion], previousAttempt, 'regenerated');
}
