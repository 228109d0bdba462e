import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { generateTraffic, sumCounts, type DemoReport, type PlantedValue } from '../src/index.ts';
import { exposedText, filesUnder } from './exported-text.ts';
import { removeDir } from './test-utils.ts';

const run = promisify(execFile);
const EVENTS = 10_000;
const SEED = '2026';
// The `sluice demo` command as main.ts runs it; imported directly so the test does not depend on the command table.
const command = new URL('../../cli/src/commands/demo.ts', import.meta.url).href;

let dir: string;
let report: DemoReport;
let planted: PlantedValue[];
let seconds: number;

/**
 * `sluice demo --events 10000`: the embedded server as a child process, 10k events over HTTP,
 * server stopped, both example rulesets curated, both snapshots exported. Measured on the shared
 * 2-core development machine under a load average of 9–11: 20–30 s.
 */
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-demo-e2e-'));
  const started = performance.now();
  const { stdout } = await run(process.execPath, [
    '--input-type=module', '-e', `import { demoCommand } from ${JSON.stringify(command)}; await demoCommand(process.argv.slice(1));`, '--',
    '--events', String(EVENTS), '--seed', SEED, '--dir', join(dir, 'demo'), '--planted', join(dir, 'planted.jsonl'), '--json',
  ], { env: { PATH: process.env.PATH ?? '', SLUICE_PSEUDONYM_KEY: 'demo-e2e-pseudonym-key-0123456789' }, timeout: 170_000, maxBuffer: 64 * 1024 * 1024 });
  seconds = (performance.now() - started) / 1000;
  report = JSON.parse(stdout) as DemoReport;
  planted = (await readFile(join(dir, 'planted.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as PlantedValue);
}, { timeout: 180_000 });

after(async () => {
  await removeDir(dir);
});

test(`a ${EVENTS.toLocaleString('en')}-event demo runs end to end in under a minute`, () => {
  console.log(`# sluice demo --events ${EVENTS}: ${seconds.toFixed(1)} s wall (report: ${(report.timings.totalMs / 1000).toFixed(1)} s after start-up)`);
  assert.ok(seconds < 60, `${seconds.toFixed(1)} s`);
  const sent = report.sent!;
  assert.equal(sent.sent, EVENTS);
  assert.equal(sent.accepted + sent.duplicates + sent.quarantined, EVENTS);
  assert.equal(sent.quarantined, sumCounts(report.traffic.invalid), 'the invalid fraction lands in quarantine, and only it');
  assert.equal(sent.duplicates, report.traffic.resends);
  assert.deepEqual(report.datasets.map((d) => d.ruleset), ['support-assistant', 'coding-assistant']);
  for (const d of report.datasets) {
    assert.ok(d.snapshot, `${d.ruleset} has a snapshot`);
    assert.ok(sumCounts(d.snapshot.counts.sft ?? {}) > 50, `${d.ruleset}: sft rows ${JSON.stringify(d.snapshot.counts)}`);
    assert.ok(sumCounts(d.snapshot.counts.preference ?? {}) > 0, `${d.ruleset}: preference rows`);
    const dropped = Object.keys(d.funnel.dropped).join(' ');
    assert.match(dropped, /consent/, `${d.ruleset}: consent removed someone`);
    assert.match(dropped, /dedup/, `${d.ruleset}: duplicates were found`);
  }
  const [support, coding] = report.datasets as [DemoReport['datasets'][number], DemoReport['datasets'][number]];
  assert.ok((support.funnel.pii.EMAIL ?? 0) > 0 && (support.funnel.pii.PHONE ?? 0) > 0);
  assert.ok((coding.funnel.pii.SECRET ?? 0) > 0 && (coding.funnel.pii.URL_CREDENTIALS ?? 0) > 0);
  assert.ok(support.funnel.dropped['pii:pii_drop_sample']! > 0, 'card numbers and IBANs drop their samples');
});

test('the planted registry written by the run is the one the seed gives in any process', () => {
  const again: PlantedValue[] = [];
  for (const _ of generateTraffic({ events: EVENTS, seed: SEED, onPlanted: (p) => again.push(p) }).records) { /* drain */ }
  assert.equal(planted.length, sumCounts(report.traffic.planted));
  assert.deepEqual(planted, again);
});

test('PII canary: no planted value appears in any byte of any exported file', async () => {
  const files = await filesUnder(join(dir, 'demo', 'blobs'));
  assert.ok(files.some((f) => f.endsWith('.parquet')) && files.some((f) => f.endsWith('manifest.json')));
  const texts = await exposedText(files);
  // Positive control: the decoded text is the training text (the support system prompt is in it).
  assert.ok([...texts.values()].some((t) => t.includes('You are Nova, the support assistant of Northwind Outdoor')), 'parquet rows were decoded');
  // One pass per file over every value, raw and JSON-escaped. A leak inside another leak's match
  // may go unreported, but the first one is always found, which is what the assertion needs.
  const byValue = new Map<string, PlantedValue>();
  for (const p of planted) for (const form of [p.value, JSON.stringify(p.value).slice(1, -1)]) byValue.set(form, p);
  const any = new RegExp([...byValue.keys()].map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const control = new RegExp(any.source);
  for (const p of planted) assert.match(`a sample that leaked ${p.value} here`, control, 'the canary would see this value');
  const leaks: string[] = [];
  for (const [file, text] of texts) {
    for (const match of text.matchAll(any)) {
      const p = byValue.get(match[0])!;
      leaks.push(`${p.type}/${p.subtype} in ${file.slice(dir.length)}`);
    }
  }
  assert.deepEqual(leaks.slice(0, 20), [], `${leaks.length} planted values leaked`);
});
