import { api } from '../api.js';
import { badge, h, jsonDetails, pageHeader, timeEl } from '../dom.js';
import { eventSummary, targetOf } from './event-summary.js';

function item(e, children = []) {
  return h('li', { class: `timeline-item type-${e.type}` },
    h('div', { class: 'timeline-head' }, timeEl(e.timestamp), ' ', badge(e.type), ' ', eventSummary(e)),
    h('div', { class: 'muted small' }, `${e.source} · ${e.user_id ?? e.anonymous_id ?? 'no user'} · event ${e.event_id}`),
    jsonDetails('Raw JSON', e.event),
    children.length ? h('ol', { class: 'timeline nested', 'aria-label': 'Signals about this generation' }, children) : null);
}

/**
 * A session as a timeline: generations in time order, each with the feedback and outcomes that
 * target it nested beneath (generation → feedback → outcome); other events in place.
 */
export async function renderSession(el, sessionId) {
  el.append(pageHeader(`Session ${sessionId}`, h('p', null, h('a', { href: '#/events' }, '← All events'))));
  const { events, truncated } = await api(`/v1/admin/sessions/${encodeURIComponent(sessionId)}`);
  if (events.length === 0) {
    el.append(h('p', null, 'No events in this session.'));
    return;
  }
  const generations = new Map(events.filter((e) => e.type === 'generation').map((e) => [e.event?.generation_id, []]));
  const top = [];
  for (const e of events) {
    const target = targetOf(e);
    if ((e.type === 'feedback' || e.type === 'outcome') && target !== null && generations.has(target)) generations.get(target).push(e);
    else top.push(e);
  }
  el.append(
    h('p', { class: 'muted' }, `${events.length} events${truncated ? ' (the first 1000)' : ''}.`),
    h('ol', { class: 'timeline', 'aria-label': 'Session timeline' },
      top.map((e) => item(e, e.type === 'generation' ? (generations.get(e.event?.generation_id) ?? []).map((s) => item(s)) : []))));
}
