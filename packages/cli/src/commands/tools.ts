import { SluiceError, loadConfig } from '@sluice/core';
import { carryOutErasureRequests, DedupInputError, dedupLines, scanPiiLines } from '@sluice/curate';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { openEmbeddedWarehouse } from './open-warehouse.ts';

function stdinLines(): AsyncIterable<string> {
  return createInterface({ input: process.stdin, crlfDelay: Infinity });
}

async function writeLines(lines: AsyncIterable<string>): Promise<void> {
  for await (const line of lines) {
    if (!process.stdout.write(`${line}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

/** `sluice pii scan < in.jsonl > out.jsonl` — redact and locate PII with the default policy. */
export async function piiCommand(args: string[]): Promise<void> {
  if (args[0] !== 'scan') throw new SluiceError('SLUICE_ERR_QUERY_INVALID', 'usage: sluice pii scan < lines.jsonl');
  await writeLines(scanPiiLines(stdinLines()));
}

/** `sluice dedup [--threshold 0.8] [--mode near|exact] < in.jsonl` — `{"id", "duplicate_of"}` per line. */
export async function dedupCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { threshold: { type: 'string', default: '0.8' }, mode: { type: 'string', default: 'near' } } });
  const threshold = Number(values.threshold);
  if (!(threshold > 0 && threshold <= 1)) throw new SluiceError('SLUICE_ERR_QUERY_INVALID', '--threshold must be in (0, 1]');
  if (values.mode !== 'near' && values.mode !== 'exact') throw new SluiceError('SLUICE_ERR_QUERY_INVALID', '--mode must be near or exact');
  try {
    await writeLines(dedupLines(stdinLines(), { threshold, mode: values.mode }));
  } catch (error) {
    if (error instanceof DedupInputError) throw new SluiceError('SLUICE_ERR_INPUT_INVALID', error.message);
    throw error;
  }
}

/** `sluice erase` — carry out pending erasure requests now (curation also does it first thing). */
export async function eraseCommand(_args: string[]): Promise<void> {
  const config = loadConfig(process.env);
  const store = await openEmbeddedWarehouse(config);
  try {
    const erased = await carryOutErasureRequests(store, { pseudonymKey: config.curation.pseudonymKey });
    for (const e of erased) console.log(JSON.stringify(e));
    console.error(`${erased.length} erasure request(s) carried out; published snapshots holding these users are marked (GET /v1/snapshots/<id>/erasures)`);
  } finally {
    await store.close();
  }
}
