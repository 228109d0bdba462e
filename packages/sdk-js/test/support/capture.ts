/**
 * A fetch that answers like /v1/batch would for valid events and records the bodies — for pure tests
 * of what the SDK builds. Delivery itself is tested against the real server (*.integration.test.ts).
 */
import { gunzipSync } from 'node:zlib';
import { createClient, type ClientOptions, type SluiceClient } from '../../src/index.ts';

export interface SentBody {
  sent_at: string;
  events: Array<Record<string, unknown>>;
}

export function capturingClient(options: Partial<ClientOptions> = {}): { client: SluiceClient; bodies: SentBody[]; events: () => Array<Record<string, unknown>> } {
  const bodies: SentBody[] = [];
  const fetchBatch: typeof fetch = async (_url, init) => {
    const body = init?.body;
    const text = body instanceof Uint8Array ? gunzipSync(body).toString() : String(body);
    const parsed = JSON.parse(text) as SentBody;
    bodies.push(parsed);
    return new Response(JSON.stringify({ accepted: parsed.events.length, duplicates: 0, rejected: [] }), { status: 200 });
  };
  const client = createClient({ endpoint: 'http://sluice.invalid', writeKey: 'sk_test', flushIntervalMs: 60_000, fetch: fetchBatch, ...options });
  return { client, bodies, events: () => bodies.flatMap((b) => b.events) };
}
