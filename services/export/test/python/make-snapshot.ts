/**
 * Builds a real snapshot for the Python tests: seeds a DuckDB warehouse with support-chat events
 * (tool calls with differently shaped arguments, thumbs, edits, corrections, escalations) laced
 * with unique PII canaries, curates them with examples/support-assistant.yaml, and exports every
 * config to a local blob store under <dir>/blobs.
 *
 *   node services/export/test/python/make-snapshot.ts <dir>
 *
 * Prints one JSON line: { snapshot_dir, manifest_path, canaries }.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { IngestedEvent } from '@sluice/core';
import { makeIngestedEvent } from '@sluice/core/testing';
import { createLocalBlobStore } from '@sluice/blob-store-local';
import { loadRuleset, runCuration } from '@sluice/curate';
import { createDuckDbWarehouse } from '@sluice/warehouse-duckdb';
import { exportSnapshot } from '../../src/index.ts';

const dir = resolve(process.argv[2] ?? '');
if (!process.argv[2]) throw new Error('usage: make-snapshot.ts <dir>');

const USERS = 80;
const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const canaries: string[] = [];
/** Deterministic per seed so reruns give the same snapshot; unique enough never to occur by chance. */
let counter = 0;
const unique = (prefix: string) => `${prefix}${createHash('sha256').update(`canary-${counter++}`).digest('hex').slice(0, 12)}`;
const alnum = (n: number) => createHash('sha256').update(`alnum-${counter++}`).digest('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(n, 'Q').slice(0, n);

function canaryEmail(): string {
  const value = `${unique('canary.')}@mail-canary.example`;
  canaries.push(value);
  return value;
}
function canarySecret(): string {
  const value = counter % 2 === 0 ? `ghp_${alnum(36)}` : `AKIA${alnum(16).toUpperCase()}`;
  canaries.push(value);
  return value;
}
/** A Luhn-valid 16-digit card number that starts like a Visa and is otherwise random. */
function canaryCard(): string {
  const digits = [4, ...createHash('sha256').update(`card-${counter++}`).digest().subarray(0, 14)].map((b) => b % 10);
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = digits[14 - i]!;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  const card = [...digits, (10 - (sum % 10)) % 10].join('');
  canaries.push(card);
  return card.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** Chats must differ enough to survive the ruleset's near-duplicate removal (MinHash, 0.8). */
const WORDS = ['parcel', 'refund', 'invoice', 'warranty', 'jacket', 'boots', 'tent', 'backpack', 'courier', 'depot', 'address',
  'voucher', 'size', 'colour', 'return', 'label', 'damaged', 'missing', 'delayed', 'wrong', 'exchange', 'subscription', 'newsletter',
  'password', 'account', 'checkout', 'discount', 'gift', 'wrapping', 'stock', 'preorder', 'store', 'pickup', 'express', 'customs'];
function phrase(seed: string, words: number): string {
  const bytes = createHash('sha256').update(seed).digest();
  return Array.from({ length: words }, (_, i) => WORDS[bytes[i % bytes.length]! % WORDS.length]).join(' ');
}
const topic = (u: number, g: number) => `Question ${u}-${g} about my ${phrase(`q${u}-${g}`, 12)}; also ${phrase(`r${u}-${g}`, 8)}.`;
const answer = (u: number, g: number) => `Answer for case ${u}-${g}: ${phrase(`a${u}-${g}`, 14)}. Anything else about ${phrase(`b${u}-${g}`, 6)}?`;

const events: IngestedEvent[] = [];
let seq = 0;
function emit(type: string, user: string, session: string, payload: Record<string, unknown>, at: number): string {
  const eventId = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
  events.push(makeIngestedEvent({
    eventId, type, userId: user, sessionId: session, occurredAt: at, timestamp: at, receivedAt: at, sentAt: null,
    source: 'support-web', payload: { event_id: eventId, type, ...payload },
  }));
  return eventId;
}

const lookupTool = { type: 'function', function: { name: 'lookup_order', description: 'Order status by id.', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } } };
const searchTool = { type: 'function', function: { name: 'search_kb', description: 'Search help articles.', parameters: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer' } } } } };

for (let u = 0; u < USERS; u++) {
  // Raw user ids are themselves canaries: only pseudonymous keys may leave the warehouse.
  const user = canaryEmail();
  const session = `sess-${u}`;
  let at = T0 + u * 600_000;
  emit('consent', user, session, { scope: 'training', granted: true }, at);
  for (let g = 0; g < 3; g++) {
    at += 10_000;
    const id = `gen-${u}-${g}`;
    const kind = (u + g) % 6;
    const question = `${topic(u, g)} ` +
      (kind === 0 ? `You can reach me at ${canaryEmail()} if needed.` : kind === 1 ? `Here is my token ${canarySecret()} for the portal, it stopped working.` : 'Could you please check?');
    const useTool = kind === 2 || kind === 3;
    const output = useTool
      ? [{
          role: 'assistant', content: null,
          tool_calls: [{
            id: `call-${u}-${g}`, type: 'function',
            function: kind === 2
              ? { name: 'lookup_order', arguments: { order_id: `ORD-${100000 + u}`, contact: canaryEmail() } }
              : { name: 'search_kb', arguments: JSON.stringify({ query: 'late delivery', limit: g + 1, filters: { region: ['eu'] } }) },
          }],
        }]
      : [{ role: 'assistant', content: answer(u, g) }];
    const input = [{ role: 'system', content: 'You are the support assistant for Northwind.' }, { role: 'user', content: question }];
    if (useTool) {
      // Samples with a card number are dropped by the ruleset (CREDIT_CARD: drop_sample); keep half.
      const card = kind === 3 && u % 2 === 0 ? ` My card is ${canaryCard()} if you need it.` : '';
      input.push({ role: 'assistant', content: 'Let me check that for you.' }, { role: 'user', content: `Thanks.${card}` });
    }
    emit('generation', user, session, {
      generation_id: id, model: 'llama-3.1-8b-instruct', provider: 'vllm', input, output,
      finish_reason: useTool ? 'tool_calls' : 'stop', ...(useTool && { tools: [lookupTool, searchTool] }),
    }, at);
    const target = { generation_id: id };
    if (kind === 0) emit('outcome', user, session, { target, kind: 'accepted' }, at + 1000);
    if (kind === 1) emit('feedback', user, session, { target, kind: 'thumbs', value: 'down', comment: `bad answer, mail ${canaryEmail()}` }, at + 1000);
    if (kind === 4) emit('outcome', user, session, { target, kind: 'edited', final_text: `It ships tomorrow morning; questions to ${canaryEmail()}.` }, at + 1000);
    if (kind === 5) emit('feedback', user, session, { target, kind: 'correction', correction: `Your parcel is at the depot. Key for the locker: ${canarySecret()}` }, at + 1000);
    if (kind === 3) emit('outcome', user, session, { target, kind: 'escalated' }, at + 1000);
  }
}

const store = await createDuckDbWarehouse({ path: join(dir, 'warehouse.duckdb') });
const blobStore = createLocalBlobStore({ root: join(dir, 'blobs') });
try {
  await store.append({ events, quarantine: [] });
  const rulesetText = await readFile(new URL('../../../../examples/support-assistant.yaml', import.meta.url), 'utf8');
  const report = await runCuration(loadRuleset(rulesetText), { store, pseudonymKey: 'python-test-pseudonym-key-0001' });
  if (!report.runId) throw new Error("curation produced no run");
  if (process.argv.includes('--funnel')) process.stderr.write(JSON.stringify(report.funnel) + '\n');
  const { manifest, dir: snapshotKey } = await exportSnapshot({
    store, blobStore, runId: report.runId, name: 'support-bot',
    formats: ['sft', 'prompt_completion', 'preference', 'kto', 'rl', 'openai_chat', 'openai_dpo'],
    // Small shards, so the tests also load configs split across several files.
    shardTargetBytes: 16 * 1024,
    now: () => Date.UTC(2026, 10, 30, 8, 0, 0),
  });
  const snapshotDir = join(dir, 'blobs', snapshotKey);
  process.stdout.write(JSON.stringify({ snapshot_dir: snapshotDir, manifest_path: join(snapshotDir, 'manifest.json'), id: manifest.id, canaries }) + '\n');
} finally {
  await blobStore.close();
  await store.close();
}
