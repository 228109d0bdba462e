/* global document, window, location, URLSearchParams */
import { ApiError, clearToken, getToken } from './api.js';
import { errorBox, h } from './dom.js';
import { renderEvents } from './pages/events.js';
import { renderLogin } from './pages/login.js';
import { renderOverview } from './pages/overview.js';
import { renderQuarantine } from './pages/quarantine.js';
import { renderRulesets } from './pages/rulesets.js';
import { renderSession } from './pages/session.js';
import { renderSnapshots } from './pages/snapshots.js';
import { renderRulesetEditor } from './pages/ruleset-editor.js';
import { renderSnapshot } from './pages/snapshot.js';

const main = document.getElementById('main');
const topBar = document.getElementById('top-bar');

/** `#/section/rest?query` → the page that renders it. */
function resolve(hash) {
  const [path, search = ''] = hash.slice(2).split('?');
  const decode = (part) => { try { return decodeURIComponent(part); } catch { return part; } };
  const parts = path.split('/').filter(Boolean).map(decode);
  const params = new URLSearchParams(search);
  const [section = 'overview', ...rest] = parts;
  if (section === 'events' && rest[0] === 'session' && rest[1]) return { section, title: 'Session', render: (el) => renderSession(el, rest[1]) };
  if (section === 'rulesets' && rest[0]) return { section, title: `Ruleset ${rest[0]}`, render: (el) => renderRulesetEditor(el, rest[0], params) };
  if (section === 'snapshots' && rest[0]) return { section, title: `Snapshot ${rest[0]}`, render: (el) => renderSnapshot(el, rest[0]) };
  const pages = {
    overview: ['Overview', renderOverview], events: ['Events', renderEvents], quarantine: ['Quarantine', renderQuarantine],
    rulesets: ['Rulesets', renderRulesets], snapshots: ['Snapshots', renderSnapshots],
  };
  const [title, render] = pages[section] ?? ['Not found', (el) => el.append(h('h1', { tabindex: '-1' }, 'Not found'), h('p', null, h('a', { href: '#/overview' }, 'Back to the overview')))];
  return { section, title, render: (el) => render(el, params) };
}

let generation = 0;
// The first page of a visit keeps the browser's focus at the top (skip link first); later pages
// move focus to their heading so keyboard and screen-reader users land on the new content.
let firstRender = true;

async function route() {
  const hash = location.hash;
  // In-page anchors (the skip link) are not routes.
  if (hash && !hash.startsWith('#/')) return;
  if (!getToken()) {
    topBar.hidden = true;
    document.title = 'Sign in · Sluice console';
    renderLogin(main, () => { if (location.hash === '' || location.hash === '#/login') location.hash = '#/overview'; else route(); });
    return;
  }
  topBar.hidden = false;
  const page = resolve(hash || '#/overview');
  for (const link of topBar.querySelectorAll('a[data-route]')) {
    if (link.dataset.route === page.section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${page.title} · Sluice console`;
  const mine = ++generation;
  const view = h('div', { class: 'page' });
  main.replaceChildren(view);
  try {
    await page.render(view);
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof ApiError && error.status === 401) {
      clearToken();
      route();
      return;
    }
    view.append(errorBox(error));
  }
  if (mine === generation && !firstRender) view.querySelector('h1')?.focus();
  firstRender = false;
}

document.getElementById('sign-out').addEventListener('click', () => {
  clearToken();
  location.hash = '#/login';
  route();
});
window.addEventListener('hashchange', route);
route();
