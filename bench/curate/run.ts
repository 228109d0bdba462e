/**
 * bench/curate/run: a whole curation run (support-assistant example ruleset) on the embedded
 * DuckDB warehouse, in samples/s, against the floor of the same run: streaming the same events
 * out of the warehouse with no curation at all.
 *
 *   node bench/curate/run.ts [--sessions 20000]
 */
import { loadRuleset, runCuration } from '@sluice/curate';
import type { IngestedEvent } from '@sluice/core';
import { createDuckDbWarehouse } from '@sluice/warehouse-duckdb';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '20000' } } });
const sessions = Number(values.sessions);
const T0 = Date.UTC(2026, 10, 1);
const questions = [
  'Where is my order ORD-{n}? It was due on Tuesday and the tracking page has not changed since.',
  'Can I change the delivery address for order ORD-{n}? I am moving next week to a new flat.',
  'My card was charged twice for order ORD-{n}. Please refund one of the payments, thank you.',
  'The blender from order ORD-{n} arrived broken. How do I return it and get a replacement?',
];

function event(type: string, user: string, session: string, at: number, payload: Record<string, unknown>): IngestedEvent {
  const eventId = randomUUID();
  return {
    eventId, tenant: 'bench', source: 'support-web', type, occurredAt: at, sentAt: null, receivedAt: at, timestamp: at,
    userId: user, anonymousId: null, sessionId: session, traceId: null, parentId: null, clientIp: null,
    payload: { event_id: eventId, type, occurred_at: new Date(at).toISOString(), user_id: user, session_id: session, ...payload },
  };
}

function sessionEvents(i: number): IngestedEvent[] {
  const user = `user_${i % Math.max(1, Math.floor(sessions / 3))}`;
  const session = `sess_${i}`;
  const at = T0 + i * 1000;
  const q = questions[i % questions.length]!.replace('{n}', String(100000 + (i % 5000)));
  const contact = i % 7 === 0 ? ` You can reach me at customer${i}@example.com or +1 415 555 ${String(1000 + (i % 9000)).padStart(4, '0')}.` : '';
  const events = [
    event('consent', user, session, at - 10, { scope: 'training', granted: i % 10 !== 0 }),
    event('generation', user, session, at, {
      generation_id: `g${i}`, model: 'llama-3.1-8b-instruct',
      input: [{ role: 'system', content: 'You are a helpful support assistant.' }, { role: 'user', content: q + contact }],
      output: [{ role: 'assistant', content: `I have looked into order ${100000 + (i % 5000)} for you: it left our warehouse yesterday and should arrive within two working days.` }],
    }),
  ];
  if (i % 3 === 0) events.push(event('feedback', user, session, at + 5000, { target: { generation_id: `g${i}` }, kind: 'thumbs', value: i % 2 ? 'up' : 'down' }));
  if (i % 5 === 0) events.push(event('outcome', user, session, at + 9000, { target: { session_id: session }, kind: 'resolved' }));
  return events;
}

const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-curate-'));
try {
  const store = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb') });
  let total = 0;
  for (let i = 0; i < sessions; i += 1000) {
    const events = Array.from({ length: Math.min(1000, sessions - i) }, (_, k) => sessionEvents(i + k)).flat();
    total += events.length;
    await store.append({ events, quarantine: [] });
  }
  const ruleset = loadRuleset((await readFile(new URL('../../examples/support-assistant.yaml', import.meta.url), 'utf8'))
    .replace('sources: [support-web]', 'sources: [support-web]\n  tenant: bench'));

  let started = performance.now();
  let scanned = 0;
  for await (const chunk of store.scanEvents({ upToSeq: await store.maxIngestSeq() })) scanned += chunk.length;
  const scanSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const report = await runCuration(ruleset, { store, pseudonymKey: 'bench-pseudonym-key-0000000000' }, { dryRun: true });
  const curateSeconds = (performance.now() - started) / 1000;
  const generations = sessions;
  await store.close();

  console.log(`| step | seconds | generations/s | samples kept |`);
  console.log(`|---|---:|---:|---:|`);
  console.log(`| baseline: stream all ${scanned.toLocaleString('en')} events out of DuckDB | ${scanSeconds.toFixed(2)} | ${Math.round(generations / scanSeconds).toLocaleString('en')} | — |`);
  console.log(`| curation run (support-assistant ruleset, dry run) | ${curateSeconds.toFixed(2)} | ${Math.round(generations / curateSeconds).toLocaleString('en')} | ${report.samples.toLocaleString('en')} |`);
  console.log(`\n${total.toLocaleString('en')} events, ${generations.toLocaleString('en')} generations; curation / scan time = ${(curateSeconds / scanSeconds).toFixed(1)}x`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
