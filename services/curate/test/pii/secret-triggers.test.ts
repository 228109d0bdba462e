import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSecretDetector } from '../../src/pii/secrets/index.ts';
import { findSecretTriggers } from '../../src/pii/secrets/triggers.ts';
import { vendorTokenRules } from '../../src/pii/secrets/vendor-tokens.ts';
import { fakeToken, valuesOf } from './helpers.ts';

const keywordPattern = /p(?:ass(?:w(?:or)?d|phrase)|wd|rivate[_.-]?key)|secret|token|a(?:pi|ccess|uth)[_.-]?key|credentials?/gi;

/** The keywords the trigger scan reports, as text. */
function keywordsOf(text: string): string[] {
  const triggers = findSecretTriggers(text);
  return triggers.keywordStarts.map((start, k) => text.slice(start, triggers.keywordEnds[k]));
}

describe('findSecretTriggers', () => {
  it('raises the vendor hint for every vendor prefix, alone and inside text', () => {
    for (const anchor of new Set(vendorTokenRules.flatMap((rule) => rule.anchors))) {
      assert.equal(findSecretTriggers(anchor).vendorHint, true, anchor);
      assert.equal(findSecretTriggers(`token: ${anchor}x`).vendorHint, true, anchor);
    }
  });

  it('raises the credential hint for headers, the aws configure prompt and -p/-u flags', () => {
    for (const text of ['Authorization: Bearer x', 'Basic dXNlcjpwYXNz', 'AWS Secret Access Key [None]:', 'mysql -pX', 'curl -u me:x']) {
      assert.equal(findSecretTriggers(text).credentialHint, true, text);
    }
  });

  it('raises no hint on plain chat text', () => {
    const triggers = findSecretTriggers('User: my order 779745106 has not shipped since 2026-01-02. Assistant: Let me check that for you.');
    assert.deepEqual(triggers, { keywordStarts: [], keywordEnds: [], vendorHint: false, credentialHint: false });
  });

  it('matches the hints case-sensitively, as the vendor prefixes and flags are', () => {
    for (const text of ['TASK_ID', 'trip to Asia', 'NPM_TOKEN', 'SK-1234', 'a -P flag', 'bearer of news', 'key [x]']) {
      const triggers = findSecretTriggers(text);
      assert.equal(triggers.vendorHint || triggers.credentialHint, false, text);
    }
  });

  it('reports the keywords that the keyword alternation alone finds, at the same places', () => {
    const texts = [
      'PASSWORD=x; api_key: y; ApiKey z; x-api-key: w; private.key; SECRET_TOKEN=v; client_secret; AccessKey; auth-key',
      'a hint never hides a keyword: -password x-password Basicredentials AKIApi_key sk-token hf_secret .token [passwd',
      'keywords glued together: passwordtoken secretsecret credentialscredential pwdpwd',
    ];
    for (const text of texts) {
      const expected = [...text.matchAll(keywordPattern)].map((match) => match[0]);
      assert.deepEqual(keywordsOf(text), expected, text);
    }
  });

  it('keeps finding vendor tokens next to keywords and values', () => {
    const token = fakeToken('ghp_', 36);
    assert.deepEqual(valuesOf(createSecretDetector(), `token=${token}`), [token, token]);
    assert.deepEqual(valuesOf(createSecretDetector(), `the github token ${token}.`), [token]);
  });
});
