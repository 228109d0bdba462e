import { loadConfig, usesDevPseudonymKey } from '@sluice/core';
import { loadRuleset, runCuration, type CurationReport } from '@sluice/curate';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openEmbeddedWarehouse } from './open-warehouse.ts';
import { highlightRedactions } from './highlight.ts';

/**
 * `sluice curate --ruleset FILE [--watermark SEQ] [--dry-run] [--limit N] [--examples N] [--json]`
 */
export async function curateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ruleset: { type: 'string' }, watermark: { type: 'string' }, 'dry-run': { type: 'boolean', default: false },
      limit: { type: 'string' }, examples: { type: 'string', default: '3' }, json: { type: 'boolean', default: false },
    },
  });
  if (!values.ruleset) throw new Error('--ruleset FILE is required');
  const config = loadConfig(process.env);
  if (usesDevPseudonymKey(config)) console.error('warning: using the development pseudonym key; set SLUICE_PSEUDONYM_KEY for real datasets');
  const loaded = loadRuleset(await readFile(values.ruleset, 'utf8'));
  const store = await openEmbeddedWarehouse(config);
  const tty = process.stderr.isTTY;
  try {
    const report = await runCuration(loaded, {
      store,
      pseudonymKey: config.curation.pseudonymKey,
      ...(tty ? { onProgress: (n: number) => { process.stderr.write(`\r  curating… ${n.toLocaleString('en')} generations`); } } : {}),
    }, {
      dryRun: values['dry-run'],
      examples: values['dry-run'] ? Number(values.examples) : 0,
      ...(values.watermark === undefined ? {} : { watermark: Number(values.watermark) }),
      ...(values.limit === undefined ? {} : { limit: Number(values.limit) }),
    });
    if (tty) process.stderr.write('\r\x1b[K');
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report, Boolean(process.stdout.isTTY));
  } finally {
    await store.close();
  }
}

function printReport(report: CurationReport, color: boolean): void {
  const funnel = report.funnel as { stages: Array<{ stage: string; count: number }>; dropped: Record<string, number>; pii: Record<string, number>; splits: Record<string, number>; labels: Record<string, number> };
  console.log(`ruleset ${report.rulesetName}@${report.rulesetHash.slice(0, 12)}  watermark ${report.watermark}  ${report.runId ? `run ${report.runId}` : '(dry run: nothing written)'}`);
  if (report.erasures > 0) console.log(`erased the raw events of ${report.erasures} user(s) who asked for it`);
  console.log('\nfunnel');
  for (const { stage, count } of funnel.stages) console.log(`  ${stage.padEnd(22)} ${count}`);
  const dropped = Object.entries(funnel.dropped).sort(([a], [b]) => a.localeCompare(b));
  if (dropped.length) console.log(`\ndropped\n${dropped.map(([r, n]) => `  ${r.padEnd(30)} ${n}`).join('\n')}`);
  const pii = Object.entries(funnel.pii);
  console.log(`\nredacted  ${pii.length ? pii.map(([t, n]) => `${t} ${n}`).join(', ') : 'nothing'}`);
  console.log(`labels    ${Object.entries(funnel.labels).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`splits    ${Object.entries(funnel.splits).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  for (const example of report.examples) {
    console.log(`\n— ${example.sampleId}`);
    for (const [i, message] of example.after.prompt.concat(example.after.completion).entries()) {
      const before = example.before.prompt.concat(example.before.completion)[i]?.content ?? '';
      if (message.content === before) continue;
      console.log(`  before: ${before}`);
      console.log(`  after:  ${highlightRedactions(message.content ?? '', color)}`);
    }
  }
}
