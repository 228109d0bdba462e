/* global location */
import { api, query } from '../api.js';
import { h, jsonDetails, pageHeader, table, timeEl } from '../dom.js';

function row(q) {
  return h('tr', null,
    h('td', { class: 'nowrap' }, timeEl(q.received_at)),
    h('td', null, q.source),
    h('td', null, h('code', null, q.code)),
    h('td', null, h('code', null, q.pointer || '(root)')),
    h('td', null, q.message),
    h('td', null, q.event_id ?? h('span', { class: 'muted' }, 'none')),
    h('td', null, jsonDetails('Payload', q.payload)));
}

export async function renderQuarantine(el, params) {
  const source = h('input', { id: 'q-source', name: 'source', value: params.get('source') ?? '', autocomplete: 'off' });
  const code = h('input', { id: 'q-code', name: 'code', value: params.get('code') ?? '', autocomplete: 'off', placeholder: 'SLUICE_ERR_EVENT_INVALID' });
  const form = h('form', {
    class: 'filters card', 'aria-label': 'Filter rejected events',
    onsubmit(event) {
      event.preventDefault();
      location.hash = `#/quarantine${query({ source: source.value.trim(), code: code.value.trim() })}`;
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'q-source' }, 'Source'), source),
  h('div', { class: 'field' }, h('label', { for: 'q-code' }, 'Error code'), code),
  h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Apply'), h('a', { href: '#/quarantine', class: 'button secondary' }, 'Clear')));
  el.append(pageHeader('Quarantine'), h('p', { class: 'muted' }, 'Events rejected at ingest in the last 24 hours, oldest first, with the JSON pointer to the offending field.'), form);

  const filters = { source: params.get('source') ?? '', code: params.get('code') ?? '' };
  const results = table('Rejected events', ['received', 'source', 'code', 'pointer', 'message', 'event id', 'payload'], [], { captionHidden: true });
  const body = results.querySelector('tbody');
  const status = h('p', { class: 'muted', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  el.append(h('section', { 'aria-label': 'Results' }, status, results, more));
  let next = null;
  let shown = 0;
  const load = async () => {
    more.disabled = true;
    const page = await api(`/v1/admin/quarantine${query({ ...filters, limit: 100, after_seq: next ?? undefined })}`);
    body.append(...page.quarantine.map(row));
    shown += page.quarantine.length;
    next = page.next_after_seq;
    more.hidden = next === null;
    more.disabled = false;
    status.textContent = shown === 0 ? 'Nothing was rejected in the last 24 hours.' : `${shown} rejected event${shown === 1 ? '' : 's'}.`;
  };
  more.addEventListener('click', () => load().catch((error) => { status.textContent = error.message; }));
  await load();
}
