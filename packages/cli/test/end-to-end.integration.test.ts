import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ADMIN_TOKEN, WRITE_KEY, removeDir } from '../../../services/ingest/test/helpers.ts';
import { freePort, startServerProcess, stopServerProcess } from '../../../services/ingest/test/server-process.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const READ_TOKEN = 'rt_end_to_end_0123456789';

/** sluice serve → send events → stop → sluice curate → sluice export → serve again → sluice pull. */
test('the CLI takes events from capture to a pulled, verified dataset snapshot', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-e2e-'));
  const env = {
    PATH: process.env.PATH ?? '', SLUICE_DATA_DIR: dir, SLUICE_LOG_LEVEL: 'warn', SLUICE_WRITE_KEYS: `${WRITE_KEY}:acme/support-web`,
    SLUICE_ADMIN_TOKEN: ADMIN_TOKEN, SLUICE_PSEUDONYM_KEY: 'e2e-pseudonym-key-0123456789',
    SLUICE_READ_TOKENS: JSON.stringify([{ token: READ_TOKEN, datasets: ['support-bot'] }]),
  };
  const sluice = (...args: string[]) => run(process.execPath, [cli, ...args], { env, timeout: 120_000 });
  try {
    let server = await startServerProcess(dir, await freePort(), env);
    const at = (s: number) => new Date(Date.UTC(2026, 10, 29, 10, 0, s)).toISOString();
    const events = Array.from({ length: 12 }, (_, i) => {
      const user = `user_${i}`;
      return [
        { event_id: randomUUID(), type: 'consent', occurred_at: at(0), user_id: user, scope: 'training', granted: true },
        {
          event_id: randomUUID(), type: 'generation', occurred_at: at(1), user_id: user, session_id: `s${i}`, generation_id: `g${i}`, model: 'llama-3.1-8b',
          input: [{ role: 'user', content: `Question number ${i}: how do I reset my password when the email link has expired (${i * 7919})?` }],
          output: [{ role: 'assistant', content: `Answer ${i}: request a new link from the login page; links last ${i + 1} hours.` }],
        },
        { event_id: randomUUID(), type: 'outcome', occurred_at: at(5), user_id: user, target: { generation_id: `g${i}` }, kind: i % 2 ? 'accepted' : 'rejected' },
      ];
    }).flat();
    const response = await fetch(`${server.url}/v1/batch`, {
      method: 'POST', headers: { authorization: `Bearer ${WRITE_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }),
    });
    assert.equal((await response.json() as { accepted: number }).accepted, events.length);
    await stopServerProcess(server);

    const ruleset = join(dir, 'support-bot.yaml');
    await writeFile(ruleset, 'name: support-bot\nsplit: { eval_fraction: 0.25 }\n');
    const curated = await sluice('curate', '--ruleset', ruleset, '--json');
    const report = JSON.parse(curated.stdout) as { runId: string; samples: number };
    assert.ok(report.runId);
    assert.equal(report.samples, 12);

    const exported = await sluice('export', '--ruleset', ruleset, '--formats', 'sft,kto');
    assert.match(exported.stdout, /published snapshot/);

    server = await startServerProcess(dir, await freePort(), env);
    try {
      const to = join(dir, 'pulled');
      const pulled = await sluice('pull', 'support-bot@latest', '--to', to, '--url', server.url, '--token', READ_TOKEN);
      assert.match(pulled.stdout, /files verified/);
      const manifest = JSON.parse(await readFile(join(to, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> };
      assert.ok(manifest.files.some((f) => f.path.startsWith('data/sft/')));
      assert.ok((await readdir(join(to, 'data', 'kto'))).some((f) => f.endsWith('.parquet')));
      const denied = await fetch(`${server.url}/v1/datasets`, { headers: { authorization: `Bearer ${WRITE_KEY}` } });
      assert.equal(denied.status, 401, 'a write key is not a read token');
    } finally {
      await stopServerProcess(server);
    }
  } finally {
    await removeDir(dir);
  }
});
