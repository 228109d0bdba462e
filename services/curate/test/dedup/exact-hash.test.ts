import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { exactHash } from '../../src/dedup/exact-hash.ts';

test('is the sha256 hex of the normalized text', () => {
  assert.equal(exactHash('  Hello,   World! '), createHash('sha256').update('hello world').digest('hex'));
});

test('equal modulo whitespace, case, edge punctuation and Unicode compatibility forms', () => {
  const variants = ['How do I reset my password?', 'how do i reset my password', ' HOW  do\nI reset my PASSWORD ? ', 'Ｈｏｗ do I reset my password?'];
  assert.equal(new Set(variants.map(exactHash)).size, 1);
});

test('different words give different hashes', () => {
  assert.notEqual(exactHash('reset my password'), exactHash('reset my passwords'));
  assert.notEqual(exactHash('x = -1'), exactHash('x = 1'));
});
