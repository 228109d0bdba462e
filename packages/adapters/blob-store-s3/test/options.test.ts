import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SluiceError } from '@sluice/core';
import { partSizeFor, resolveS3Options } from '../src/options.ts';

const MiB = 1024 * 1024;
const invalidConfig = (e: unknown) => e instanceof SluiceError && e.code === 'SLUICE_ERR_CONFIG_INVALID';

test('defaults: 8 MiB parts, 4 at a time, checksums on, no prefix', () => {
  assert.deepEqual(resolveS3Options({ bucket: 'b' }), { bucket: 'b', keyPrefix: '', partSize: 8 * MiB, concurrency: 4, checksums: true });
});

test("a prefix gets one trailing '/'", () => {
  assert.equal(resolveS3Options({ bucket: 'b', prefix: 'sluice/prod' }).keyPrefix, 'sluice/prod/');
  assert.equal(resolveS3Options({ bucket: 'b', prefix: 'sluice/' }).keyPrefix, 'sluice/');
});

test('part sizes S3 would refuse, a bad prefix or no bucket are configuration errors', () => {
  assert.throws(() => resolveS3Options({ bucket: 'b', partSizeBytes: 5 * MiB - 1 }), invalidConfig);
  assert.throws(() => resolveS3Options({ bucket: 'b', partSizeBytes: 6 * 1024 * MiB }), invalidConfig);
  assert.throws(() => resolveS3Options({ bucket: 'b', uploadConcurrency: 0 }), invalidConfig);
  assert.throws(() => resolveS3Options({ bucket: '' }), invalidConfig);
  assert.throws(() => resolveS3Options({ bucket: 'b', prefix: '../x' }));
});

test('a file that would need more than 10,000 parts gets larger parts, in whole MiB', () => {
  assert.equal(partSizeFor(12 * MiB, 5 * MiB), 5 * MiB);
  assert.equal(partSizeFor(10_000 * 8 * MiB, 8 * MiB), 8 * MiB);
  assert.equal(partSizeFor(10_000 * 8 * MiB + 1, 8 * MiB), 9 * MiB);
  assert.equal(partSizeFor(200 * 1024 * MiB, 8 * MiB), 21 * MiB);
});
