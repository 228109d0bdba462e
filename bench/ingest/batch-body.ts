/**
 * Realistic batches: 100 generation events of ≈600 bytes (a short support chat: system prompt,
 * user question, assistant answer). Each request gets fresh event_ids so Sluice stores every event
 * (re-sent ids would be cheap duplicates and flatter it).
 */
const ID_PLACEHOLDER = '00000000-0000-7000-8000-00000000000';
const prompts = [
  'Where is my order #48213? It said it would arrive on Tuesday.',
  'How do I reset the password on my account? The link expired.',
  'Can I change the shipping address after the order was placed?',
  'The app crashes when I upload a photo larger than 10 MB.',
];

function event(i: number): Record<string, unknown> {
  return {
    event_id: `${ID_PLACEHOLDER}${i % 10}`.slice(0, 36 - 2) + String(i).padStart(2, '0'),
    type: 'generation',
    occurred_at: '2026-11-29T10:15:00.123Z',
    user_id: `user_${1000 + i}`,
    session_id: `sess_${i % 7}`,
    generation_id: `gen_${i}`,
    model: 'llama-3.1-8b-instruct',
    provider: 'vllm',
    input: [
      { role: 'system', content: 'You are a helpful support assistant for an online shop.' },
      { role: 'user', content: prompts[i % prompts.length] },
    ],
    output: [{ role: 'assistant', content: 'Thanks for reaching out! I checked your order and it is on its way; tracking shows delivery tomorrow before noon.' }],
    finish_reason: 'stop',
    usage: { input_tokens: 58, output_tokens: 31 },
    latency_ms: 812,
  };
}

/** The batch as text split around its ids, and a random run prefix that keeps ids unique across runs. */
function batchTemplate(eventsPerBatch: number): { parts: string[]; run: string } {
  const events = Array.from({ length: eventsPerBatch }, (_, i) => event(i));
  const parts = JSON.stringify({ events }).split(/"00000000-0000-7000-8000-0000000000\d\d"/);
  if (parts.length !== eventsPerBatch + 1) throw new Error('template ids not found');
  return { parts, run: Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0') };
}

/** A JSON body template and a function that stamps a fresh, unique set of ids into it. */
export function createBatchFactory(eventsPerBatch = 100) {
  const { parts, run } = batchTemplate(eventsPerBatch);
  let counter = 0;
  return {
    bytesPerEvent: parts.join('').length / eventsPerBatch,
    next(): string {
      let out = parts[0]!;
      for (let i = 0; i < eventsPerBatch; i++) {
        out += `"${run}-0000-7000-8000-${(counter++).toString(16).padStart(12, '0')}"${parts[i + 1]}`;
      }
      return out;
    },
  };
}

/** One connection's batches as bytes: `next()` restamps the same buffer, so use it once per request in flight. */
export interface BatchBuffers {
  next(): Buffer;
}

const COUNTER_DIGITS = 12;
const HEX = Buffer.from('0123456789abcdef');

/**
 * The same batches as createBatchFactory, as bytes for the raw load generator: each call gives a
 * connection its own buffer, whose ids are rewritten in place for every request (no string or
 * buffer is built per request). Ids stay unique across the connections of one factory.
 */
export function createBatchBufferFactory(eventsPerBatch = 100): () => BatchBuffers {
  const { parts, run } = batchTemplate(eventsPerBatch);
  const text = parts.map((part, i) => (i === 0 ? part : `"${run}-0000-7000-8000-${'0'.repeat(COUNTER_DIGITS)}"${part}`)).join('');
  const counterOffsets: number[] = [];
  let at = parts[0]!.length;
  for (let i = 1; i < parts.length; i++) {
    counterOffsets.push(at + 1 + 24); // past the quote and "xxxxxxxx-0000-7000-8000-"
    at += 2 + 36 + parts[i]!.length;
  }
  let counter = 0;
  return () => {
    const buffer = Buffer.from(text, 'latin1');
    return {
      next() {
        for (const offset of counterOffsets) {
          let value = counter++;
          for (let d = COUNTER_DIGITS - 1; d >= 0; d--) {
            buffer[offset + d] = HEX[value % 16]!;
            value = Math.floor(value / 16);
          }
        }
        return buffer;
      },
    };
  };
}
