import { api } from '../api.js';
import { badge, fmtNumber, h, pageHeader, shortHash, table, timeEl } from '../dom.js';

export async function renderRulesets(el) {
  el.append(pageHeader('Rulesets', h('a', { href: '#/rulesets/+new', class: 'button' }, 'New ruleset')));
  const { rulesets } = await api('/v1/admin/rulesets');
  if (rulesets.length === 0) {
    el.append(h('p', null, 'No ruleset has been saved yet. ', h('a', { href: '#/rulesets/+new' }, 'Write the first one'), '.'));
    return;
  }
  el.append(table('Rulesets and their versions', ['ruleset', 'description', 'versions', 'newest version', 'saved', 'last curation run'], rulesets.map((r) => {
    const newest = r.versions[0];
    return h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: `#/rulesets/${encodeURIComponent(r.name)}` }, r.name)),
      h('td', null, r.description ?? h('span', { class: 'muted' }, '—')),
      h('td', { class: 'num' }, fmtNumber(r.versions.length)),
      h('td', null, h('code', { title: newest.hash }, shortHash(newest.hash))),
      h('td', { class: 'nowrap' }, timeEl(newest.created_at)),
      h('td', null, r.last_run ? [badge(r.last_run.status), ' ', timeEl(r.last_run.created_at), h('span', { class: 'muted' }, ` · ${fmtNumber(r.runs)} run${r.runs === 1 ? '' : 's'}`)] : h('span', { class: 'muted' }, 'never run')));
  }), { captionHidden: true }));
}
