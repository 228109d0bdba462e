// Cross-language hook, TypeScript half: send the shared example events through the TypeScript SDK.
//
//   node send_examples_js.mjs <endpoint> <write_key> <examples_dir> <sdk_js_dir>
//
// Builds each schemas/examples/v1/*.json event with the SDK's method for its type, passing the
// event's own fields (minus `type` and the per-event `sent_at`), flushes, shuts down, and prints
// one JSON line {"sent": N, "skipped": [...], "errors": [...]}. Exit 0 only if nothing failed.
// The Python suite (sdk/python/tests/test_cross_language.py) then compares the rows the server
// stored for these events with the rows stored for the same examples sent by the Python SDK.
//
// This default sender is written against the API in issue 6 (createClient({ endpoint, writeKey,
// flushAt, flushIntervalMs }), generation/feedback/outcome/consent({...}), track(name, props),
// flush(), shutdown()). If the TypeScript SDK spells things differently, ship a sender with the
// same command line at packages/sdk-js/test/cross-language/send-examples.mjs (preferred when it
// exists) or point SLUICE_SDK_JS_SENDER at one.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [endpoint, writeKey, examplesDir, sdkDir] = process.argv.slice(2);
if (!endpoint || !writeKey || !examplesDir || !sdkDir) {
  console.error('usage: send_examples_js.mjs <endpoint> <write_key> <examples_dir> <sdk_js_dir>');
  process.exit(2);
}

function pickExport(entry) {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') {
    for (const key of ['node', 'import', 'default']) {
      const found = pickExport(entry[key]);
      if (found) return found;
    }
  }
  return undefined;
}

function entryPoint(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const root = pkg.exports && typeof pkg.exports === 'object' && '.' in pkg.exports ? pkg.exports['.'] : pkg.exports;
  const exported = pickExport(root);
  for (const candidate of [exported, pkg.module, pkg.main, 'dist/index.js', 'dist/index.mjs']) {
    if (candidate && existsSync(resolve(dir, candidate))) return resolve(dir, candidate);
  }
  throw new Error(`no entry point found in ${dir}/package.json`);
}

const sdk = await import(pathToFileURL(entryPoint(sdkDir)).href);
const createClient = sdk.createClient ?? sdk.default?.createClient;
if (typeof createClient !== 'function') throw new Error('the TypeScript SDK exports no createClient');

const errors = [];
const client = createClient({
  endpoint, writeKey, flushAt: 1000, flushIntervalMs: 60_000,
  onError: (error) => errors.push(String(error?.message ?? error)),
});

const methods = {
  generation: 'generation', feedback: 'feedback', outcome: 'outcome', consent: 'consent',
  erasure_request: 'erasureRequest',
};
const skipped = [];
let sent = 0;
for (const file of readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort()) {
  const { type, sent_at: _sentAt, ...fields } = JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
  if (type === 'track') {
    const { name, properties, ...rest } = fields;
    client.track(name, properties, rest);
  } else if (typeof client[methods[type]] === 'function') {
    client[methods[type]](fields);
  } else {
    skipped.push(file);
    continue;
  }
  sent++;
}
await client.flush();
await client.shutdown?.();
console.log(JSON.stringify({ sent, skipped, errors }));
process.exit(errors.length ? 1 : 0);
