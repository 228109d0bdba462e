/**
 * Builds the SDK as plain JavaScript into dist/ (gitignored):
 *   index.js      ESM bundle of the SDK (browser, Node, edge), readable
 *   index.min.js  the same, minified (what the size budget measures)
 *   openai.js     the Node `openai` wrapper
 *   *.d.ts        declarations emitted by tsc
 *   package.json  a publishable manifest pointing at the files above (`npm publish packages/sdk-js/dist`)
 * Usage: node packages/sdk-js/scripts/build.ts [--size]
 */
import { build, type BuildOptions } from 'esbuild';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const defaultOutDir = join(packageDir, 'dist');
const browserEntry = join(packageDir, 'src', 'index.ts');

const common: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  // Chrome/Edge 88+, Firefox 85+, Safari 14+, Node 20+.
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
  // dist/ sits inside the linted tree; generated code is not held to the source's lint rules.
  banner: { js: '/* eslint-disable */' },
};

/** Size of the browser entry minified (esbuild) and gzipped (zlib, default level 6 and level 9). */
export async function measureBrowserSize(): Promise<{ minified: number; gzip: number; gzip9: number }> {
  const result = await build({ ...common, entryPoints: [browserEntry], minify: true, write: false });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzip: gzipSync(code).length, gzip9: gzipSync(code, { level: 9 }).length };
}

export async function buildSdk(outDir: string = defaultOutDir): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const entryPoints = { index: browserEntry, openai: join(packageDir, 'src', 'openai.ts') };
  await build({ ...common, entryPoints, outdir: outDir });
  await build({ ...common, entryPoints: { 'index.min': browserEntry }, outdir: outDir, minify: true });
  await emitDeclarations(outDir);
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    license: manifest.license,
    type: 'module',
    sideEffects: false,
    exports: {
      '.': { types: './index.d.ts', default: './index.js' },
      './openai': { types: './openai.d.ts', default: './openai.js' },
    },
    engines: { node: '>=20' },
  }, null, 2)}\n`);
}

/**
 * tsc over src/ with declaration output only (lib: es2024 + dom, no Node types: the SDK must not
 * lean on Node APIs). tsc keeps the `.ts` specifiers in .d.ts files; they become `.js` for older
 * TypeScript versions and other resolvers.
 */
async function emitDeclarations(outDir: string): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json'), '--outDir', outDir]);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc declaration emit failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  for (const file of readdirSync(outDir).filter((f) => f.endsWith('.d.ts'))) {
    const path = join(outDir, file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/(from '\.\/[\w.-]+)\.ts'/g, "$1.js'"));
  }
}

if (import.meta.main) {
  if (process.argv.includes('--size')) {
    const size = await measureBrowserSize();
    console.log(`browser entry: ${size.minified} B minified, ${size.gzip} B min+gzip (level 9: ${size.gzip9} B)`);
  } else {
    await buildSdk();
    console.log(`built ${defaultOutDir}`);
  }
}
