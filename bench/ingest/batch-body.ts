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

/** A JSON body template and a function that stamps a fresh, unique set of ids into it. */
export function createBatchFactory(eventsPerBatch = 100) {
  const events = Array.from({ length: eventsPerBatch }, (_, i) => event(i));
  const template = JSON.stringify({ events });
  const parts = template.split(/"00000000-0000-7000-8000-0000000000\d\d"/);
  if (parts.length !== eventsPerBatch + 1) throw new Error('template ids not found');
  // A random run prefix keeps ids unique across runs against the same data directory.
  const run = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
  let counter = 0;
  return {
    bytesPerEvent: template.length / eventsPerBatch,
    next(): string {
      let out = parts[0]!;
      for (let i = 0; i < eventsPerBatch; i++) {
        out += `"${run}-0000-7000-8000-${(counter++).toString(16).padStart(12, '0')}"${parts[i + 1]}`;
      }
      return out;
    },
  };
}
