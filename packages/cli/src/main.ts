#!/usr/bin/env node
import { isSluiceError } from '@sluice/core';
import { eventsCommand } from './commands/events.ts';
import { serveCommand } from './commands/serve.ts';

const usage = `sluice — capture AI product usage and turn it into training data

Usage:
  sluice serve                         run the ingest service (embedded DuckDB under ./data)
  sluice events tail  [options]        print stored events as they arrive (JSON Lines)
  sluice events list  [options]        print the newest stored events
  sluice quarantine list [options]     print rejected events with their reasons

Options for events / quarantine (read from a running server):
  --url URL          server URL (default http://127.0.0.1:8080, or SLUICE_URL)
  --token TOKEN      admin token (default: SLUICE_ADMIN_TOKEN, else the dev token)
  --limit N          rows per page (default 20)
  --type T --source S --user U --session S   filters (events only)

Configuration comes from environment variables and an optional SLUICE_CONFIG file; see README.`;

const commands: Record<string, (args: string[]) => Promise<void>> = {
  serve: serveCommand,
  events: (args) => eventsCommand('events', args),
  quarantine: (args) => eventsCommand('quarantine', args),
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage);
    return;
  }
  const command = commands[name];
  if (!command) {
    console.error(`unknown command "${name}"\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  await command(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (isSluiceError(error)) console.error(`${error.code}: ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
});
