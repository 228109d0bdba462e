import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { errorCatalogue, SluiceError, errorBody } from '../src/errors.ts';

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

test('every code is SLUICE_ERR_*, documented in docs/errors.md, with a message and an HTTP status', () => {
  for (const [code, entry] of Object.entries(errorCatalogue)) {
    assert.match(code, /^SLUICE_ERR_[A-Z0-9_]+$/);
    assert.ok(docs.includes(`\`${code}\``), `${code} is missing from docs/errors.md`);
    assert.ok(entry.message.length > 0);
    assert.ok(entry.status >= 400 && entry.status < 600);
  }
});

test('docs/errors.md lists no code the catalogue lacks', () => {
  const documented = new Set(docs.match(/SLUICE_ERR_[A-Z0-9_]+/g));
  for (const code of documented) assert.ok(code in errorCatalogue, `${code} is documented but not in the catalogue`);
});

test('SluiceError carries code, status, retryability and the JSON body shape', () => {
  const error = new SluiceError('SLUICE_ERR_QUEUE_FULL', undefined, { details: { queued_events: 5 } });
  assert.equal(error.status, 503);
  assert.equal(error.retryable, true);
  assert.equal(new SluiceError('SLUICE_ERR_UNAUTHORIZED').retryable, false);
  assert.deepEqual(errorBody(error), { error: { code: 'SLUICE_ERR_QUEUE_FULL', message: errorCatalogue.SLUICE_ERR_QUEUE_FULL.message, queued_events: 5 } });
});
