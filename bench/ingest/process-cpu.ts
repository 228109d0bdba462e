import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by each thread of a process, summed by thread name (MainThread,
 * WorkerThread, V8Worker for V8's GC helpers, libuv-worker...), read from Linux's /proc. Empty
 * where /proc is not there: the numbers explain a benchmark, they are not part of its result.
 */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, fields 14 and 15 of stat (11 and 12 after the name).
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      byName.set(name, (byName.get(name) ?? 0) + seconds);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}

/** CPU seconds used so far by a whole process (all its threads). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Per thread name, microseconds of CPU per event between two readings; the biggest first. */
export function cpuPerEvent(before: Map<string, number>, after: Map<string, number>, events: number): string {
  const rows = [...after].map(([name, seconds]) => [name, seconds - (before.get(name) ?? 0)] as const).filter(([, s]) => s > 0);
  const total = rows.reduce((sum, [, s]) => sum + s, 0);
  const perEvent = (seconds: number) => ((seconds * 1e6) / Math.max(1, events)).toFixed(1);
  return [...rows.sort((a, b) => b[1] - a[1]).map(([name, s]) => `${name} ${perEvent(s)}`), `total ${perEvent(total)} µs/event`].join(', ');
}
