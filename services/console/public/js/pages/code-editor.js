import { h } from '../dom.js';

/**
 * A plain textarea (native editing, undo, keyboard and screen-reader behaviour) over a backdrop
 * that mirrors its lines: lines with problems are tinted and their messages are drawn at the end
 * of the offending line, IDE-style. A gutter shows line numbers. The backdrop and gutter are
 * aria-hidden; the accessible list of problems lives outside (see `describedBy`).
 */
export function createCodeEditor({ id, value, describedBy }) {
  const textarea = h('textarea', {
    id, spellcheck: 'false', wrap: 'off', autocapitalize: 'off', autocomplete: 'off', 'aria-describedby': describedBy, rows: 24,
  });
  textarea.value = value;
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
  const backdrop = h('div', { class: 'backdrop', 'aria-hidden': 'true' });
  const element = h('div', { class: 'code-editor' }, gutter, h('div', { class: 'code-area' }, backdrop, textarea));
  let issuesByLine = new Map();

  function paint() {
    const lines = textarea.value.split('\n');
    gutter.replaceChildren(...lines.map((_, i) => h('div', { class: issuesByLine.has(i + 1) ? 'gutter-line has-issue' : 'gutter-line' }, String(i + 1))));
    backdrop.replaceChildren(...lines.map((line, i) => {
      const issues = issuesByLine.get(i + 1);
      return h('div', { class: issues ? 'backdrop-line has-issue' : 'backdrop-line' },
        h('span', { class: 'ghost' }, line),
        issues ? h('span', { class: 'inline-issue', 'data-line': i + 1 }, `  ◀ ${issues.join(' · ')}`) : null);
    }));
    syncScroll();
  }

  function syncScroll() {
    gutter.scrollTop = textarea.scrollTop;
    backdrop.scrollTop = textarea.scrollTop;
    backdrop.scrollLeft = textarea.scrollLeft;
  }

  textarea.addEventListener('input', paint);
  textarea.addEventListener('scroll', syncScroll);

  return {
    element,
    textarea,
    get value() { return textarea.value; },
    /** issues: [{ line?, path, message }]; those without a line are shown on line 1. */
    setIssues(issues) {
      issuesByLine = new Map();
      for (const issue of issues) {
        const line = issue.line ?? 1;
        issuesByLine.set(line, [...(issuesByLine.get(line) ?? []), issue.path ? `${issue.path}: ${issue.message}` : issue.message]);
      }
      textarea.setAttribute('aria-invalid', issues.length > 0 ? 'true' : 'false');
      paint();
    },
    /** Moves the caret to the start of a line and selects it. */
    goToLine(line) {
      const lines = textarea.value.split('\n');
      const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
      textarea.focus();
      textarea.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
      const lineHeight = parseFloat(globalThis.getComputedStyle(textarea).lineHeight) || 20;
      textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
      syncScroll();
    },
    paint,
  };
}
