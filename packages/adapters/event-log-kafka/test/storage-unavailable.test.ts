import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SluiceError } from '@sluice/core';
import { describeKafkaError, storageUnavailable, withDeadline } from '../src/storage-unavailable.ts';

test('a Kafka error becomes SLUICE_ERR_STORAGE_UNAVAILABLE (503, retryable) with the cause kept', () => {
  const cause = new Error('Connection closed');
  const error = storageUnavailable(cause);
  assert.equal(error.code, 'SLUICE_ERR_STORAGE_UNAVAILABLE');
  assert.equal(error.status, 503);
  assert.equal(error.retryable, true);
  assert.equal(error.cause, cause);
  assert.doesNotMatch(error.message, /Connection closed/, 'internal details stay out of the client-facing message');
});

test('a SluiceError passes through unchanged', () => {
  const original = new SluiceError('SLUICE_ERR_SHUTTING_DOWN');
  assert.equal(storageUnavailable(original), original);
});

test('withDeadline rejects with SLUICE_ERR_STORAGE_UNAVAILABLE when the work is too slow', async () => {
  const never = new Promise<never>(() => {});
  await assert.rejects(withDeadline(never, 20, () => 'too slow'), { code: 'SLUICE_ERR_STORAGE_UNAVAILABLE', message: 'too slow' });
});

test('withDeadline passes results and errors of timely work through', async () => {
  assert.equal(await withDeadline(Promise.resolve(7), 1000, () => 'x'), 7);
  await assert.rejects(withDeadline(Promise.reject(new Error('boom')), 1000, () => 'x'), /boom/);
});

test('describeKafkaError reports the innermost reasons of nested client errors', () => {
  const refused = new Error('connect ECONNREFUSED 127.0.0.1:1');
  const nested = new AggregateError([new Error('Connection failed.', { cause: refused }), new Error('Connection failed.', { cause: refused })], 'metadata failed 2 times.');
  assert.equal(describeKafkaError(nested), 'connect ECONNREFUSED 127.0.0.1:1');
  assert.equal(describeKafkaError('plain'), 'plain');
});
