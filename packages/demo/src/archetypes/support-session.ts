import type { SupportScript } from '../content/support-script.ts';
import { SUPPORT_TOOLS } from '../content/support-tools.ts';
import { phone } from '../content/pii-values.ts';
import { chatCompletionId, toolCallId } from '../ids.ts';
import { generationFields, truncate } from './generation.ts';
import type { SessionWriter } from './session-writer.ts';

export const SUPPORT_SYSTEM_PROMPT = 'You are Nova, the support assistant of Northwind Outdoor. Answer in the customer’s language, '
  + 'be brief and friendly, use the tools to look up orders, never ask for card numbers, and offer a human agent when you cannot help.';

const SUPPORT_MODELS: ReadonlyArray<readonly [number, string]> = [[8, 'llama-3.1-8b-instruct'], [2, 'qwen2.5-7b-instruct']];

type Message = Record<string, unknown>;

/**
 * A support-widget conversation: the widget opens, the customer writes, the assistant calls
 * order tools and answers; the customer rates answers, an agent corrects some, a few answers are
 * regenerated; the conversation ends resolved, escalated to a human, or abandoned.
 */
export function writeSupportSession(w: SessionWriter, script: SupportScript): void {
  const r = w.random;
  const model = r.weighted(SUPPORT_MODELS);
  w.emit('track', { name: 'chat_widget_opened', properties: { page: r.pick(['/orders', '/help', '/checkout', '/account', '/']) } });
  const history: Message[] = [{ role: 'system', content: SUPPORT_SYSTEM_PROMPT }];
  let lastGeneration = '';
  let goodAnswers = 0;
  let echo = script.echo ? (`duplicate_${script.echo}` as const) : undefined;

  for (const turn of script.turns) {
    w.wait(r.int(6_000, 70_000));
    history.push({ role: 'user', content: turn.user });
    if (turn.tool) {
      const call = { id: toolCallId(r), type: 'function', function: { name: turn.tool.name, arguments: JSON.stringify(turn.tool.args) } };
      const callMessage = { role: 'assistant', content: null, tool_calls: [call] };
      w.wait(r.int(400, 1_500));
      w.emit('generation', generationFields(r, {
        generationId: chatCompletionId(r), model, input: [...history], output: [callMessage], finishReason: 'tool_calls',
        tools: SUPPORT_TOOLS, temperature: 0.3, maxTokens: 512, latencyMs: r.int(350, 1400),
      }), { tally: echo });
      echo = undefined;
      history.push(callMessage);
      w.wait(r.int(150, 2_500));
      history.push({ role: 'tool', tool_call_id: call.id, content: turn.tool.result });
    }
    const finishReason = r.weighted<string>([[970, 'stop'], [25, 'length'], [5, 'content_filter']]);
    const reply = finishReason === 'length' ? truncate(turn.reply, r) : finishReason === 'content_filter' ? '' : turn.reply;
    w.wait(r.int(600, 4_000));
    const generationId = chatCompletionId(r);
    w.emit('generation', generationFields(r, {
      generationId, model, input: [...history], output: [{ role: 'assistant', content: reply }], finishReason,
      ...(turn.tool ? { tools: SUPPORT_TOOLS } : {}), temperature: 0.3, maxTokens: 512, latencyMs: r.int(500, 3800),
    }), { tally: echo });
    echo = undefined;
    lastGeneration = generationId;
    let answer = reply;
    const weak = turn.tool?.failed === true || finishReason !== 'stop';

    if (r.chance(weak ? 0.3 : 0.04)) {
      // The customer clicks "regenerate": the same prompt again, a second wording.
      w.wait(r.int(2_000, 9_000));
      w.emit('outcome', { target: { generation_id: generationId }, kind: 'regenerated' });
      const retryId = chatCompletionId(r);
      w.wait(r.int(600, 3_500));
      w.emit('generation', generationFields(r, {
        generationId: retryId, model, input: [...history], output: [{ role: 'assistant', content: turn.alternative }], finishReason: 'stop',
        ...(turn.tool ? { tools: SUPPORT_TOOLS } : {}), temperature: 0.7, maxTokens: 512, latencyMs: r.int(500, 3800),
      }));
      lastGeneration = retryId;
      answer = turn.alternative;
    }
    if (r.chance(0.22)) {
      w.wait(r.int(1_500, 12_000));
      const up = r.chance(weak ? 0.2 : 0.82);
      if (up) goodAnswers++;
      w.emit('feedback', { target: { generation_id: lastGeneration }, kind: 'thumbs', value: up ? 'up' : 'down' });
    } else if (r.chance(0.03)) {
      // A human agent reviewing the transcript fixes the answer.
      w.wait(r.int(60_000, 3_600_000));
      w.emit('feedback', { target: { generation_id: lastGeneration }, kind: 'correction', correction: turn.alternative, properties: { reviewer: 'agent' } });
    }
    history.push({ role: 'assistant', content: answer });
  }
  endSupportSession(w, script, lastGeneration, goodAnswers);
}

function endSupportSession(w: SessionWriter, script: SupportScript, lastGeneration: string, goodAnswers: number): void {
  const r = w.random;
  const session = { session_id: w.identity.sessionId };
  w.wait(r.int(5_000, 120_000));
  if (script.wantsHuman) {
    w.emit('track', { name: 'handoff_requested', properties: { queue: r.pick(['orders', 'payments', 'general']) } });
    w.emit('outcome', { target: session, kind: 'escalated' });
  } else if (r.chance(0.85)) {
    const resolved = r.chance(Math.min(0.95, script.resolvable + goodAnswers * 0.05));
    w.emit('outcome', { target: session, kind: resolved ? 'resolved' : 'abandoned', ...(resolved ? { value: true } : {}) });
  }
  if (r.chance(0.06)) {
    w.wait(r.int(2_000, 30_000));
    w.emit('feedback', { target: session, kind: 'rating', value: r.weighted([[1, 1], [1, 2], [2, 3], [4, 4], [5, 5]] as const) });
  }
  if (r.chance(0.03) && lastGeneration) {
    w.wait(r.int(2_000, 30_000));
    const callback = r.chance(0.4) ? ` If anything changes call me on ${w.plants.plant(phone(r))}.` : '';
    w.emit('feedback', { target: session, kind: 'comment', comment: `${r.pick(['Quick and helpful.', 'The bot did not understand my question.', 'Would be nice to see the tracking link directly.'])}${callback}` });
  }
}
