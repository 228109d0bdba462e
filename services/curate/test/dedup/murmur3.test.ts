import assert from 'node:assert/strict';
import { test } from 'node:test';
import { murmur3Bytes, murmur3Words } from '../../src/dedup/murmur3.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const ofText = (text: string, seed: number): number => murmur3Bytes(utf8(text), 0, utf8(text).length, seed);

test('matches the reference murmur3_x86_32 test vectors', () => {
  assert.equal(ofText('', 0), 0);
  assert.equal(ofText('', 1), 0x514e28b7);
  assert.equal(ofText('', 0xffffffff), 0x81f16f39);
  assert.equal(ofText('a', 0x9747b28c), 0x7fa09ea6);
  assert.equal(ofText('abc', 0), 0xb3dd93fa);
  assert.equal(ofText('Hello, world!', 0x9747b28c), 0x24884cba);
  assert.equal(ofText('The quick brown fox jumps over the lazy dog', 0x9747b28c), 0x2fa826cd);
});

test('hashes a sub-range exactly like the same bytes on their own', () => {
  const bytes = utf8('xxhello worldyy');
  assert.equal(murmur3Bytes(bytes, 2, 13, 7), ofText('hello world', 7));
});

test('word hashing equals byte hashing of the little-endian words', () => {
  const words = Uint32Array.of(0x64636261, 0x68676665, 0x0000_0069);
  const bytes = new Uint8Array(words.buffer);
  assert.equal(murmur3Words(words, 0, 3, 42), murmur3Bytes(bytes, 0, 12, 42));
  assert.equal(murmur3Words(words, 1, 1, 42), murmur3Bytes(bytes, 4, 8, 42));
});
