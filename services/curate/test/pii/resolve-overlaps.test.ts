import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveOverlaps } from '../../src/pii/resolve-overlaps.ts';
import type { PiiType, Span } from '../../src/pii/types.ts';

function span(type: PiiType, start: number, end: number, subtype?: string): Span {
  return { type, start, end, value: 'v'.repeat(end - start), ...(subtype === undefined ? {} : { subtype }) };
}

describe('resolveOverlaps', () => {
  it('keeps the longest of overlapping spans', () => {
    assert.deepEqual(resolveOverlaps([span('PHONE', 0, 10), span('EMAIL', 5, 25)], 30), [span('EMAIL', 5, 25)]);
  });

  it('breaks length ties by priority SECRET > URL_CREDENTIALS > CREDIT_CARD > IBAN > US_SSN > EMAIL > IP_ADDRESS > PHONE', () => {
    const order: PiiType[] = ['PHONE', 'IP_ADDRESS', 'EMAIL', 'US_SSN', 'IBAN', 'CREDIT_CARD', 'URL_CREDENTIALS', 'SECRET'];
    for (let i = 1; i < order.length; i++) {
      const winner = order[i] as PiiType;
      const loser = order[i - 1] as PiiType;
      assert.deepEqual(resolveOverlaps([span(loser, 0, 10), span(winner, 0, 10)], 10), [span(winner, 0, 10)], `${winner} over ${loser}`);
    }
  });

  it('ranks custom detectors below every built-in type', () => {
    assert.deepEqual(resolveOverlaps([span('EMPLOYEE_ID', 0, 8), span('PHONE', 0, 8)], 8), [span('PHONE', 0, 8)]);
  });

  it('keeps the first-detected span on a full tie (vendor subtype before the generic one)', () => {
    const specific = span('SECRET', 0, 10, 'github_token');
    assert.deepEqual(resolveOverlaps([specific, span('SECRET', 0, 10, 'assigned_secret')], 10), [specific]);
  });

  it('keeps disjoint and touching spans and returns them by start', () => {
    const spans = [span('EMAIL', 20, 30), span('PHONE', 0, 10), span('IBAN', 10, 20)];
    assert.deepEqual(resolveOverlaps(spans, 30), [span('PHONE', 0, 10), span('IBAN', 10, 20), span('EMAIL', 20, 30)]);
  });

  it('gives the same answer with many spans (coverage-map path) as with few', () => {
    const many: Span[] = [];
    for (let i = 0; i < 100; i++) many.push(span('PHONE', i * 10, i * 10 + 6), span('EMAIL', i * 10 + 3, i * 10 + 10));
    const resolved = resolveOverlaps(many, 1000);
    assert.equal(resolved.length, 100);
    assert.ok(resolved.every((s) => s.type === 'EMAIL'));
  });
});
