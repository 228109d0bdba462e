import { SluiceError, loadConfig } from '@sluice/core';
import { loadRuleset } from '@sluice/curate';
import { exportSnapshot, pullSnapshot } from '@sluice/export';
import { openBlobStore } from '@sluice/ingest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openEmbeddedWarehouse } from './open-warehouse.ts';

/**
 * `sluice export --ruleset NAME|FILE --formats sft,preference,kto,rl [--name support-bot] [--tag T]`
 * Exports the newest complete curation run of the ruleset as an immutable snapshot.
 */
export async function exportCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ruleset: { type: 'string' }, formats: { type: 'string', default: 'sft,preference,kto,rl' }, name: { type: 'string' },
      tag: { type: 'string', multiple: true, default: [] }, run: { type: 'string' },
    },
  });
  if (!values.ruleset && !values.run) throw new SluiceError('SLUICE_ERR_QUERY_INVALID', '--ruleset NAME|FILE (or --run ID) is required');
  const rulesetName = values.ruleset && existsSync(values.ruleset)
    ? loadRuleset(readFileSync(values.ruleset, 'utf8')).ruleset.name
    : values.ruleset;
  const config = loadConfig(process.env);
  const store = await openEmbeddedWarehouse(config);
  const blobStore = await openBlobStore(config);
  try {
    const { manifest, reused, dir } = await exportSnapshot({
      store, blobStore, name: values.name ?? rulesetName ?? 'dataset', formats: values.formats.split(',').map((f) => f.trim()).filter(Boolean),
      shardTargetBytes: config.export.shardTargetBytes, rowGroupTargetBytes: config.export.rowGroupTargetBytes,
      prefix: config.export.prefix, tags: values.tag,
      ...(values.run ? { runId: values.run } : { rulesetName: rulesetName! }),
    });
    console.log(`${reused ? 'already published' : 'published'} snapshot ${manifest.id} → ${dir}`);
    console.log(JSON.stringify({ id: manifest.id, counts: manifest.counts }, null, 2));
    if (config.blobStore.kind === 'local') {
      const local = resolve(config.blobStore.root ?? resolve(config.dataDir, 'blobs'), dir);
      console.log(`\nfrom datasets import load_dataset\nds = load_dataset(${JSON.stringify(local)}, "sft")`);
    }
  } finally {
    await blobStore.close();
    await store.close();
  }
}

/** `sluice pull <name>[@tag|@id] --to DIR [--url URL] [--token READ_TOKEN]` */
export async function pullCommand(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args, allowPositionals: true,
    options: { to: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' } },
  });
  const [target] = positionals;
  if (!target || !values.to) throw new SluiceError('SLUICE_ERR_QUERY_INVALID', 'usage: sluice pull <name>[@tag|@id] --to DIR');
  const [name, ref = 'latest'] = target.split('@') as [string, string?];
  const config = loadConfig(process.env);
  const token = values.token ?? process.env.SLUICE_READ_TOKEN;
  if (!token) throw new SluiceError('SLUICE_ERR_QUERY_INVALID', '--token (or SLUICE_READ_TOKEN) is required: a read token for the dataset');
  const tty = process.stderr.isTTY;
  const pulled = await pullSnapshot({
    baseUrl: values.url ?? process.env.SLUICE_URL ?? `http://127.0.0.1:${config.server.port}`, token, name, ref, to: values.to,
    ...(tty ? {
      onProgress: (p: { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number }) => {
        const pct = p.bytesTotal > 0 ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 100;
        process.stderr.write(`\r  pulling ${name}: ${p.filesDone}/${p.filesTotal} files, ${pct}%`);
      },
    } : {}),
  });
  if (tty) process.stderr.write('\n');
  console.log(`pulled snapshot ${pulled.id} into ${pulled.dir}: ${pulled.files} files verified (${pulled.filesKept} already present, ${pulled.filesResumed} resumed)`);
  if (pulled.erasedUsers?.length) {
    console.error(`warning: ${pulled.erasedUsers.length} user(s) of snapshot ${pulled.id} were erased since it was published; drop their rows `
      + `(lineage.parquet user_key in ${pulled.erasedUsers.map((u) => u.user_key).join(', ')}) or pull a newer snapshot`);
  }
}
