import { SluiceError, loadConfig } from '@sluice/core';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * `sluice events tail|list` and `sluice quarantine list`: read from a running server through the
 * admin API (the embedded DuckDB file is held by the server process).
 */
export async function eventsCommand(resource: 'events' | 'quarantine', args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' }, token: { type: 'string' }, limit: { type: 'string', default: '20' },
      type: { type: 'string' }, source: { type: 'string' }, user: { type: 'string' }, session: { type: 'string' },
      interval: { type: 'string', default: '1000' },
    },
  });
  const action = positionals[0] ?? 'list';
  if (!['list', 'tail'].includes(action) || (resource === 'quarantine' && action === 'tail')) {
    throw new SluiceError('SLUICE_ERR_QUERY_INVALID', `unknown action "${action}" for ${resource}`);
  }
  const config = loadConfig(process.env);
  const base = values.url ?? process.env.SLUICE_URL ?? `http://127.0.0.1:${config.server.port}`;
  const token = values.token ?? config.auth.adminToken;
  const filters = new URLSearchParams({ limit: values.limit });
  for (const [flag, param] of [['type', 'type'], ['source', 'source'], ['user', 'user_id'], ['session', 'session_id']] as const) {
    const value = values[flag];
    if (value !== undefined) filters.set(param, value);
  }

  const fetchPage = async (params: URLSearchParams) => {
    const response = await fetch(`${base}/v1/${resource}?${params}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as Record<string, unknown>;
    if (!response.ok) {
      const error = body.error as { code?: string; message?: string } | undefined;
      throw new Error(`${response.status} ${error?.code ?? ''}: ${error?.message ?? JSON.stringify(body)}`);
    }
    return body[resource] as Array<Record<string, unknown>>;
  };

  if (action === 'list') {
    if (resource === 'events') filters.set('order', 'desc');
    for (const row of (await fetchPage(filters)).reverse()) console.log(JSON.stringify(row));
    return;
  }
  // tail: start from the newest page, then poll for rows after the last sequence seen.
  const newest = await fetchPage(new URLSearchParams({ ...Object.fromEntries(filters), order: 'desc' }));
  let afterSeq = 0;
  for (const row of newest.reverse()) {
    console.log(JSON.stringify(row));
    afterSeq = Math.max(afterSeq, row.ingest_seq as number);
  }
  for (;;) {
    const rows = await fetchPage(new URLSearchParams({ ...Object.fromEntries(filters), after_seq: String(afterSeq), limit: '1000' }));
    for (const row of rows) {
      console.log(JSON.stringify(row));
      afterSeq = row.ingest_seq as number;
    }
    if (rows.length < 1000) await sleep(Number(values.interval));
  }
}
