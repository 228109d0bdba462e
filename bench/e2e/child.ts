import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));
const MAX_RSS = fileURLToPath(new URL('./max-rss.ts', import.meta.url));

/** What a finished child process left: its stdout, wall time and peak RSS (bytes, null if unknown). */
export interface ChildRun {
  stdout: string;
  seconds: number;
  peakRssBytes: number | null;
}

/**
 * Node arguments that run the `sluice` CLI with the peak-RSS probe preloaded; `rssFile` receives
 * the peak (KiB) when the process exits.
 */
export function cliArgs(args: readonly string[]): string[] {
  return ['--import', MAX_RSS, CLI, ...args];
}

/** A fresh file for a child's peak RSS, and a reader that returns it in bytes. */
export function rssProbe(): { file: string; read(): number | null; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-rss-'));
  const file = join(dir, 'max-rss');
  return {
    file,
    read() {
      try {
        const kib = readFileSync(file, 'utf8').trim().split('\n').map(Number).filter(Number.isFinite);
        return kib.length === 0 ? null : Math.max(...kib) * 1024;
      } catch {
        return null;
      }
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `sluice <args>` to completion; a non-zero exit throws with the child's stderr. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  const probe = rssProbe();
  const started = performance.now();
  try {
    const child = spawn(process.execPath, cliArgs(args), { env: { ...env, SLUICE_BENCH_RSS_FILE: probe.file }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-8_000); });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`sluice ${args.join(' ')} exited with code ${code}:\n${stderr}`);
    return { stdout, seconds, peakRssBytes: probe.read() };
  } finally {
    probe.dispose();
  }
}
