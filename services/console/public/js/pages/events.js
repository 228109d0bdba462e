/* global location */
import { api, query } from '../api.js';
import { badge, h, jsonDetails, pageHeader, table, timeEl } from '../dom.js';
import { eventSummary } from './event-summary.js';

const TYPES = ['generation', 'feedback', 'outcome', 'consent', 'erasure_request', 'track'];

/** `datetime-local` values are local time without a zone; the API takes RFC 3339. */
const toIso = (local) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

function field(id, label, control) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

export function eventRow(e) {
  return h('tr', null,
    h('td', { class: 'nowrap' }, timeEl(e.timestamp)),
    h('td', null, badge(e.type)),
    h('td', null, e.source),
    h('td', null, e.user_id ? h('a', { href: `#/events${query({ user_id: e.user_id })}` }, e.user_id) : h('span', { class: 'muted' }, e.anonymous_id ?? '—')),
    h('td', null, e.session_id ? h('a', { href: `#/events/session/${encodeURIComponent(e.session_id)}` }, e.session_id) : '—'),
    h('td', { class: 'summary' }, eventSummary(e)),
    h('td', null, jsonDetails('JSON', e)));
}

export async function renderEvents(el, params) {
  const value = (name) => params.get(name) ?? '';
  const type = h('select', { id: 'f-type', name: 'type' }, h('option', { value: '' }, 'any type'),
    TYPES.map((t) => h('option', { value: t, selected: value('type') === t }, t)));
  const inputs = {
    source: h('input', { id: 'f-source', name: 'source', value: value('source'), autocomplete: 'off' }),
    user_id: h('input', { id: 'f-user', name: 'user_id', value: value('user_id'), autocomplete: 'off' }),
    session_id: h('input', { id: 'f-session', name: 'session_id', value: value('session_id'), autocomplete: 'off' }),
    since: h('input', { id: 'f-since', name: 'since', type: 'datetime-local', value: toLocal(value('since')) }),
    until: h('input', { id: 'f-until', name: 'until', type: 'datetime-local', value: toLocal(value('until')) }),
  };
  const form = h('form', {
    class: 'filters card', 'aria-label': 'Filter events',
    onsubmit(event) {
      event.preventDefault();
      location.hash = `#/events${query({
        type: type.value, source: inputs.source.value.trim(), user_id: inputs.user_id.value.trim(), session_id: inputs.session_id.value.trim(),
        since: toIso(inputs.since.value), until: toIso(inputs.until.value),
      })}`;
    },
  },
  field('f-type', 'Type', type), field('f-source', 'Source', inputs.source), field('f-user', 'User id', inputs.user_id),
  field('f-session', 'Session id', inputs.session_id), field('f-since', 'Received from', inputs.since), field('f-until', 'Received until', inputs.until),
  h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Apply'), h('a', { href: '#/events', class: 'button secondary' }, 'Clear')));

  el.append(pageHeader('Events'), form);
  const filters = {
    type: value('type'), source: value('source'), user_id: value('user_id'), session_id: value('session_id'), since: value('since'), until: value('until'),
  };
  const ranged = Boolean(filters.since || filters.until);
  const body = h('tbody');
  const status = h('p', { class: 'muted', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const results = table(ranged ? 'Events in the time range, oldest first' : 'Newest events first', ['time', 'type', 'source', 'user', 'session', 'what', 'raw'], []);
  results.querySelector('table').replaceChild(body, results.querySelector('tbody'));
  el.append(h('section', { 'aria-label': 'Results' }, status, results, more));

  let next = null;
  let shown = 0;
  const load = async () => {
    more.disabled = true;
    const page = await api(`/v1/admin/events${query({ ...filters, limit: 100, after_seq: next ?? undefined })}`);
    body.append(...page.events.map(eventRow));
    shown += page.events.length;
    next = page.next_after_seq;
    more.hidden = next === null;
    more.disabled = false;
    status.textContent = shown === 0 ? 'No events match these filters.'
      : `${shown} event${shown === 1 ? '' : 's'}${ranged ? '' : ' (the newest; set a time range to page through older ones)'}.`;
  };
  more.addEventListener('click', () => load().catch((error) => { status.textContent = error.message; }));
  await load();
}
