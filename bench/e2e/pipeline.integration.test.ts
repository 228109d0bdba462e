import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runEndToEnd } from './pipeline.ts';

// A smoke test of the end-to-end benchmark itself, small and untimed: real server, real CLI.
test('the end-to-end benchmark ingests, curates and exports a small run through the real processes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-e2e-smoke-'));
  try {
    const report = await runEndToEnd({
      events: 1500, seed: 'smoke', rulesets: [fileURLToPath(new URL('../../examples/coding-assistant.yaml', import.meta.url))],
      formats: ['sft', 'kto'], concurrency: 2, batchSize: 500, dir,
    });
    assert.deepEqual(report.stages.map((s) => s.stage), [
      'serve: start', 'ingest: generate + POST /v1/batch', 'serve: stop (flush + checkpoint)', 'curate coding-assistant.yaml', 'export coding-assistant.yaml',
    ]);
    assert.equal(report.sent.sent, 1500);
    assert.ok(report.sent.accepted > 1000, `accepted ${report.sent.accepted}`);
    const [curate, exported] = report.stages.slice(3);
    assert.ok((curate?.samples ?? 0) > 0, 'curation kept samples');
    assert.ok((exported?.rows ?? 0) >= (curate?.samples ?? 0), 'export wrote a row per sample at least');
    assert.ok(report.stages.every((s) => s.seconds > 0));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
