import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSample } from '@sluice/core/testing';
import { createConsentStep, consentSectionSchema } from '../../src/operators/consent.ts';

const consent = {
  latest: new Map([['user:granted', true], ['user:revoked', false], ['user:erased', true]]),
  erased: new Set(['user:erased']),
};

test('require_grant keeps only users whose latest consent is a grant', () => {
  const step = createConsentStep(consentSectionSchema.parse({ mode: 'require_grant' }), { consent });
  assert.equal(step.run(makeSample({ userKey: 'user:granted' })).kind, 'keep');
  assert.deepEqual(step.run(makeSample({ userKey: 'user:revoked' })), { kind: 'drop', reason: 'consent_revoked' });
  assert.deepEqual(step.run(makeSample({ userKey: 'user:never' })), { kind: 'drop', reason: 'consent_missing' });
  assert.deepEqual(step.run(makeSample({ userKey: null })), { kind: 'drop', reason: 'consent_missing' });
});

test('allow_unless_revoked keeps the silent, drops the revoked', () => {
  const step = createConsentStep(consentSectionSchema.parse({ mode: 'allow_unless_revoked' }), { consent });
  assert.equal(step.run(makeSample({ userKey: 'user:never' })).kind, 'keep');
  assert.equal(step.run(makeSample({ userKey: null })).kind, 'keep');
  assert.deepEqual(step.run(makeSample({ userKey: 'user:revoked' })), { kind: 'drop', reason: 'consent_revoked' });
});

test('an erasure request wins over any consent, in both modes', () => {
  for (const mode of ['require_grant', 'allow_unless_revoked'] as const) {
    const step = createConsentStep(consentSectionSchema.parse({ mode }), { consent });
    assert.deepEqual(step.run(makeSample({ userKey: 'user:erased' })), { kind: 'drop', reason: 'erasure_requested' });
  }
});

test('the default mode is require_grant', () => {
  assert.equal(consentSectionSchema.parse(undefined).mode, 'require_grant');
});
