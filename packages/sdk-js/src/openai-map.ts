/**
 * Maps the chat-completions wire format (requests, responses, streamed chunks) onto the fields of a
 * `generation` event. Typed loosely on purpose: OpenAI-compatible servers (vLLM, Ollama, gateways)
 * differ in details, and the wrapper must never break on a field it does not know.
 */
import type { AssistantMessage, ChatMessage, MessageContent, MessageRole, ModelParameters, TokenUsage, ToolCall, ToolDefinition } from './schema.gen.ts';
import type { GenerationInput } from './types.ts';

export interface WireToolCall {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
  custom?: { name?: string; input?: string };
}

export interface WireMessage {
  role?: string;
  content?: unknown;
  name?: string;
  refusal?: string | null;
  tool_calls?: WireToolCall[] | null;
  tool_call_id?: string;
}

export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export interface WireChoice {
  index?: number;
  message?: WireMessage;
  delta?: WireMessage;
  finish_reason?: string | null;
}

/** A chat completion, or one chunk of a streamed one (choices carry `delta` instead of `message`). */
export interface WireCompletion {
  id?: string;
  model?: string;
  choices?: WireChoice[];
  usage?: WireUsage | null;
}

export interface ChatRequest {
  model?: string;
  messages?: WireMessage[];
  tools?: Array<{ type?: string; function?: { name?: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null } }>;
  stream?: boolean | null;
  [param: string]: unknown;
}

const roles: Record<string, MessageRole> = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant', tool: 'tool', function: 'tool' };

/** Request fields that are not sampling parameters (or are recorded elsewhere). */
const notParams = new Set(['messages', 'model', 'tools', 'stream', 'stream_options', 'metadata', 'store', 'user', 'safety_identifier']);

function toolCalls(calls: WireToolCall[] | null | undefined): ToolCall[] | undefined {
  const mapped = (calls ?? []).flatMap((c): ToolCall[] => {
    const name = c.function?.name ?? c.custom?.name;
    if (name === undefined) return [];
    return [{ id: c.id ?? '', type: 'function', function: { name, arguments: c.function?.arguments ?? c.custom?.input ?? '' } }];
  });
  return mapped.length > 0 ? mapped : undefined;
}

/** One message in the contract's closed OpenAI shape: fields the contract does not know are left out. */
export function toMessage(wire: WireMessage): ChatMessage {
  const role = roles[wire.role ?? ''] ?? 'user';
  const calls = toolCalls(wire.tool_calls);
  const message: ChatMessage = { role };
  // content may be null only beside tool calls; a refusal is the text the model gave instead.
  if (wire.content != null || !calls) message.content = (wire.content ?? wire.refusal ?? '') as MessageContent;
  if (wire.name) message.name = wire.name;
  if (calls) message.tool_calls = calls;
  if (role === 'tool') message.tool_call_id = wire.tool_call_id ?? wire.name ?? '';
  return message;
}

function toTools(request: ChatRequest): ToolDefinition[] {
  return (request.tools ?? []).flatMap((t): ToolDefinition[] => {
    if (t.type !== 'function' || !t.function?.name) return [];
    const { name, description, parameters, strict } = t.function;
    return [{
      type: 'function',
      function: {
        name,
        ...(description != null && { description }),
        ...(parameters != null && { parameters }),
        ...(typeof strict === 'boolean' && { strict }),
      },
    }];
  });
}

function toUsage(usage: WireUsage): TokenUsage {
  const counters: TokenUsage = { input_tokens: usage.prompt_tokens ?? 0, output_tokens: usage.completion_tokens ?? 0 };
  const extra = {
    total_tokens: usage.total_tokens,
    cached_input_tokens: usage.prompt_tokens_details?.cached_tokens,
    reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens,
  };
  for (const [key, value] of Object.entries(extra)) if (Number.isInteger(value) && value! >= 0) counters[key] = value;
  return counters;
}

/** What the request contributes: the input messages, tools and sampling parameters. */
export function requestFields(request: ChatRequest): Pick<GenerationInput, 'input'> & Partial<Pick<GenerationInput, 'tools' | 'params'>> {
  const params: ModelParameters = {};
  for (const [key, value] of Object.entries(request)) if (!notParams.has(key) && value != null) params[key] = value;
  const tools = toTools(request);
  return {
    input: (request.messages ?? []).map(toMessage),
    ...(tools.length > 0 && { tools }),
    ...(Object.keys(params).length > 0 && { params }),
  };
}

/** What the response contributes: output messages (one per choice), finish reason, usage, model and id. */
export function completionFields(completion: WireCompletion): Pick<GenerationInput, 'output'> & Partial<Pick<GenerationInput, 'finish_reason' | 'usage' | 'model' | 'generation_id'>> {
  const choices = [...(completion.choices ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const finish = choices[0]?.finish_reason;
  return {
    output: choices.map((c) => ({ ...toMessage(c.message ?? {}), role: 'assistant' }) as AssistantMessage),
    ...(finish != null && { finish_reason: finish }),
    ...(completion.usage != null && { usage: toUsage(completion.usage) }),
    ...(completion.model && { model: completion.model }),
    ...(completion.id && { generation_id: completion.id }),
  };
}

/** Folds streamed chunks into the completion they add up to. */
interface StreamedChoice {
  content?: string;
  refusal?: string;
  calls: Map<number, { id: string; type: string; function: { name: string; arguments: string } }>;
  finish?: string;
}

export function createChunkAccumulator(): { add(chunk: WireCompletion): void; completion(): WireCompletion } {
  const result: WireCompletion = {};
  const choices = new Map<number, StreamedChoice>();
  return {
    add(chunk) {
      if (chunk.id) result.id ??= chunk.id;
      if (chunk.model) result.model ??= chunk.model;
      if (chunk.usage) result.usage = chunk.usage;
      for (const c of chunk.choices ?? []) {
        const index = c.index ?? 0;
        const choice: StreamedChoice = choices.get(index) ?? { calls: new Map() };
        choices.set(index, choice);
        const delta = c.delta ?? {};
        if (typeof delta.content === 'string') choice.content = (choice.content ?? '') + delta.content;
        if (delta.refusal) choice.refusal = (choice.refusal ?? '') + delta.refusal;
        for (const t of delta.tool_calls ?? []) {
          const call = choice.calls.get(t.index ?? 0) ?? { id: '', type: 'function', function: { name: '', arguments: '' } };
          choice.calls.set(t.index ?? 0, call);
          if (t.id) call.id = t.id;
          call.function.name += t.function?.name ?? '';
          call.function.arguments += t.function?.arguments ?? '';
        }
        if (c.finish_reason) choice.finish = c.finish_reason;
      }
    },
    completion: () => ({
      ...result,
      choices: [...choices].map(([index, c]) => ({
        index,
        finish_reason: c.finish ?? null,
        message: {
          role: 'assistant',
          content: c.content ?? null,
          refusal: c.refusal ?? null,
          tool_calls: [...c.calls].sort(([a], [b]) => a - b).map(([, call]) => call),
        },
      })),
    }),
  };
}
