import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeText } from '../../src/dedup/normalize.ts';
import { shingleHashes } from '../../src/dedup/shingles.ts';

const shinglesOf = (text: string): Uint32Array => shingleHashes(normalizeText(text));

test('one shingle per window of five words', () => {
  assert.equal(shinglesOf('one two three four five six seven').length, 3);
  assert.equal(shinglesOf('one two three four five').length, 1);
});

test('texts shorter than five words give one shingle of all their words', () => {
  const short = shinglesOf('Reset password');
  assert.equal(short.length, 1);
  assert.deepEqual(shinglesOf('reset   PASSWORD!'), short);
  assert.notDeepEqual(shinglesOf('reset password now'), short);
  assert.notDeepEqual(shinglesOf('password reset'), short, 'word order matters');
});

test('an empty text has no shingles', () => {
  assert.equal(shinglesOf('').length, 0);
  assert.equal(shinglesOf(' ... ').length, 0);
});

test('shared windows hash equally wherever they occur', () => {
  const a = shinglesOf('alpha beta gamma delta epsilon zeta');
  const b = shinglesOf('omega alpha beta gamma delta epsilon');
  assert.equal(a[0], b[1]);
});

test('token boundaries are part of the shingle (no concatenation collisions)', () => {
  assert.notDeepEqual(shinglesOf('ab c'), shinglesOf('a bc'));
});

test('handles multi-byte UTF-8 tokens and is stable', () => {
  const text = 'naïve café 東京 タワー 😀 emoji text';
  assert.equal(shinglesOf(text).length, 3);
  assert.deepEqual(shinglesOf(text), shinglesOf(text.toUpperCase()));
});

test('shingle hashes are pinned', () => {
  // Signatures and LSH buckets are built from these values: changing them is a breaking change.
  assert.deepEqual([...shinglesOf('The quick brown fox jumps over the lazy dog')], [0xc59164aa, 0x7e356f7d, 0xd3d4199a, 0x62baf8b6, 0xa58bc31c]);
});
