/* global document, Node */
/**
 * Element building without innerHTML: every value from the server becomes a text node, so event
 * payloads and ruleset text can never inject markup.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value' || key === 'checked') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const numberFormat = new Intl.NumberFormat('en');
export const fmtNumber = (n) => (n === null || n === undefined ? '—' : numberFormat.format(n));

export function fmtBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

export function timeEl(iso) {
  return h('time', { datetime: iso ?? undefined }, fmtTime(iso));
}

export const shortHash = (hash) => (hash ? hash.slice(0, 12) : '—');

/** A table in a scrolling wrapper (narrow windows), with a caption for screen readers. */
export function table(caption, headers, rows, { captionHidden = false } = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', null,
      h('caption', { class: captionHidden ? 'visually-hidden' : undefined }, caption),
      h('thead', null, h('tr', null, headers.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', null, rows)));
}

export function badge(text, kind = text) {
  return h('span', { class: `badge badge-${String(kind).replace(/[^a-z0-9_-]/gi, '')}` }, text);
}

export function jsonDetails(label, value) {
  return h('details', { class: 'json' }, h('summary', null, label), h('pre', null, JSON.stringify(value, null, 2)));
}

export function pageHeader(title, ...extra) {
  return h('div', { class: 'page-header' }, h('h1', { tabindex: '-1' }, title), ...extra);
}

let noticeTimer;
/** A short polite status message (copy confirmations, saves). */
export function notify(message) {
  const region = document.getElementById('notice');
  region.textContent = message;
  region.classList.add('visible');
  globalThis.clearTimeout(noticeTimer);
  noticeTimer = globalThis.setTimeout(() => region.classList.remove('visible'), 4000);
}

export function errorBox(error) {
  return h('div', { class: 'error-box', role: 'alert' }, h('strong', null, error.code ?? 'Error'), ' ', error.message);
}

/** A code block with a labelled copy button. */
export function copyBlock(label, text) {
  const id = `copy-${Math.random().toString(36).slice(2, 9)}`;
  const copy = async () => {
    try {
      await globalThis.navigator.clipboard.writeText(text);
      notify(`${label} copied`);
    } catch {
      const selection = globalThis.getSelection();
      selection.selectAllChildren(document.getElementById(id));
      notify('Copying is not allowed here: the text is selected, press Ctrl+C');
    }
  };
  return h('figure', { class: 'copy-block' },
    h('figcaption', null, h('span', null, label), h('button', { type: 'button', class: 'secondary small', onclick: copy, 'aria-label': `Copy ${label}` }, 'Copy')),
    h('pre', null, h('code', { id }, text)));
}
