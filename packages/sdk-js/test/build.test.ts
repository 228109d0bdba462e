/**
 * The plain-JS build (esbuild + tsc declarations): size budget of the browser entry, zero runtime
 * dependencies, self-contained types, and a bundle that runs without the TypeScript sources.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildSdk, measureBrowserSize } from '../scripts/build.ts';
import type * as Sdk from '../src/index.ts';

const BUDGET_BYTES = 5 * 1024;

test(`browser entry is under ${BUDGET_BYTES} bytes minified + gzipped`, async () => {
  const size = await measureBrowserSize();
  console.log(`# browser entry: ${size.minified} B minified, ${size.gzip} B min+gzip`);
  assert.ok(size.gzip < BUDGET_BYTES, `${size.gzip} B min+gzip exceeds the ${BUDGET_BYTES} B budget`);
});

test('the package has no runtime dependencies', async () => {
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.peerDependencies, undefined);
});

describe('dist build', () => {
  let outDir: string;
  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'sluice-sdk-dist-'));
    await buildSdk(outDir);
  });
  after(() => rm(outDir, { recursive: true, force: true }));

  test('bundles import nothing: the SDK is self-contained', async () => {
    for (const file of ['index.js', 'index.min.js', 'openai.js']) {
      const code = await readFile(join(outDir, file), 'utf8');
      assert.doesNotMatch(code, /\bimport\s*[\w{*]|\bimport\(|\brequire\(/, `${file} imports something`);
    }
  });

  test('the built bundle runs: createClient, events, flush through fetch', async () => {
    const sdk = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as typeof Sdk;
    const bodies: string[] = [];
    const client = sdk.createClient({
      endpoint: 'http://sluice.invalid', writeKey: 'k', gzip: false, defaults: { user_id: 'u' },
      fetch: async (_url, init) => {
        bodies.push(String(init?.body));
        return new Response('{"accepted":1,"duplicates":0,"rejected":[]}', { status: 200 });
      },
    });
    client.track('built');
    assert.deepEqual(await client.shutdown(), { pending: 0 });
    assert.equal((JSON.parse(bodies[0]!) as { events: Array<{ name: string }> }).events[0]!.name, 'built');
  });

  test('the manifest points at the built files, with no dependencies', async () => {
    const manifest = JSON.parse(await readFile(join(outDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(manifest.exports, {
      '.': { types: './index.d.ts', default: './index.js' },
      './openai': { types: './openai.d.ts', default: './openai.js' },
    });
    assert.equal(manifest.dependencies, undefined);
  });

  test('the declarations type-check on their own (DOM lib, no Node types, no @sluice/schemas)', async () => {
    await writeFile(join(outDir, 'consumer.ts'), [
      "import { createClient, type GenerationEvent } from './index.js';",
      "import { wrapOpenAI } from './openai.js';",
      "const sluice = createClient({ endpoint: 'https://sluice.example.com', writeKey: 'k' });",
      "const id: string = sluice.generation({ user_id: 'u', model: 'm', input: [{ role: 'user', content: 'hi' }], output: [] });",
      "sluice.feedback({ user_id: 'u', target: { generation_id: id }, kind: 'thumbs', value: 'up' });",
      "// @ts-expect-error feedback kinds are typed from the schema",
      "sluice.feedback({ user_id: 'u', target: { generation_id: id }, kind: 'stars' });",
      'export const check: [GenerationEvent | undefined, typeof wrapOpenAI] = [undefined, wrapOpenAI];',
    ].join('\n'));
    await writeFile(join(outDir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [], noEmit: true, skipLibCheck: false },
      files: ['consumer.ts'],
    }));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(outDir, 'tsconfig.json')]).catch((error: { stdout: string }) => error);
    assert.equal(result.stdout, '', result.stdout);
  });
});
