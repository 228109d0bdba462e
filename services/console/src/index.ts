export { consolePlugin, type ConsoleOptions } from './plugin.ts';
export type { MetricsSource } from './routes/overview.ts';
export type { DryRunReport } from './lib/dry-run.ts';
