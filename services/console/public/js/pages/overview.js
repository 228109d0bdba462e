/* global ResizeObserver */
import uPlot from '/console/vendor/uPlot.esm.js';
import { api } from '../api.js';
import { fmtNumber, h, pageHeader, table } from '../dom.js';

const PALETTE = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#be185d', '#4d7c0f', '#9a3412', '#475569'];

function statCard(label, value, note) {
  return h('div', { class: 'stat card' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, fmtNumber(value)), note ? h('div', { class: 'muted small' }, note) : null);
}

/** A uPlot line chart of per-minute counts, one series per key, resized with its container. */
function drawChart(container, minutes, series) {
  const keys = Object.keys(series).sort();
  const data = [minutes.map((m) => m / 1000), ...keys.map((k) => series[k])];
  const width = () => Math.max(280, container.clientWidth);
  const plot = new uPlot({
    width: width(), height: 280,
    scales: { x: { time: true } },
    axes: [{}, { label: 'events / minute', size: 60 }],
    series: [{ label: 'time' }, ...keys.map((key, i) => ({ label: key, stroke: PALETTE[i % PALETTE.length], width: 1.5, points: { show: false } }))],
    legend: { live: true },
  }, data, container);
  const observer = new ResizeObserver(() => {
    if (!container.isConnected) observer.disconnect();
    else plot.setSize({ width: width(), height: 280 });
  });
  observer.observe(container);
  return plot;
}

function totalsTable(caption, series) {
  const rows = Object.entries(series).map(([key, counts]) => [key, counts.reduce((a, b) => a + b, 0)])
    .sort((a, b) => b[1] - a[1]).map(([key, total]) => h('tr', null, h('th', { scope: 'row' }, key), h('td', { class: 'num' }, fmtNumber(total))));
  return table(caption, ['', 'events (24 h)'], rows.length ? rows : [h('tr', null, h('td', { colspan: 2 }, 'No events in the last 24 hours.'))]);
}

export async function renderOverview(el) {
  el.append(pageHeader('Overview'));
  const stats = await api('/v1/admin/overview');
  const since = stats.since_start;
  el.append(h('section', { class: 'stats', 'aria-label': 'Counts' },
    statCard('Accepted · 24 h', stats.accepted, 'stored in the warehouse'),
    statCard('Rejected · 24 h', stats.rejected, 'quarantined'),
    statCard('Duplicates', since?.duplicate ?? null, 'since this server started'),
    statCard('Accepted since start', since?.accepted ?? null, since ? `${fmtNumber(since.rejected)} rejected since this server started` : 'no metrics'),
    stats.ingest_lag ? statCard('Ingest lag (Kafka)', stats.ingest_lag.messages, `messages not yet landed, ${Object.keys(stats.ingest_lag.partitions).length} partition(s)`) : null));
  if (!stats.complete) el.append(h('p', { class: 'notice-inline' }, 'Still reading the last 24 hours; reload for the rest.'));

  const group = h('select', { id: 'chart-group' }, h('option', { value: 'type' }, 'event type'), h('option', { value: 'source' }, 'source'));
  const chartBox = h('div', { class: 'chart', role: 'img', 'aria-label': 'Events per minute over the last 24 hours' });
  const totals = h('div');
  const section = h('section', { class: 'card', 'aria-labelledby': 'chart-title' },
    h('div', { class: 'section-head' }, h('h2', { id: 'chart-title' }, 'Events per minute, last 24 hours'),
      h('div', { class: 'inline-field' }, h('label', { for: 'chart-group' }, 'Group by'), group)),
    chartBox, totals);
  el.append(section);
  let plot = null;
  const draw = () => {
    const series = group.value === 'type' ? stats.by_type : stats.by_source;
    plot?.destroy();
    chartBox.replaceChildren();
    plot = drawChart(chartBox, stats.minutes, series);
    totals.replaceChildren(totalsTable(`Events by ${group.value}, last 24 hours`, series));
  };
  group.addEventListener('change', draw);
  draw();

  const reasons = stats.top_reasons.map((r) => h('tr', null,
    h('td', null, h('a', { href: `#/quarantine?code=${encodeURIComponent(r.code)}` }, r.code)),
    h('td', null, h('code', null, r.pointer || '(root)')), h('td', null, r.message), h('td', { class: 'num' }, fmtNumber(r.count))));
  el.append(h('section', { class: 'card', 'aria-labelledby': 'reasons-title' },
    h('h2', { id: 'reasons-title' }, 'Top quarantine reasons, last 24 hours'),
    table('Top quarantine reasons', ['code', 'pointer', 'message', 'events'],
      reasons.length ? reasons : [h('tr', null, h('td', { colspan: 4 }, 'Nothing was rejected in the last 24 hours.'))], { captionHidden: true })));
}
