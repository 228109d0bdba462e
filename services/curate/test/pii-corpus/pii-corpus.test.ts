import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinPiiTypes, createRedactor, defaultPiiPolicy, type BuiltinPiiType, type PiiType } from '../../src/index.ts';
import { hasKnownIssuerPrefix, passesLuhn } from '../../src/pii/credit-card.ts';
import { isValidIban } from '../../src/pii/iban.ts';
import { isPlausibleSsn } from '../../src/pii/us-ssn.ts';
import { testPseudonymKey } from '../pii/helpers.ts';
import { buildPiiCorpus } from './corpus.ts';
import { scoreCorpus } from './score.ts';

/*
 * Measured on the default corpus (seed 2026, 2,000 texts) and reported in docs/pii-quality.md.
 * Each threshold sits just below the measured value, so any regression fails; a type below the
 * 0.95 target is held at its honest level until the redactor improves (then raise it here and in
 * the docs).
 */
const THRESHOLDS: Readonly<Record<BuiltinPiiType, { precision: number; recall: number }>> = {
  SECRET: { precision: 0.99, recall: 0.99 }, // measured 1.000 / 0.994: unquoted Django keys holding '(', single-class passphrases
  URL_CREDENTIALS: { precision: 0.99, recall: 0.99 }, // 1.000 / 1.000
  CREDIT_CARD: { precision: 0.99, recall: 0.99 }, // 1.000 / 1.000
  IBAN: { precision: 0.99, recall: 0.99 }, // 1.000 / 1.000
  US_SSN: { precision: 0.99, recall: 0.98 }, // 1.000 / 0.980: bare SSNs in table columns headed `ssn`
  EMAIL: { precision: 0.99, recall: 0.99 }, // 1.000 / 1.000
  IP_ADDRESS: { precision: 0.99, recall: 0.99 }, // 1.000 / 1.000
  PHONE: { precision: 0.99, recall: 0.95 }, // 1.000 / 0.954: bare ten-digit and seven-digit numbers (by decision)
};

/**
 * False positives the redactor is known to produce, by type and the hard-negative kind they hit
 * (docs/pii-quality.md, "Known false positives"). A fix makes the last test fail: then remove
 * the entry here and in the docs, and raise the threshold above. None on this corpus at present:
 * add an entry when a change to the corpus or the rules makes one appear and it is accepted.
 */
const KNOWN_FALSE_POSITIVES: ReadonlyArray<readonly [PiiType, string]> = [];
const ZERO_ON_NEGATIVES: readonly PiiType[] = builtinPiiTypes;

const texts = buildPiiCorpus();
const redactor = createRedactor(defaultPiiPolicy(), { pseudonymKey: testPseudonymKey });
const detected = texts.map((item) => redactor.redactText(item.text).spans);
const score = scoreCorpus(texts, (_text, index) => detected[index] ?? []);

describe('planted-PII corpus', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    assert.deepEqual(buildPiiCorpus({ size: 150 }), texts.slice(0, 150));
    assert.notDeepEqual(buildPiiCorpus({ seed: 7, size: 150 }), texts.slice(0, 150));
  });

  it('holds about 2,000 texts, a quarter hard-negative only, and 100+ planted values of every type', () => {
    assert.equal(texts.length, 2000);
    assert.ok(score.negativeOnlyTexts > 400 && score.negativeOnlyTexts < 600, `${score.negativeOnlyTexts} negative-only texts`);
    for (const type of score.byType) assert.ok(type.planted >= 100, `${type.type}: only ${type.planted} planted`);
    assert.ok(texts.filter((item) => item.negativeOnly).every((item) => item.planted.length === 0));
  });

  it('plants valid values: Luhn cards with an issuer prefix, mod-97 IBANs, SSA-range SSNs', () => {
    for (const item of texts) {
      for (const span of item.planted) {
        const value = item.text.slice(span.start, span.end);
        if (span.type === 'CREDIT_CARD') {
          const digits = value.replace(/\D/g, '');
          assert.ok(passesLuhn(digits) && hasKnownIssuerPrefix(digits), `${item.id}: card ${span.subtype}`);
        }
        if (span.type === 'IBAN') assert.ok(isValidIban(value), `${item.id}: IBAN ${span.subtype}`);
        if (span.type === 'US_SSN') assert.ok(isPlausibleSsn(value.replace(/\D/g, '')), `${item.id}: SSN ${span.subtype}`);
      }
    }
  });

  it('records planted values and hard negatives as disjoint spans inside the text', () => {
    for (const item of texts) {
      const spans = [...item.planted, ...item.negatives].sort((a, b) => a.start - b.start);
      spans.forEach((span, i) => {
        assert.ok(span.start < span.end && span.end <= item.text.length, `${item.id}: span out of range`);
        const previous = spans[i - 1];
        if (previous !== undefined) assert.ok(previous.end <= span.start, `${item.id}: overlapping ground truth`);
      });
    }
  });

  for (const type of builtinPiiTypes) {
    const threshold = THRESHOLDS[type];
    it(`${type}: recall ≥ ${threshold.recall}, precision ≥ ${threshold.precision}`, () => {
      const measured = score.byType.find((entry) => entry.type === type);
      assert.ok(measured !== undefined);
      const misses = score.misses.filter((miss) => miss.type === type).slice(0, 5).map((miss) => `${miss.label}: ${miss.excerpt}`);
      assert.ok(measured.recall >= threshold.recall, `${type} recall ${measured.recall.toFixed(3)}; e.g.\n${misses.join('\n')}`);
      const falsePositives = score.falsePositives.filter((fp) => fp.type === type).slice(0, 5).map((fp) => `${fp.label}: ${fp.excerpt}`);
      assert.ok(measured.precision >= threshold.precision, `${type} precision ${measured.precision.toFixed(3)}; e.g.\n${falsePositives.join('\n')}`);
    });
  }

  it(`finds no ${ZERO_ON_NEGATIVES.join(', ')} in hard-negative-only texts beyond the known false positives`, () => {
    const unexpected: string[] = [];
    texts.forEach((item, i) => {
      if (!item.negativeOnly) return;
      for (const span of detected[i] ?? []) {
        if (!ZERO_ON_NEGATIVES.includes(span.type)) continue;
        const hit = item.negatives.find((negative) => negative.start < span.end && span.start < negative.end);
        const known = hit !== undefined && KNOWN_FALSE_POSITIVES.some(([type, kind]) => type === span.type && kind === hit.kind);
        if (!known) unexpected.push(`${item.id} ${span.type} on ${hit?.kind ?? 'template text'}: ${JSON.stringify(item.text.slice(span.start, span.end))}`);
      }
    });
    assert.deepEqual(unexpected, []);
  });

  it('still produces each known false positive (remove fixed ones from the list and the docs)', () => {
    for (const [type, kind] of KNOWN_FALSE_POSITIVES) {
      assert.ok(score.falsePositiveCauses.some((cause) => cause.type === type && cause.cause === kind), `${type} on ${kind} no longer occurs`);
    }
  });
});
