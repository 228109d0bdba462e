import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1, so a demo server never collides with a running `npm start` on 8080. */
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
  /** SIGTERM (the server finishes requests, flushes and checkpoints), SIGKILL after `graceMs`. Resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a long-running command (the CLI's `serve`) as a child process and waits until its
 * /readyz answers 200. The child's stderr is kept for the error message if it dies first.
 */
export async function startServerProcess(options: { command: string; args: readonly string[]; env: NodeJS.ProcessEnv; url: string; readyTimeoutMs?: number }): Promise<ServerProcess> {
  const child = spawn(options.command, options.args, { env: options.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-8_000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (graceMs = 60_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(killer);
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready:\n${stderr}`);
    try {
      if ((await fetch(new URL('/readyz', options.url))).ok) return { url: options.url, child, stop };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await stop(1_000);
  throw new Error(`the server did not become ready within ${options.readyTimeoutMs ?? 30_000} ms:\n${stderr}`);
}
