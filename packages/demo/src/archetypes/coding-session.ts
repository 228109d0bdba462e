import { chatEditTask, type ChatEditTask } from '../content/coding-chat.ts';
import type { CompletionTask } from '../content/code-completions.ts';
import { completionId } from '../ids.ts';
import { generationFields, truncate } from './generation.ts';
import type { SessionWriter } from './session-writer.ts';

export const COMPLETION_SYSTEM_PROMPT = 'You are a code completion engine. Reply with the code that replaces <CURSOR>, nothing else.';
export const CHAT_SYSTEM_PROMPT = 'You are a coding assistant inside the developer’s IDE. Answer with working code first, then one or two sentences of explanation. '
  + 'Point out hard-coded credentials when you see them.';

const COMPLETION_MODELS: ReadonlyArray<readonly [number, string]> = [[8, 'qwen2.5-coder-7b-instruct'], [2, 'qwen2.5-coder-1.5b-instruct']];
// Experiments run beside the production model; the coding ruleset excludes `*-preview`.
const CHAT_MODELS: ReadonlyArray<readonly [number, string]> = [[8, 'qwen2.5-coder-32b-instruct'], [1, 'deepseek-coder-v2-lite-preview']];

export interface CodingSessionPlan {
  /** The next completion task: fresh from the templates, or an echo of an earlier prompt. */
  nextCompletion(): CompletionTask;
}

/**
 * An IDE session: inline completions while the developer types, now and then a chat request with
 * pasted code. Each suggestion is accepted, rejected, edited (with the code kept), regenerated or
 * ignored; test runs after a change report task_success or task_failure.
 */
export function writeCodingSession(w: SessionWriter, plan: CodingSessionPlan): void {
  const r = w.random;
  const actions = Math.round(r.weighted([[3, 4], [4, 8], [2, 16], [1, 30]] as const) * (0.7 + r.float() * 0.6));
  for (let i = 0; i < actions; i++) {
    if (r.chance(0.72)) writeCompletion(w, plan.nextCompletion());
    else writeChatEdit(w, chatEditTask(r, w.plants));
  }
}

function writeCompletion(w: SessionWriter, task: CompletionTask): void {
  const r = w.random;
  const model = r.weighted(COMPLETION_MODELS);
  const input = [{ role: 'system', content: COMPLETION_SYSTEM_PROMPT }, { role: 'user', content: `// ${task.path}\n${task.context}` }];
  const properties = { trigger: r.weighted([[8, 'inline'], [2, 'manual']] as const), file_extension: task.path.slice(task.path.lastIndexOf('.')) };
  w.wait(r.exponential(25_000));
  const generationId = completionId(r);
  w.emit('generation', generationFields(r, {
    generationId, model, input, output: [{ role: 'assistant', content: task.completion }], finishReason: 'stop',
    temperature: 0.1, maxTokens: 256, latencyMs: r.int(90, 600), properties,
  }), { tally: task.echo ? `duplicate_${task.echo}` : undefined });
  w.wait(r.int(400, 6_000));
  const kind = r.weighted<string | null>([[34, 'accepted'], [38, 'rejected'], [9, 'edited'], [6, 'regenerated'], [13, null]]);
  if (kind === null) return;
  if (kind === 'edited') {
    w.emit('outcome', { target: { generation_id: generationId }, kind: 'edited', final_text: task.edited, value: Math.round(r.float() * 100) / 100 });
  } else {
    w.emit('outcome', { target: { generation_id: generationId }, kind });
  }
  if (kind === 'regenerated') {
    const retryId = completionId(r);
    w.wait(r.int(300, 2_000));
    w.emit('generation', generationFields(r, {
      generationId: retryId, model, input, output: [{ role: 'assistant', content: task.alternative }], finishReason: 'stop',
      temperature: 0.4, maxTokens: 256, latencyMs: r.int(90, 600), properties: { ...properties, trigger: 'regenerate' },
    }));
    w.wait(r.int(400, 5_000));
    w.emit('outcome', { target: { generation_id: retryId }, kind: r.chance(0.6) ? 'accepted' : 'rejected' });
    return;
  }
  if ((kind === 'accepted' || kind === 'edited') && r.chance(0.2)) writeTestRun(w, generationId);
}

function writeChatEdit(w: SessionWriter, task: ChatEditTask): void {
  const r = w.random;
  const model = r.weighted(CHAT_MODELS);
  const input = [{ role: 'system', content: CHAT_SYSTEM_PROMPT }, { role: 'user', content: task.request }];
  w.wait(r.int(20_000, 240_000));
  const generationId = completionId(r);
  const finishReason = r.weighted<string>([[97, 'stop'], [3, 'length']]);
  w.emit('generation', generationFields(r, {
    generationId, model, input, output: [{ role: 'assistant', content: finishReason === 'length' ? truncate(task.answer, r) : task.answer }], finishReason,
    temperature: 0.2, maxTokens: 2048, latencyMs: r.int(1_200, 14_000), properties: { surface: 'chat', task: task.kind },
  }));
  w.wait(r.int(5_000, 90_000));
  const kind = r.weighted<string | null>([[30, 'accepted'], [14, 'edited'], [18, 'rejected'], [7, 'regenerated'], [8, 'copied'], [23, null]]);
  if (kind === 'edited') w.emit('outcome', { target: { generation_id: generationId }, kind, final_text: task.edited });
  else if (kind !== null) w.emit('outcome', { target: { generation_id: generationId }, kind });
  if (kind === 'regenerated') {
    const retryId = completionId(r);
    w.wait(r.int(1_500, 12_000));
    w.emit('generation', generationFields(r, {
      generationId: retryId, model, input, output: [{ role: 'assistant', content: task.alternative }], finishReason: 'stop',
      temperature: 0.6, maxTokens: 2048, latencyMs: r.int(1_200, 14_000), properties: { surface: 'chat', task: task.kind },
    }));
    w.wait(r.int(5_000, 60_000));
    w.emit('outcome', { target: { generation_id: retryId }, kind: r.chance(0.65) ? 'accepted' : 'rejected' });
    return;
  }
  if (r.chance(0.1)) w.emit('feedback', { target: { generation_id: generationId }, kind: 'thumbs', value: kind === 'rejected' ? 'down' : r.chance(0.8) ? 'up' : 'down' });
  if (kind === 'accepted' || kind === 'edited' || kind === 'copied') {
    if (r.chance(0.45)) writeTestRun(w, generationId);
  }
}

/** The developer runs the tests after applying the suggestion: the strongest signal a coding assistant gets. */
function writeTestRun(w: SessionWriter, generationId: string): void {
  const r = w.random;
  w.wait(r.int(20_000, 600_000));
  const total = r.int(4, 240);
  const failed = r.chance(0.3) ? r.int(1, Math.max(1, Math.floor(total / 5))) : 0;
  w.emit('outcome', {
    target: { generation_id: generationId }, kind: failed ? 'task_failure' : 'task_success', value: Math.round(((total - failed) / total) * 1000) / 1000,
    properties: { runner: r.pick(['vitest', 'pytest', 'go test', 'jest']), tests_total: total, tests_failed: failed },
  });
}
