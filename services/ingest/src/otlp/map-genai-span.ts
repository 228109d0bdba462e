import { countAttr, hasAttrWithPrefix, numberAttr, stringAttr, stringListAttr } from './attributes.ts';
import { fillToolCallIds, setDefined, type CallContent, type JsonObject } from './messages.ts';
import { STATUS_CODE_ERROR, type Attributes, type OtlpSpanRecord } from './model.ts';
import { readOpenInferenceContent } from './openinference-messages.ts';
import { readOpenLlmetryContent } from './openllmetry-messages.ts';
import { readSemconvContent } from './semconv-messages.ts';
import { generationIdOf, isoFromNanos, otlpEventId, spanIdentity } from './span-identity.ts';

/** `gen_ai.operation.name` values that are one model call; agents, tools and embeddings are not. */
const MODEL_CALL_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'completion']);

/**
 * Whether a span records one call to a generative model. The operation name decides when the
 * span has one (semconv `gen_ai.operation.name`, OpenLLMetry `llm.request.type`, OpenInference
 * `openinference.span.kind`); otherwise the presence of a model or of messages does.
 */
export function isModelCallSpan(attrs: Attributes): boolean {
  const operation = stringAttr(attrs, 'gen_ai.operation.name');
  if (operation !== undefined) return MODEL_CALL_OPERATIONS.has(operation);
  const requestType = stringAttr(attrs, 'llm.request.type');
  if (requestType !== undefined) return requestType === 'chat' || requestType === 'completion';
  const openInferenceKind = stringAttr(attrs, 'openinference.span.kind');
  if (openInferenceKind !== undefined) return openInferenceKind.toUpperCase() === 'LLM';
  return ['gen_ai.request.model', 'gen_ai.response.model', 'gen_ai.input.messages', 'gen_ai.output.messages'].some((k) => attrs.has(k))
    || hasAttrWithPrefix(attrs, 'gen_ai.prompt.') || hasAttrWithPrefix(attrs, 'gen_ai.completion.');
}

/**
 * Maps a model-call span to a `generation` event (undefined for any other span). The event is a
 * candidate: whatever the span lacks (a model name, say) is left out, and validation decides.
 * Content comes from the first convention that has it: current semconv, then OpenLLMetry's
 * indexed attributes, then OpenInference.
 */
export function mapGenAiSpan(record: OtlpSpanRecord): JsonObject | undefined {
  const { span } = record;
  const attrs = span.attributes;
  if (!isModelCallSpan(attrs)) return undefined;

  const contents = [readSemconvContent(attrs), readOpenLlmetryContent(attrs), readOpenInferenceContent(attrs)];
  const first = <K extends keyof CallContent>(key: K): CallContent[K] | undefined => contents.map((c) => c[key]).find((v) => v !== undefined);
  const input = first('input') ?? [];
  const output = first('output') ?? [];
  fillToolCallIds(input, output);

  const model = stringAttr(attrs, 'gen_ai.request.model', 'gen_ai.response.model', 'llm.request.model_name', 'llm.model_name', 'llm.response.model_name');
  const responseModel = stringAttr(attrs, 'gen_ai.response.model', 'llm.response.model_name');
  const end = span.endTimeUnixNano > 0n ? span.endTimeUnixNano : span.startTimeUnixNano;

  const event: JsonObject = { event_id: otlpEventId(span.traceId, span.spanId), type: 'generation' };
  setDefined(event, 'occurred_at', isoFromNanos(end));
  Object.assign(event, spanIdentity(record));
  if (span.parentSpanId) event.parent_id = span.parentSpanId;
  event.generation_id = generationIdOf(record);
  setDefined(event, 'model', model);
  // Semconv provider names are lower case; OpenLLMetry writes `OpenAI`, `Anthropic`.
  setDefined(event, 'provider', stringAttr(attrs, 'gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system')?.toLowerCase());
  event.input = input;
  event.output = output;
  setDefined(event, 'finish_reason', first('finishReason')
    ?? stringListAttr(attrs, 'gen_ai.response.finish_reasons')?.[0]
    ?? (span.statusCode === STATUS_CODE_ERROR ? 'error' : undefined));
  setDefined(event, 'tools', first('tools'));
  setDefined(event, 'params', params(attrs, contents.map((c) => c.params)));
  setDefined(event, 'usage', usage(attrs));
  if (span.startTimeUnixNano > 0n && span.endTimeUnixNano >= span.startTimeUnixNano) {
    event.latency_ms = Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;
  }

  const otel: JsonObject = { span_id: span.spanId, span_name: span.name };
  setDefined(otel, 'service_name', stringAttr(record.resource, 'service.name'));
  setDefined(otel, 'scope_name', record.scope.name || undefined);
  setDefined(otel, 'operation_name', stringAttr(attrs, 'gen_ai.operation.name'));
  setDefined(otel, 'response_id', stringAttr(attrs, 'gen_ai.response.id'));
  setDefined(otel, 'response_model', responseModel !== model ? responseModel : undefined);
  setDefined(otel, 'error_type', stringAttr(attrs, 'error.type'));
  event.properties = { otel };
  return event;
}

/** Sampling parameters: semconv `gen_ai.request.*` first, then what another convention adds. */
function params(attrs: Attributes, fromContents: ReadonlyArray<JsonObject | undefined>): JsonObject | undefined {
  const out: JsonObject = {};
  for (const extra of [...fromContents].reverse()) if (extra) Object.assign(out, extra);
  setDefined(out, 'temperature', numberAttr(attrs, 'gen_ai.request.temperature'));
  setDefined(out, 'top_p', numberAttr(attrs, 'gen_ai.request.top_p'));
  setDefined(out, 'top_k', numberAttr(attrs, 'gen_ai.request.top_k'));
  setDefined(out, 'max_tokens', countAttr(attrs, 'gen_ai.request.max_tokens'));
  setDefined(out, 'frequency_penalty', numberAttr(attrs, 'gen_ai.request.frequency_penalty'));
  setDefined(out, 'presence_penalty', numberAttr(attrs, 'gen_ai.request.presence_penalty'));
  const seed = numberAttr(attrs, 'gen_ai.request.seed');
  setDefined(out, 'seed', seed !== undefined && Number.isSafeInteger(seed) ? seed : undefined);
  setDefined(out, 'stop', stringListAttr(attrs, 'gen_ai.request.stop_sequences'));
  setDefined(out, 'n', countAttr(attrs, 'gen_ai.request.choice.count'));
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Token counts; only when both input and output counts are known (the contract requires both). */
function usage(attrs: Attributes): JsonObject | undefined {
  const input = countAttr(attrs, 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt');
  const output = countAttr(attrs, 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion');
  if (input === undefined || output === undefined) return undefined;
  const out: JsonObject = { input_tokens: input, output_tokens: output };
  setDefined(out, 'total_tokens', countAttr(attrs, 'llm.usage.total_tokens', 'gen_ai.usage.total_tokens', 'llm.token_count.total'));
  setDefined(out, 'cache_read_input_tokens', countAttr(attrs,
    'gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens', 'llm.token_count.prompt_details.cache_read'));
  setDefined(out, 'cache_creation_input_tokens', countAttr(attrs,
    'gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_creation_input_tokens', 'llm.token_count.prompt_details.cache_write'));
  setDefined(out, 'reasoning_tokens', countAttr(attrs, 'gen_ai.usage.reasoning.output_tokens', 'llm.token_count.completion_details.reasoning'));
  return out;
}
