/**
 * `wrapOpenAI(client, sluice)`: records a `generation` event for every `chat.completions.create`
 * call of an `openai` client (or any client of that shape), streamed responses included, and hands
 * the caller exactly what the call returned — the same object, never a copy.
 */
import { completionFields, createChunkAccumulator, requestFields, type ChatRequest, type WireCompletion } from './openai-map.ts';
import type { GenerationInput, SluiceClient } from './types.ts';

export type { ChatRequest } from './openai-map.ts';

/** The part of an `openai` client this wrapper touches. */
export interface OpenAILike {
  chat: { completions: { create(...args: never[]): unknown } };
}

export interface WrapOpenAIOptions {
  /** Fields merged into each recorded generation (user, session, properties, …); a function receives the request. */
  fields?: Partial<GenerationInput> | ((request: ChatRequest) => Partial<GenerationInput>);
  /** `provider` of the recorded generations. Default `openai`. */
  provider?: string;
  /** Called when recording fails (the call itself is never affected). */
  onError?: (error: unknown) => void;
}

type Create = (request: ChatRequest, options?: unknown) => unknown;
/** openai's APIPromise: `_thenUnwrap` transforms the parsed result lazily, keeping `withResponse()` and `asResponse()` working. */
interface ApiPromiseLike {
  _thenUnwrap?: (transform: (value: unknown) => unknown) => unknown;
  then?: PromiseLike<unknown>['then'];
}
interface StreamLike {
  iterator?: () => AsyncIterator<WireCompletion>;
  [Symbol.asyncIterator]?: () => AsyncIterator<WireCompletion>;
}

const wrapped = Symbol.for('sluice.wrapOpenAI');

/**
 * Patches `client.chat.completions.create` in place and returns the client. The generation's id is
 * the completion's `id` (`chatcmpl-…`), so feedback can target it: `{ generation_id: completion.id }`.
 * Calls that fail are not recorded (they produced nothing to learn from).
 */
export function wrapOpenAI<C extends OpenAILike>(client: C, sluice: Pick<SluiceClient, 'generation'>, options: WrapOpenAIOptions = {}): C {
  const completions = client.chat.completions as unknown as { create: Create; [wrapped]?: true };
  if (completions[wrapped]) return client;
  const create = completions.create.bind(completions);

  const record = (request: ChatRequest, completion: WireCompletion, startedAt: number): void => {
    try {
      const fields = typeof options.fields === 'function' ? options.fields(request) : options.fields;
      sluice.generation({
        model: request.model ?? 'unknown',
        provider: options.provider ?? 'openai',
        ...requestFields(request),
        ...completionFields(completion),
        latency_ms: Date.now() - startedAt,
        ...fields,
      });
    } catch (error) {
      options.onError?.(error);
    }
  };

  completions.create = function createAndRecord(request: ChatRequest, requestOptions?: unknown): unknown {
    const startedAt = Date.now();
    const result = create(request, requestOptions) as ApiPromiseLike;
    const observe = (value: unknown): unknown => {
      if (request?.stream) observeStream(value as StreamLike, (completion) => record(request, completion, startedAt));
      else record(request, value as WireCompletion, startedAt);
      return value;
    };
    if (typeof result?._thenUnwrap === 'function') return result._thenUnwrap(observe);
    // Another promise: observe it on the side (our callback runs before the caller's) and return it untouched.
    result?.then?.(observe, () => undefined);
    return result;
  };
  completions[wrapped] = true;
  return client;
}

/**
 * Taps the stream's iterator on the instance itself: the caller keeps the same Stream object (with
 * `tee()`, `toReadableStream()`, `controller`), and each chunk is seen as the caller reads it.
 * `done` runs once, when the stream ends, fails or the caller stops reading.
 */
function observeStream(stream: StreamLike, done: (completion: WireCompletion) => void): void {
  const key = typeof stream?.iterator === 'function' ? 'iterator' : Symbol.asyncIterator;
  const original = stream?.[key];
  if (typeof original !== 'function') return;
  const accumulator = createChunkAccumulator();
  let finished = false;
  stream[key] = () => tap(original.call(stream), accumulator.add, () => {
    if (finished) return;
    finished = true;
    done(accumulator.completion());
  });
}

async function* tap(source: AsyncIterator<WireCompletion>, onChunk: (chunk: WireCompletion) => void, onEnd: () => void): AsyncGenerator<WireCompletion> {
  try {
    for await (const chunk of { [Symbol.asyncIterator]: () => source }) {
      try {
        onChunk(chunk);
      } catch {
        // an odd chunk must not break the caller's stream
      }
      yield chunk;
    }
  } finally {
    onEnd();
  }
}
