#!/usr/bin/env node
import { isSluiceError } from '@sluice/core';
import { curateCommand } from './commands/curate.ts';
import { demoCommand } from './commands/demo.ts';
import { eventsCommand } from './commands/events.ts';
import { exportCommand, pullCommand } from './commands/export.ts';
import { landCommand } from './commands/land.ts';
import { serveCommand } from './commands/serve.ts';
import { dedupCommand, eraseCommand, piiCommand } from './commands/tools.ts';

const usage = `sluice — capture AI product usage and turn it into training data

Usage:
  sluice serve                         run the ingest service (embedded DuckDB under ./data)
  sluice land                          move events from Kafka into the warehouse (scale-out)
  sluice demo [--events N] [--seed S] [--url URL | --jsonl FILE] [--dir DIR]
                                       synthetic support + coding traffic end to end: serve → send → curate → export
  sluice events tail  [options]        print stored events as they arrive (JSON Lines)
  sluice events list  [options]        print the newest stored events
  sluice quarantine list [options]     print rejected events with their reasons
  sluice curate --ruleset FILE [--dry-run] [--watermark SEQ] [--limit N] [--examples N] [--json]
                                       run a curation ruleset over the stored events
  sluice erase                         carry out pending erasure requests now
  sluice export --ruleset NAME|FILE [--formats sft,preference,kto,rl] [--name N] [--tag T]
                                       publish the newest complete run as a dataset snapshot
  sluice pull <name>[@tag|@id] --to DIR [--url URL] [--token READ_TOKEN]
                                       download a snapshot, verifying every sha256
  sluice pii scan  < in.jsonl          {"id","text"} lines → redacted text + findings
  sluice dedup [--threshold 0.8]  < in.jsonl
                                       {"id","text"} lines → {"id","duplicate_of"}

curate, erase and export open the embedded store directly: stop \`sluice serve\` first.

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
  land: landCommand,
  curate: curateCommand,
  demo: demoCommand,
  erase: eraseCommand,
  export: exportCommand,
  pull: pullCommand,
  pii: piiCommand,
  dedup: dedupCommand,
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
