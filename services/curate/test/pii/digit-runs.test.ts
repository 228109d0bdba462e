import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indexDigitRuns, type DigitRuns } from '../../src/pii/digit-runs.ts';

/** The kept runs as text, one array per chain: [['415', '555', '0132'], …]. */
function chainsOf(text: string): string[][] {
  const runs: DigitRuns = indexDigitRuns(text);
  const chains: string[][] = [];
  for (let k = 0; k < runs.count; k = (runs.chainLast[k] as number) + 1) {
    const chain: string[] = [];
    for (let r = k; r <= (runs.chainLast[k] as number); r++) chain.push(text.slice(runs.starts[r], runs.ends[r]));
    chains.push(chain);
  }
  return chains;
}

describe('indexDigitRuns', () => {
  it('splits a chain into its runs and counts the digits left to its end', () => {
    const runs = indexDigitRuns('call (415) 555-0132 now');
    assert.deepEqual(runs.starts, [6, 11, 15]);
    assert.deepEqual(runs.ends, [9, 14, 19]);
    assert.deepEqual(runs.chainLast, [2, 2, 2]);
    assert.deepEqual(runs.digitsToChainEnd, [10, 7, 4]);
  });

  it('joins runs across one or two of space, dot, dash and parentheses, and nothing else', () => {
    assert.deepEqual(chainsOf('1 (415) 555-0132'), [['1', '415', '555', '0132']]);
    assert.deepEqual(chainsOf('4111 1111 1111 1111, 1234/5678/9012/3456'), [['4111', '1111', '1111', '1111']]);
    assert.deepEqual(chainsOf('12 . 34 56 78 90 12'), [['34', '56', '78', '90', '12']]); // ' . ' is three
  });

  it('keeps chains of nine digits or four runs, and runs right after + or a capital', () => {
    assert.deepEqual(chainsOf('order 779745106 shipped'), [['779745106']]);
    assert.deepEqual(chainsOf('dns 8.8.8.8 up'), [['8', '8', '8', '8']]);
    assert.deepEqual(chainsOf('dial +1 or +44'), [['1'], ['44']]);
    assert.deepEqual(chainsOf('IBAN DE89 3704'), [['89', '3704']]);
  });

  it('drops dates, times, prices and counts, which no detector can use', () => {
    for (const text of ['on 2026-01-02', 'at 12:30:45', 'for $12.50', '3 items', 'v1.2.3', 'lowercase ab12 34', '12345678']) {
      assert.deepEqual(chainsOf(text), [], text);
    }
  });

  it('finds chains at the very start and end of the text', () => {
    assert.deepEqual(chainsOf('536-22-1234'), [['536', '22', '1234']]);
    assert.deepEqual(chainsOf('(415) 555-0132'), [['415', '555', '0132']]);
    assert.deepEqual(chainsOf('ssn: 536221234'), [['536221234']]);
  });

  it('reports string indices (UTF-16 code units) after non-ASCII text', () => {
    const text = '😀 café — 415-555-0132';
    const runs = indexDigitRuns(text);
    assert.equal(text.slice(runs.starts[0], runs.ends[2]), '415-555-0132');
    assert.equal(runs.starts[0], text.indexOf('415'));
  });

  it('counts only ASCII digits', () => {
    assert.deepEqual(chainsOf('٤١٥٥٥٥٠١٣٢ and ４１５５５５０１３２'), []); // Arabic-Indic and full-width digits
  });

  it('indexes each text afresh', () => {
    assert.equal(indexDigitRuns('536-22-1234').count, 3);
    assert.equal(indexDigitRuns('no digits').count, 0);
  });
});
