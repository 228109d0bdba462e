import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { freePort, startServerProcess, type ServerProcess } from '../src/index.ts';

export const cli = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));
export const ADMIN_TOKEN = 'admin_demo_test_token';
export const WRITE_KEYS = { 'support-web': 'sk_demo_test_support', 'coding-ide': 'sk_demo_test_coding' } as const;

/** `sluice serve` on a temp data dir and a free port, with one write key per demo source. */
export async function startTestServer(dir: string): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    command: process.execPath, args: [cli, 'serve'], url: `http://127.0.0.1:${port}`,
    env: {
      PATH: process.env.PATH ?? '', SLUICE_DATA_DIR: dir, SLUICE_PORT: String(port), SLUICE_LOG_LEVEL: 'warn', SLUICE_ADMIN_TOKEN: ADMIN_TOKEN,
      SLUICE_WRITE_KEYS: `${WRITE_KEYS['support-web']}:acme/support-web,${WRITE_KEYS['coding-ide']}:acme/coding-ide`, SLUICE_RATE_LIMIT_PER_SECOND: '0',
    },
  });
}

/** Every row of an admin list endpoint (/v1/events or /v1/quarantine), paging with after_seq. */
export async function listAll<T>(url: string, path: 'events' | 'quarantine'): Promise<T[]> {
  const rows: T[] = [];
  const seqKey = path === 'events' ? 'ingest_seq' : 'quarantine_seq';
  let after = 0;
  for (;;) {
    const response = await fetch(`${url}/v1/${path}?limit=1000&after_seq=${after}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    if (!response.ok) throw new Error(`GET /v1/${path}: ${response.status} ${await response.text()}`);
    const page = (await response.json() as Record<string, Array<T & Record<string, number>>>)[path]!;
    rows.push(...page);
    if (page.length < 1000) return rows;
    after = page[page.length - 1]![seqKey]!;
  }
}

/** DuckDB on Windows and busy CI machines can hold a file for a moment after close. */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
