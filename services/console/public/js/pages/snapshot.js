import { api } from '../api.js';
import { badge, copyBlock, fmtBytes, fmtNumber, h, pageHeader, table, timeEl } from '../dom.js';

function countsTable(counts) {
  const splits = [...new Set(Object.values(counts).flatMap((s) => Object.keys(s)))].sort();
  return table('Rows per config and split', ['config', ...splits], Object.entries(counts).map(([config, bySplit]) => h('tr', null,
    h('th', { scope: 'row' }, config), splits.map((s) => h('td', { class: 'num' }, fmtNumber(bySplit[s] ?? 0))))));
}

function filesTable(files) {
  return table('Files', ['path', 'config', 'split', 'rows', 'size', 'SHA-256'], files.map((f) => h('tr', null,
    h('th', { scope: 'row' }, h('code', null, f.path)),
    h('td', null, f.config ?? '—'), h('td', null, f.split ?? '—'),
    h('td', { class: 'num' }, fmtNumber(f.rows)),
    h('td', { class: 'num nowrap', title: `${f.bytes} bytes` }, fmtBytes(f.bytes)),
    h('td', null, h('code', { class: 'hash' }, f.sha256)))));
}

export async function renderSnapshot(el, id) {
  const { snapshot, manifest, erased_users: erased, pull_command: pull, load_dataset: load } = await api(`/v1/admin/snapshots/${encodeURIComponent(id)}`);
  el.append(pageHeader(`Snapshot ${id}`, h('p', null, h('a', { href: '#/snapshots' }, '← All snapshots'))));
  el.append(h('dl', { class: 'facts card' },
    h('dt', null, 'Dataset'), h('dd', null, snapshot.name),
    h('dt', null, 'Status'), h('dd', null, badge(snapshot.status), snapshot.tags.map((t) => [' ', badge(t, 'tag')])),
    h('dt', null, 'Created'), h('dd', null, timeEl(snapshot.created_at)),
    h('dt', null, 'Ruleset'), h('dd', null, snapshot.ruleset.name, ' ', h('a', { href: `#/rulesets/${encodeURIComponent(snapshot.ruleset.name)}?hash=${snapshot.ruleset.hash}` }, h('code', null, snapshot.ruleset.hash.slice(0, 12)))),
    h('dt', null, 'Watermark'), h('dd', null, `events up to sequence ${fmtNumber(snapshot.watermark)}`),
    manifest ? [h('dt', null, 'Erasures honoured'), h('dd', null, fmtNumber(manifest.erasures)), h('dt', null, 'Code version'), h('dd', null, manifest.code_version)] : null));
  if (erased && erased.length > 0) {
    el.append(h('p', { class: 'notice-inline', role: 'status' },
      `${fmtNumber(erased.length)} user${erased.length === 1 ? ' whose' : 's whose'} data this snapshot holds ${erased.length === 1 ? 'was' : 'were'} erased after it was published. `,
      'Its files stay as they are: drop the rows whose lineage.parquet user_key is listed at ', h('code', null, `/v1/snapshots/${id}/erasures`),
      ', or export a new snapshot.'));
  }
  if (snapshot.error) el.append(h('div', { class: 'error-box', role: 'alert' }, h('strong', null, snapshot.error.code), ' ', snapshot.error.message));
  if (!manifest) {
    el.append(h('p', null, `This snapshot is ${snapshot.status}: it has no manifest, so there is nothing to pull yet.`));
    return;
  }
  el.append(
    h('section', { class: 'card', 'aria-labelledby': 'use-title' }, h('h2', { id: 'use-title' }, 'Use it'),
      copyBlock('sluice pull command', pull), copyBlock('load_dataset snippet (Python)', load)),
    h('section', { class: 'card', 'aria-labelledby': 'counts-title' }, h('h2', { id: 'counts-title' }, 'Counts'), countsTable(manifest.counts)),
    h('section', { class: 'card', 'aria-labelledby': 'files-title' },
      h('h2', { id: 'files-title' }, `Files (${manifest.files.length}, ${fmtBytes(manifest.files.reduce((n, f) => n + f.bytes, 0))})`), filesTable(manifest.files)));
}
