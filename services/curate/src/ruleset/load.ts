import { SluiceError, type StoredRuleset } from '@sluice/core';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { rulesetSchema, type Ruleset } from './schema.ts';

export interface RulesetIssue {
  /** Dotted path into the ruleset, e.g. `pii.actions.EMAIL`. */
  path: string;
  message: string;
  /** 1-based line in the source text, when the parser can place it. */
  line?: number;
}

export interface LoadedRuleset {
  ruleset: Ruleset;
  /** sha256 of the canonical JSON of the parsed ruleset (defaults filled in): its version. */
  hash: string;
  canonical: string;
  stored: StoredRuleset;
}

/**
 * Parses a ruleset written in YAML or JSON (JSON is read by the YAML parser too, so both get line
 * numbers), validates it, and computes its version hash. Every problem is reported at once,
 * each with its path and line, in SluiceError('SLUICE_ERR_RULESET_INVALID').details.issues.
 */
export function loadRuleset(sourceText: string, options: { now?: number } = {}): LoadedRuleset {
  const lineCounter = new LineCounter();
  const doc = parseDocument(sourceText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // Without prettyErrors, linePos is unset: place each error from its character offset.
    throw invalid(doc.errors.map((e) => ({
      path: '', message: e.message.split('\n')[0] ?? e.message, line: lineCounter.linePos(e.pos[0]).line,
    })));
  }
  const raw: unknown = doc.toJS();
  const result = rulesetSchema.safeParse(raw);
  if (!result.success) {
    throw invalid(result.error.issues.map((issue) => {
      // An unknown key is reported on its parent object; point at the key itself.
      const path = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
      return { path: path.map(String).join('.'), message: issue.message, ...lineOf(doc, path, lineCounter) };
    }));
  }
  const canonical = canonicalJson(result.data);
  const hash = sha256Hex(canonical);
  return {
    ruleset: result.data,
    hash,
    canonical,
    stored: { name: result.data.name, hash, content: canonical, sourceText, createdAt: options.now ?? Date.now() },
  };
}

/** The line of the deepest node of the issue's path that exists in the document. */
function lineOf(doc: ReturnType<typeof parseDocument>, issuePath: readonly PropertyKey[], lineCounter: LineCounter): { line?: number } {
  const path = issuePath.map((p) => (typeof p === 'symbol' ? String(p) : p));
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return { line: lineCounter.linePos(node.range[0]).line };
  }
  return {};
}

function invalid(issues: RulesetIssue[]): SluiceError {
  const text = issues.map((i) => `  - ${i.path || '(root)'}${i.line === undefined ? '' : ` (line ${i.line})`}: ${i.message}`).join('\n');
  return new SluiceError('SLUICE_ERR_RULESET_INVALID', `invalid ruleset:\n${text}`, { details: { issues } });
}
