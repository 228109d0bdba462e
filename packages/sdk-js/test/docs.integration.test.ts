/**
 * The code blocks of docs/sdk-js.md marked `<!-- doc-test -->` run as written (endpoint and write key
 * pointed at a real ingest server started here), importing the SDK by its package name.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startIngest, WRITE_KEY, type Ingest } from './support/ingest.ts';

const doc = fileURLToPath(new URL('../../../docs/sdk-js.md', import.meta.url));
// Inside the package, so `@sluice/sdk-js` resolves through the workspace; `.tmp/` is gitignored.
const scratch = fileURLToPath(new URL('../.tmp/doc-test/', import.meta.url));

let ingest: Ingest;
before(async () => {
  ingest = await startIngest();
  await mkdir(scratch, { recursive: true });
});
after(async () => {
  await ingest.stop();
  await rm(scratch, { recursive: true, force: true });
});

test('docs/sdk-js.md: every doc-test block runs and its events are stored', async () => {
  const blocks = [...(await readFile(doc, 'utf8')).matchAll(/<!-- doc-test -->\n```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length > 0, 'no doc-test blocks found');
  for (const [i, block] of blocks.entries()) {
    const file = `${scratch}block-${i}.ts`;
    await writeFile(file, block.replaceAll('http://127.0.0.1:8080', ingest.url).replaceAll('sk_dev_quickstart', WRITE_KEY));
    const run = await promisify(execFile)(process.execPath, [file]).catch((error: { stderr: string; code: number }) => error);
    assert.equal('code' in run ? run.code : 0, 0, `block ${i} failed:\n${run.stderr}`);
  }
  const stored = await ingest.events();
  assert.deepEqual(stored.map((e) => e.type).sort(), ['feedback', 'generation', 'outcome']);
  const generation = stored.find((e) => e.type === 'generation')!;
  assert.equal((stored.find((e) => e.type === 'feedback')!.event.target as { generation_id: string }).generation_id, generation.event.generation_id);
});
