import { h } from '../dom.js';

const clip = (text, n = 120) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

function lastText(messages, role) {
  const found = [...(messages ?? [])].reverse().find((m) => m.role === role && typeof m.content === 'string' && m.content);
  return found ? found.content : '';
}

/** One line saying what an event is about, by type. */
export function eventSummary(e) {
  const p = e.event ?? {};
  switch (e.type) {
    case 'generation': {
      const asked = lastText(p.input, 'user');
      const answered = lastText(p.output, 'assistant');
      return h('span', null, h('strong', null, p.model ?? 'generation'), asked ? ` · “${clip(asked, 80)}”` : '', answered ? ` → “${clip(answered, 80)}”` : '');
    }
    case 'feedback':
      return h('span', null, h('strong', null, `${p.kind ?? 'feedback'}${p.value === undefined ? '' : `: ${JSON.stringify(p.value)}`}`), p.comment ? ` · “${clip(p.comment, 100)}”` : '');
    case 'outcome':
      return h('span', null, h('strong', null, p.kind ?? 'outcome'), p.value === undefined ? '' : ` ${JSON.stringify(p.value)}`);
    case 'consent':
      return h('span', null, `${p.scope ?? ''} consent `, h('strong', null, p.granted ? 'granted' : 'revoked'));
    case 'erasure_request':
      return h('strong', null, 'erasure requested');
    default:
      return h('span', null, h('strong', null, p.event ?? p.name ?? e.type));
  }
}

/** What a feedback or outcome event targets: a generation id or a session id. */
export function targetOf(e) {
  const target = e.event?.target ?? {};
  return target.generation_id ?? null;
}
