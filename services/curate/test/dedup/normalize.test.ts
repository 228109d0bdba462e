import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeText } from '../../src/dedup/normalize.ts';

test('collapses whitespace and case', () => {
  assert.equal(normalizeText('  Hello\t\tWORLD \n again  '), 'hello world again');
});

test('strips prose punctuation at token edges only', () => {
  assert.equal(normalizeText('Hello, world! (Really?) "Yes."'), 'hello world really yes');
  assert.equal(normalizeText('don\'t e.g. 3.14 x-ray'), "don't e.g 3.14 x-ray");
  assert.equal(normalizeText('«Bonjour», dit-il… ¿Qué? 「引用」'), 'bonjour dit-il qué 引用');
});

test('keeps code identifiers and sigils meaningful', () => {
  assert.equal(normalizeText('call a.b() then foo_bar;'), 'call a.b then foo_bar');
  assert.equal(normalizeText('def __init__(self, *args, **kwargs):'), 'def __init__(self *args **kwargs');
  assert.equal(normalizeText('x = -1 => y; #include <stdio.h> @decorator $var --flag ./run.sh'), 'x = -1 => y #include <stdio.h> @decorator $var --flag ./run.sh');
});

test('drops punctuation-only tokens', () => {
  assert.equal(normalizeText('if (x) { return; }'), 'if x return');
  assert.equal(normalizeText('wait ... what , really'), 'wait what really');
  assert.equal(normalizeText('!!! ... ,'), '');
});

test('empty and whitespace-only texts normalize to the empty string', () => {
  assert.equal(normalizeText(''), '');
  assert.equal(normalizeText(' \n\t\u00a0'), '');
});

test('applies NFKC and removes invisible format characters', () => {
  assert.equal(normalizeText('Ｆｕｌｌｗｉｄｔｈ ﬁle ①'), 'fullwidth file 1');
  assert.equal(normalizeText('zero\u200bwidth soft\u00adhyphen \ufeffbom'), 'zerowidth softhyphen bom');
  assert.equal(normalizeText('Straße ÉCOLE Ωmega'), 'straße école ωmega');
  assert.equal(normalizeText('cafe\u0301'), normalizeText('café'));
});
