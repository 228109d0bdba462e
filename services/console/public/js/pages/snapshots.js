import { api } from '../api.js';
import { badge, fmtNumber, h, pageHeader, shortHash, table, timeEl } from '../dom.js';

const totalRows = (counts) => Object.values(counts ?? {}).reduce((sum, splits) => sum + Object.values(splits).reduce((a, b) => a + b, 0), 0);

export function countsSummary(counts) {
  return Object.entries(counts ?? {}).filter(([, splits]) => Object.keys(splits).length > 0)
    .map(([config, splits]) => `${config} ${Object.entries(splits).map(([s, n]) => `${s} ${fmtNumber(n)}`).join('/')}`).join(', ') || '—';
}

export async function renderSnapshots(el) {
  el.append(pageHeader('Snapshots'));
  const { datasets } = await api('/v1/admin/datasets');
  if (datasets.length === 0) {
    el.append(h('p', null, 'No dataset has been exported yet. Run ', h('code', null, 'sluice export --ruleset NAME --name DATASET'), '.'));
    return;
  }
  for (const dataset of datasets) {
    const headingId = `dataset-${dataset.name}`;
    el.append(h('section', { class: 'card', 'aria-labelledby': headingId },
      h('h2', { id: headingId }, dataset.name, ' ', h('span', { class: 'muted small' }, `${fmtNumber(dataset.snapshots.length)} snapshot${dataset.snapshots.length === 1 ? '' : 's'}`)),
      table(`Snapshots of ${dataset.name}, newest first`, ['snapshot', 'status', 'created', 'ruleset', 'rows', 'per config and split', 'tags'], dataset.snapshots.map((s) => h('tr', null,
        h('th', { scope: 'row' }, h('a', { href: `#/snapshots/${s.id}` }, h('code', null, s.id))),
        h('td', null, badge(s.status), s.contains_erased_users ? [' ', badge('erased users', 'erased')] : null,
          s.error ? h('div', { class: 'small field-error' }, s.error.message) : null),
        h('td', { class: 'nowrap' }, timeEl(s.created_at)),
        h('td', null, s.ruleset.name, ' ', h('code', { title: s.ruleset.hash }, `@${shortHash(s.ruleset.hash)}`)),
        h('td', { class: 'num' }, fmtNumber(totalRows(s.counts))),
        h('td', { class: 'small' }, countsSummary(s.counts)),
        h('td', null, s.tags.map((t) => badge(t, 'tag'))))), { captionHidden: true })));
  }
}
