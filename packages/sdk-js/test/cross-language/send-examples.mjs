// Cross-language hook, TypeScript half (run by sdk/python/tests/test_cross_language.py):
//
//   node send-examples.mjs <endpoint> <write_key> <examples_dir> <sdk_js_dir>
//
// Sends every schemas/examples/v1/*.json event through the BUILT TypeScript SDK (<sdk_js_dir>/dist,
// the plain-JS bundle browsers get: `npm run -w @sluice/sdk-js build`), each with the SDK method for
// its type and the event's own fields (minus `type` and the per-event `sent_at`), then prints one
// JSON line {"sent": N, "skipped": [...], "errors": [...]}. Exit 0 only if nothing failed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [endpoint, writeKey, examplesDir, sdkDir] = process.argv.slice(2);
if (!endpoint || !writeKey || !examplesDir || !sdkDir) {
  process.stderr.write('usage: send-examples.mjs <endpoint> <write_key> <examples_dir> <sdk_js_dir>\n');
  process.exit(2);
}

const { createClient } = await import(pathToFileURL(join(sdkDir, 'dist', 'index.js')).href);
const errors = [];
const client = createClient({ endpoint, writeKey, flushAt: 1000, flushIntervalMs: 60_000, onError: (e) => errors.push(e.message) });

let sent = 0;
for (const file of readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort()) {
  const { type, sent_at: _sentAt, ...fields } = JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
  switch (type) {
    case 'generation': client.generation(fields); break;
    case 'feedback': client.feedback(fields); break;
    case 'outcome': client.outcome(fields); break;
    case 'consent': client.consent(fields); break;
    case 'erasure_request': client.erasureRequest(fields); break;
    case 'track': {
      const { name, properties, ...rest } = fields;
      client.track(name, properties, rest);
      break;
    }
    default: errors.push(`${file}: unknown type ${type}`); continue;
  }
  sent++;
}
const { pending } = await client.shutdown(10_000);
if (pending > 0) errors.push(`${pending} events unsent`);
process.stdout.write(`${JSON.stringify({ sent, skipped: [], errors })}\n`);
process.exit(errors.length > 0 ? 1 : 0);
