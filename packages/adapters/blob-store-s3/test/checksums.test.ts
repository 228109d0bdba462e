import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { integrityProblems, s3Checksum, sha256 } from '../src/checksums.ts';

const hex = (text: string) => createHash('sha256').update(text).digest('hex');

test('a single-part checksum is the base64 SHA-256 of the body', () => {
  assert.equal(s3Checksum([sha256(Buffer.from('hello'))], true), 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=');
});

test('a multipart checksum is the SHA-256 of the concatenated part digests, suffixed with the part count', () => {
  const parts = [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')].map(sha256);
  const expected = createHash('sha256').update(Buffer.concat(parts)).digest('base64');
  assert.equal(s3Checksum(parts, false), `${expected}-3`);
  // Order matters: swapped parts are a different object.
  assert.notEqual(s3Checksum([parts[1]!, parts[0]!, parts[2]!], false), s3Checksum(parts, false));
});

test('an object that matches on every reported property has no integrity problems', () => {
  const expected = { size: 5, sha256: hex('hello'), checksum: 'abc=-2' };
  assert.deepEqual(integrityProblems(expected, { size: 5, checksum: 'abc=-2', metadataSha256: hex('hello'), readBackSha256: hex('hello') }), []);
  // moto reports composite checksums without the part-count suffix.
  assert.deepEqual(integrityProblems(expected, { size: 5, checksum: 'abc=' }), []);
});

test('each mismatch is reported: size, checksum, sha256 metadata, sha256 read back', () => {
  const expected = { size: 5, sha256: hex('hello'), checksum: 'abc=-2' };
  assert.match(integrityProblems(expected, { size: 4 }).join(), /size 4 stored, 5 written/);
  assert.match(integrityProblems(expected, { size: 5, checksum: 'xyz=-2' }).join(), /checksum xyz=-2 stored/);
  assert.match(integrityProblems(expected, { size: 5, checksum: 'abc=-3' }).join(), /checksum abc=-3 stored/);
  assert.match(integrityProblems(expected, { size: 5, metadataSha256: hex('hellO') }).join(), /sha256 metadata/);
  assert.match(integrityProblems(expected, { size: 5, readBackSha256: hex('hellO') }).join(), /read back/);
  assert.equal(integrityProblems(expected, { size: undefined, readBackSha256: hex('x') }).length, 2);
});
