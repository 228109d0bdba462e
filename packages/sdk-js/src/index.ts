/**
 * @sluice/sdk-js — capture AI-product events (generations, feedback, outcomes, consent) and send
 * them to a Sluice ingest server. Zero dependencies; runs in browsers, Node ≥ 20 and edge runtimes.
 *
 * ```ts
 * const sluice = createClient({ endpoint: 'https://sluice.example.com', writeKey: 'sk_…' });
 * const generationId = sluice.generation({ user_id: 'u1', model: 'gpt-4o', input, output });
 * sluice.feedback({ user_id: 'u1', target: { generation_id: generationId }, kind: 'thumbs', value: 'up' });
 * ```
 */
export { createClient, SDK_INFO } from './client.ts';
export { uuidv7 } from './uuid.ts';
export type * from './types.ts';
