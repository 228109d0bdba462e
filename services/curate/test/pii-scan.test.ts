import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SluiceError } from '@sluice/core';
import { scanPiiLines } from '../src/tools/pii-scan.ts';

async function* lines(...items: string[]) { yield* items; }
async function collect(source: AsyncIterable<string>) { const out: string[] = []; for await (const l of source) out.push(l); return out; }

test('each line comes back redacted with findings as offsets into the original text', async () => {
  const text = 'Mail bob@example.org or call +1-415-555-0132 from 10.0.0.1';
  const [line] = await collect(scanPiiLines(lines(JSON.stringify({ id: 7, text }))));
  const out = JSON.parse(line!) as { id: number; text: string; findings: Array<{ type: string; start: number; end: number }> };
  assert.equal(out.id, 7);
  assert.equal(out.text, 'Mail <EMAIL> or call <PHONE> from 10.0.0.1');
  assert.deepEqual(out.findings.map((f) => [f.type, text.slice(f.start, f.end)]), [['EMAIL', 'bob@example.org'], ['PHONE', '+1-415-555-0132']]);
});

test('blank lines are skipped; a bad line fails with its number and the input code', async () => {
  await assert.rejects(collect(scanPiiLines(lines('{"id":1,"text":"a"}', '', '{"id":2}'))),
    (e: unknown) => e instanceof SluiceError && e.code === 'SLUICE_ERR_INPUT_INVALID' && /line 3/.test(e.message));
  await assert.rejects(collect(scanPiiLines(lines('nope'))), /line 1: not JSON/);
});
