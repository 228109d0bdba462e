import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SluiceError } from '@sluice/core';
import { loadRuleset, type RulesetIssue } from '../../src/ruleset/load.ts';

const examples = ['support-assistant', 'coding-assistant'].map((name) => ({
  name, text: readFileSync(new URL(`../../../../examples/${name}.yaml`, import.meta.url), 'utf8'),
}));

function issuesOf(text: string): RulesetIssue[] {
  try {
    loadRuleset(text);
  } catch (error) {
    assert.ok(error instanceof SluiceError && error.code === 'SLUICE_ERR_RULESET_INVALID', String(error));
    return (error.details?.issues ?? []) as RulesetIssue[];
  }
  assert.fail('expected the ruleset to be invalid');
}

test('the shipped example rulesets load', () => {
  for (const example of examples) {
    const loaded = loadRuleset(example.text);
    assert.equal(loaded.ruleset.name, example.name);
    assert.match(loaded.hash, /^[0-9a-f]{64}$/);
  }
});

test('the hash is the version: formatting, key order and JSON vs YAML do not change it; content does', () => {
  const yaml = 'name: demo\nconsent: { mode: allow_unless_revoked }\nsplit: { eval_fraction: 0.2 }\n';
  const reordered = '# comment\nsplit:\n  eval_fraction: 0.2\nconsent:\n  mode: allow_unless_revoked\nname: demo\n';
  const json = JSON.stringify({ split: { eval_fraction: 0.2 }, name: 'demo', consent: { mode: 'allow_unless_revoked' } });
  const hash = loadRuleset(yaml).hash;
  assert.equal(loadRuleset(reordered).hash, hash);
  assert.equal(loadRuleset(json).hash, hash);
  assert.equal(loadRuleset('name: demo\nconsent: { mode: allow_unless_revoked }\nsplit: { eval_fraction: 0.2 }\n# same content\n').hash, hash);
  assert.notEqual(loadRuleset(yaml.replace('0.2', '0.3')).hash, hash);
  // Defaults are part of the version: spelling one out changes nothing.
  assert.equal(loadRuleset(`${yaml}dedup: { mode: near }\n`).hash, hash);
});

test('every problem is reported at once with its path and line', () => {
  const issues = issuesOf([
    'name: Bad Name',          // line 1
    'consent:',                // line 2
    '  mode: sometimes',       // line 3
    'filters:',                // line 4
    '  max_char: 10',          // line 5: typo
    'split:',                  // line 6
    '  eval_fraction: 2',      // line 7
  ].join('\n'));
  const byPath = new Map(issues.map((i) => [i.path, i]));
  assert.equal(byPath.get('name')?.line, 1);
  assert.equal(byPath.get('consent.mode')?.line, 3);
  assert.equal(byPath.get('filters.max_char')?.line, 5);
  assert.equal(byPath.get('split.eval_fraction')?.line, 7);
  assert.equal(issues.length, 4);
});

test('YAML syntax errors and duplicate keys are reported with their line', () => {
  const [syntax] = issuesOf('name: demo\nconsent: [unclosed\n');
  assert.ok(syntax && syntax.line !== undefined && syntax.line >= 2);
  const [duplicate] = issuesOf('name: demo\nname: other\n');
  assert.equal(duplicate?.line, 2);
});

test('a missing name is an error; everything else has defaults', () => {
  assert.ok(issuesOf('consent: { mode: require_grant }').some((i) => i.path === 'name'));
  const loaded = loadRuleset('name: minimal');
  assert.equal(loaded.ruleset.consent.mode, 'require_grant');
  assert.equal(loaded.ruleset.split.eval_fraction, 0.05);
  assert.equal(loaded.ruleset.dedup.threshold, 0.8);
  assert.equal(loaded.ruleset.labels.use_defaults, true);
});
