import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SluiceError } from '@sluice/core';
import { toSluiceError } from '../src/s3-errors.ts';

/** Shaped like the SDK's S3ServiceException: a name and the HTTP status in $metadata. */
function sdkError(name: string, status?: number): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return Object.assign(error, status === undefined ? {} : { $metadata: { httpStatusCode: status } });
}

test('SDK and network failures map to the error catalogue, keeping the cause', () => {
  const cases: [Error, SluiceError['code']][] = [
    [sdkError('NoSuchKey', 404), 'SLUICE_ERR_BLOB_NOT_FOUND'],
    [sdkError('NotFound', 404), 'SLUICE_ERR_BLOB_NOT_FOUND'],
    [sdkError('NoSuchBucket', 404), 'SLUICE_ERR_CONFIG_INVALID'],
    [sdkError('AccessDenied', 403), 'SLUICE_ERR_CONFIG_INVALID'],
    [sdkError('InvalidAccessKeyId', 403), 'SLUICE_ERR_CONFIG_INVALID'],
    [sdkError('BadDigest', 400), 'SLUICE_ERR_BLOB_INTEGRITY'],
    [sdkError('InternalError', 500), 'SLUICE_ERR_BLOB_STORE_UNAVAILABLE'],
    [sdkError('SlowDown', 503), 'SLUICE_ERR_BLOB_STORE_UNAVAILABLE'],
    [sdkError('RequestTimeout', 400), 'SLUICE_ERR_BLOB_STORE_UNAVAILABLE'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'SLUICE_ERR_BLOB_STORE_UNAVAILABLE'],
    [sdkError('InvalidRequest', 400), 'SLUICE_ERR_INTERNAL'],
  ];
  for (const [error, code] of cases) {
    const mapped = toSluiceError(error, 'get k');
    assert.equal(mapped.code, code, error.name);
    assert.equal(mapped.cause, error);
    assert.match(mapped.message, /^S3 blob store: get k: /);
  }
  assert.equal(toSluiceError(sdkError('SlowDown', 503), 'x').retryable, true);
  assert.equal(toSluiceError(sdkError('AccessDenied', 403), 'x').retryable, false);
});

test('a SluiceError passes through unchanged', () => {
  const original = new SluiceError('SLUICE_ERR_BLOB_INTEGRITY');
  assert.equal(toSluiceError(original, 'x'), original);
});
