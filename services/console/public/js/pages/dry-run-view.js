import { fmtNumber, h, table } from '../dom.js';

/** A stable hue per PII type, so EMAIL is the same colour everywhere. */
function hueOf(type) {
  let hash = 0;
  for (const ch of type) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % 360;
}

function piiMark(text, type) {
  const mark = h('mark', { class: 'pii', 'data-pii': type, title: `${type} redacted` }, text);
  mark.style.setProperty('--pii-hue', String(hueOf(type)));
  return mark;
}

function bar(value, max) {
  const el = h('span', { class: 'bar', 'aria-hidden': 'true' });
  el.style.setProperty('--fill', `${max > 0 ? Math.round((value / max) * 100) : 0}%`);
  return el;
}

function countsTable(caption, entries) {
  const max = Math.max(0, ...entries.map(([, n]) => n));
  return table(caption, ['', 'count'], entries.length
    ? entries.map(([label, n]) => h('tr', null, h('th', { scope: 'row' }, label), h('td', { class: 'num bar-cell' }, bar(n, max), fmtNumber(n))))
    : [h('tr', null, h('td', { colspan: 2, class: 'muted' }, 'none'))]);
}

function messages(list, withSegments) {
  return h('ol', { class: 'messages' }, list.map((m) => h('li', null,
    h('span', { class: 'role' }, m.role),
    h('div', { class: 'text' }, withSegments ? m.segments.map((s) => (s.pii ? piiMark(s.text, s.pii) : s.text)) : m.text))));
}

function example(e) {
  const labels = e.labels;
  const facts = [
    e.removed_by_dedup ? 'removed by dedup' : `split ${e.split}`,
    `reward ${labels.reward ?? '—'}`, `kto ${labels.kto ?? '—'}`, labels.sft ? 'sft' : null,
    labels.preference ? `preference (${labels.preference})` : null,
  ].filter(Boolean).join(' · ');
  const types = Object.entries(e.pii);
  return h('article', { class: 'example card' },
    h('h4', null, h('code', null, e.sample_id)),
    h('p', { class: 'muted small' }, facts),
    types.length ? h('p', { class: 'pii-legend' }, 'Redacted: ', types.map(([type, n]) => [piiMark(type, type), ` ×${n} `])) : h('p', { class: 'muted small' }, 'No PII found.'),
    h('div', { class: 'before-after' },
      h('section', { 'aria-label': 'Before' }, h('h5', null, 'Before'), messages(e.before, false)),
      h('section', { 'aria-label': 'After' }, h('h5', null, 'After'), messages(e.after, true))));
}

function cluster(c, i) {
  return h('li', null,
    h('details', null,
      h('summary', null, `Cluster ${i + 1}: kept ${c.kept.sample_id}, removed ${c.removed.length}`),
      h('p', null, h('strong', null, 'Kept: '), h('span', { class: 'snippet' }, c.kept.text)),
      h('ul', null, c.removed.map((r) => h('li', null, h('code', null, r.sample_id), ' ', h('span', { class: 'snippet' }, r.text))))));
}

/** The dry-run report: funnel, label distribution, PII, splits, dedup clusters, before/after. */
export function renderDryRun(el, report) {
  const stages = report.funnel.stages.map((s) => [s.stage.replaceAll('_', ' '), s.count]);
  const labels = Object.entries(report.labels).map(([k, n]) => [k.replaceAll('_', ' '), n]);
  el.replaceChildren(
    h('h2', { tabindex: '-1' }, `Dry-run of ${report.ruleset.name}: ${fmtNumber(report.samples)} samples`),
    h('p', { class: 'muted' }, `Nothing was written. Events up to sequence ${fmtNumber(report.watermark)}; version ${report.ruleset.hash.slice(0, 12)}.`),
    h('div', { class: 'grid' },
      h('section', { class: 'card', 'aria-label': 'Funnel' }, h('h3', null, 'Funnel'), countsTable('Samples after each step', stages)),
      h('section', { class: 'card', 'aria-label': 'Dropped' }, h('h3', null, 'Why samples were dropped'), countsTable('Drops by step and reason', Object.entries(report.funnel.dropped))),
      h('section', { class: 'card', 'aria-label': 'Labels' }, h('h3', null, 'Label distribution'), countsTable('Labels of the kept samples', labels)),
      h('section', { class: 'card', 'aria-label': 'PII and splits' }, h('h3', null, 'PII found and splits'),
        countsTable('Redactions by type', Object.entries(report.pii)), countsTable('Samples per split', Object.entries(report.splits)))),
    h('section', { class: 'card', 'aria-labelledby': 'dedup-title' },
      h('h3', { id: 'dedup-title' }, `Dedup: ${fmtNumber(report.dedup.removed)} removed in ${fmtNumber(report.dedup.cluster_count)} cluster${report.dedup.cluster_count === 1 ? '' : 's'}`),
      report.dedup.clusters.length ? h('ol', { class: 'clusters' }, report.dedup.clusters.map(cluster)) : h('p', { class: 'muted' }, 'No duplicates among these samples.')),
    h('section', { 'aria-labelledby': 'examples-title' },
      h('h3', { id: 'examples-title' }, 'Before and after'),
      report.examples.length ? report.examples.map(example) : h('p', { class: 'muted' }, 'No sample survived the per-sample steps.')));
}
