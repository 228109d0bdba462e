/* global location */
import { ApiError, api, query } from '../api.js';
import { errorBox, h, notify, pageHeader, shortHash, timeEl } from '../dom.js';
import { createCodeEditor } from './code-editor.js';
import { renderDryRun } from './dry-run-view.js';

const TEMPLATE = `# A new ruleset: only \`name\` is required (see docs/curation.md).
name: my-dataset
description: What this dataset is for.

select:
  signal_window: 7d

pii:
  default_action: mask

dedup:
  mode: near
  threshold: 0.8

split:
  eval_fraction: 0.05
`;

function issueList(issues, editor) {
  return issues.map((issue) => h('li', null,
    issue.line === undefined ? h('span', { class: 'issue-line' }, 'document') : h('button', { type: 'button', class: 'link issue-line', onclick: () => editor.goToLine(issue.line) }, `Line ${issue.line}`),
    ' ', issue.path ? h('code', null, issue.path) : null, issue.path ? ': ' : '', issue.message));
}

export async function renderRulesetEditor(el, name, params) {
  const isNew = name === '+new';
  const hash = params.get('hash') ?? undefined;
  const current = isNew ? null : await api(`/v1/admin/rulesets/${encodeURIComponent(name)}${query({ hash })}`);
  el.append(pageHeader(isNew ? 'New ruleset' : `Ruleset ${name}`, h('p', null, h('a', { href: '#/rulesets' }, '← All rulesets'))));

  if (current) {
    const versions = h('select', {
      id: 'version',
      onchange: (event) => { location.hash = `#/rulesets/${encodeURIComponent(name)}${query({ hash: event.target.value })}`; },
    }, current.versions.map((v, i) => h('option', { value: v.hash, selected: v.hash === current.hash }, `${shortHash(v.hash)} · ${v.created_at.slice(0, 19).replace('T', ' ')}${i === 0 ? ' (newest)' : ''}`)));
    el.append(h('div', { class: 'inline-field' }, h('label', { for: 'version' }, 'Version'), versions, h('span', { class: 'muted small' }, 'saved ', timeEl(current.created_at))));
  }

  const status = h('p', { id: 'ruleset-status', class: 'validity', role: 'status' });
  const issues = h('ul', { id: 'ruleset-issues', class: 'issues', 'aria-label': 'Problems in the ruleset' });
  const editor = createCodeEditor({ id: 'ruleset-source', value: current?.source_text ?? TEMPLATE, describedBy: 'ruleset-status ruleset-issues' });
  const save = h('button', { type: 'button', disabled: true }, 'Save as new version');
  const limit = h('input', { id: 'dry-run-limit', type: 'number', min: 1, max: 2000, value: '200', inputmode: 'numeric' });
  const run = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Run dry-run');
  const results = h('section', { class: 'dry-run', 'aria-label': 'Dry-run results', 'aria-busy': 'false' });

  el.append(h('section', { class: 'card editor-card', 'aria-label': 'Editor' },
    h('label', { id: 'editor-label', for: 'ruleset-source', class: 'editor-label' }, 'Ruleset (YAML or JSON)'),
    editor.element, status, issues,
    h('div', { class: 'toolbar' }, save,
      h('div', { class: 'inline-field' }, h('label', { for: 'dry-run-limit' }, 'Newest generations'), limit), run)),
  results);

  let valid = null;
  let asked = 0;
  const validate = async () => {
    const mine = ++asked;
    const verdict = await api('/v1/admin/rulesets/validate', { method: 'POST', body: { source: editor.value } });
    if (mine !== asked) return;
    valid = verdict.valid ? verdict : null;
    editor.setIssues(verdict.issues);
    issues.replaceChildren(...issueList(verdict.issues, editor));
    status.className = `validity ${verdict.valid ? 'ok' : 'bad'}`;
    status.textContent = verdict.valid
      ? `Valid · ${verdict.name} · version ${shortHash(verdict.hash)}${current && verdict.hash === current.hash ? ' (this version)' : ''}`
      : `${verdict.issues.length} problem${verdict.issues.length === 1 ? '' : 's'}: the ruleset cannot be saved or run.`;
    save.disabled = !verdict.valid || (current !== null && verdict.hash === current.hash);
    run.disabled = !verdict.valid;
  };
  let timer;
  editor.textarea.addEventListener('input', () => {
    save.disabled = true;
    run.disabled = true;
    globalThis.clearTimeout(timer);
    timer = globalThis.setTimeout(() => validate().catch((error) => { status.textContent = error.message; }), 300);
  });

  save.addEventListener('click', async () => {
    if (!valid) return;
    save.disabled = true;
    try {
      const saved = await api(`/v1/admin/rulesets/${encodeURIComponent(valid.name)}`, { method: 'PUT', body: { source: editor.value } });
      notify(saved.created ? `Saved ${saved.name} version ${shortHash(saved.hash)}` : `${saved.name} already has this version`);
      location.hash = `#/rulesets/${encodeURIComponent(saved.name)}${query({ hash: saved.hash })}`;
    } catch (error) {
      status.textContent = error.message;
      if (error instanceof ApiError && error.details?.issues) editor.setIssues(error.details.issues);
    }
  });

  run.addEventListener('click', async () => {
    run.disabled = true;
    results.setAttribute('aria-busy', 'true');
    results.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Running the dry-run…'));
    try {
      const report = await api('/v1/admin/rulesets/dry-run', { method: 'POST', body: { source: editor.value, limit: Number(limit.value) || 200, examples: 10 } });
      renderDryRun(results, report);
      results.querySelector('h2')?.focus();
    } catch (error) {
      results.replaceChildren(errorBox(error));
    } finally {
      results.setAttribute('aria-busy', 'false');
      run.disabled = valid === null;
    }
  });

  await validate();
}
