import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN, OTHER_WRITE_KEY, WRITE_KEY } from './helpers.ts';

const cli = fileURLToPath(new URL('../../../packages/cli/src/main.ts', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

/** Runs `sluice serve` (or another long-running command) as a child process and waits until /readyz says ready. */
export async function startServerProcess(dataDir: string, port: number, env: Record<string, string> = {}, command = 'serve'): Promise<ServerProcess> {
  const child = spawn(process.execPath, [cli, command], {
    env: {
      PATH: process.env.PATH ?? '',
      SLUICE_DATA_DIR: dataDir,
      SLUICE_PORT: String(port),
      SLUICE_LOG_LEVEL: 'warn',
      SLUICE_WRITE_KEYS: `${WRITE_KEY}:acme/support-web,${OTHER_WRITE_KEY}:acme/coding-ide`,
      SLUICE_ADMIN_TOKEN: ADMIN_TOKEN,
      SLUICE_RATE_LIMIT_PER_SECOND: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { url, child, stderr: () => stderr };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready: ${stderr}`);
}

export async function stopServerProcess(server: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.child.exitCode;
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  server.child.kill(signal);
  return exited;
}

/** Every stored event id, paging through the admin API. */
export async function allStoredIds(url: string): Promise<string[]> {
  const ids: string[] = [];
  let afterSeq = 0;
  for (;;) {
    const response = await fetch(`${url}/v1/events?limit=1000&after_seq=${afterSeq}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const { events } = (await response.json()) as { events: Array<{ event_id: string; ingest_seq: number }> };
    for (const e of events) ids.push(e.event_id);
    if (events.length < 1000) return ids;
    afterSeq = events[events.length - 1]!.ingest_seq;
  }
}
