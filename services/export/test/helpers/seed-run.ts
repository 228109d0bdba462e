import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CurationStore, Sample } from '@sluice/core';
import { makeSample } from '@sluice/core/testing';
import { createLocalBlobStore } from '@sluice/blob-store-local';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '@sluice/warehouse-duckdb';

/** Shared test factories for the export: a real DuckDB warehouse and local blob store in a temp dir. */
export interface ExportFixture {
  dir: string;
  store: DuckDbWarehouse;
  blobRoot: string;
  blobStore: ReturnType<typeof createLocalBlobStore>;
  close(): Promise<void>;
}

export async function openFixture(): Promise<ExportFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-export-test-'));
  const store = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb') });
  const blobRoot = join(dir, 'blobs');
  const blobStore = createLocalBlobStore({ root: blobRoot });
  return {
    dir, store, blobRoot, blobStore,
    async close() {
      await blobStore.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Stores a ruleset and a complete curation run holding exactly `samples`. */
export async function seedRun(store: CurationStore, samples: readonly Sample[], options: { rulesetName?: string; watermark?: number; status?: 'complete' | 'building' } = {}): Promise<string> {
  const name = options.rulesetName ?? 'support-test';
  const content = JSON.stringify({ name, split: { eval_fraction: 0.5 } });
  const hash = createHashHex(content);
  await store.saveRuleset({ name, hash, content, sourceText: `name: ${name}\n`, createdAt: Date.UTC(2026, 10, 29) });
  const runId = `run_${randomUUID().slice(0, 8)}`;
  await store.createCurationRun({
    runId, rulesetName: name, rulesetHash: hash, watermark: options.watermark ?? 100, status: 'building', stats: {},
    createdAt: Date.UTC(2026, 10, 29, 10), finishedAt: null,
  });
  await store.appendSamples(runId, samples);
  if ((options.status ?? 'complete') === 'complete') {
    await store.finishCurationRun(runId, { status: 'complete', stats: {}, finishedAt: Date.UTC(2026, 10, 29, 11) });
  }
  return runId;
}

function createHashHex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A varied run: plain chats, a tool call whose arguments differ in keys and value types from the
 * next one (the case a unified Arrow struct would get wrong), a preference pair, KTO labels of
 * both signs, an unlabeled sample and both splits.
 */
export function variedSamples(count = 12): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const id = `s_${String(i).padStart(4, '0')}`;
    const withTool = i % 3 === 1;
    const args = i % 2 === 0 ? { order_id: `ORD-${1000 + i}`, verbose: true } : { query: 'late delivery', limit: i, filters: { status: ['open'] } };
    samples.push(makeSample({
      sampleId: id,
      userKey: `u_${i % 5}`,
      split: i % 5 === 4 ? 'eval' : 'train',
      lineage: [`evt_${i}_a`, `evt_${i}_b`],
      prompt: [{ role: 'system', content: 'You are a support agent.' }, { role: 'user', content: `Where is order ${i}?` }],
      completion: withTool
        ? [
            { role: 'assistant', content: null, tool_calls: [{ id: `call_${i}`, type: 'function', function: { name: 'lookup_order', arguments: args } }] },
            { role: 'tool', content: '{"status":"shipped"}', tool_call_id: `call_${i}`, name: 'lookup_order' },
            { role: 'assistant', content: `Order ${i} has shipped.` },
          ]
        : [{ role: 'assistant', content: `Order ${i} ships tomorrow.` }],
      tools: withTool ? [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', properties: {} } } }] : null,
      labels: {
        reward: i % 4 === 3 ? null : i % 2 === 0 ? 1 : -1,
        kto: i % 4 === 3 ? null : i % 2 === 0,
        sft: i % 2 === 0,
        preference: i % 3 === 0
          ? { chosen: [{ role: 'assistant', content: `Order ${i} ships tomorrow morning.` }], rejected: [{ role: 'assistant', content: `Order ${i} ships tomorrow.` }], reason: 'edited', ...(i % 2 === 0 && { margin: 1 }) }
          : null,
        rules: [],
      },
    }));
  }
  return samples;
}
