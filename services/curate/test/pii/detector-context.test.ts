import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCreditCardDetector } from '../../src/pii/credit-card.ts';
import { createEmailDetector } from '../../src/pii/email.ts';
import { createIbanDetector } from '../../src/pii/iban.ts';
import { createIpAddressDetector } from '../../src/pii/ip-address.ts';
import { createPhoneDetector } from '../../src/pii/phone.ts';
import { createSecretDetector } from '../../src/pii/secrets/index.ts';
import type { Detector } from '../../src/pii/types.ts';
import { createUrlCredentialsDetector } from '../../src/pii/url-credentials.ts';
import { createUsSsnDetector } from '../../src/pii/us-ssn.ts';
import { fakeToken, spansOf } from './helpers.ts';

/*
 * The detectors run their patterns only where a match can start (digit runs from the shared index,
 * anchors from one trigger scan). These cases pin that down for every family: the value alone, at
 * the start and the end of a text, next to punctuation and brackets, after non-ASCII text (where
 * string indices and byte offsets differ), and several times in one text.
 */
const cases: Array<[name: string, detector: Detector, value: string]> = [
  ['international phone', createPhoneDetector(), '+44 20 7946 0958'],
  ['international phone with trunk', createPhoneDetector(), '+49 (0)30 123456'],
  ['NANP phone', createPhoneDetector(), '(415) 555-0132'],
  ['NANP phone with country code', createPhoneDetector(), '1-415-555-0132'],
  ['dotted NANP phone', createPhoneDetector(), '415.555.0132'],
  ['trunk-prefixed phone', createPhoneDetector(), '020 7946 0958'],
  ['grouped card', createCreditCardDetector(), '4111 1111 1111 1111'],
  ['bare card', createCreditCardDetector(), '5555555555554444'],
  ['Amex card', createCreditCardDetector(), '3782 822463 10005'],
  ['grouped IBAN', createIbanDetector(), 'DE89 3704 0044 0532 0130 00'],
  ['compact IBAN', createIbanDetector(), 'GB29NWBK60161331926819'],
  ['dashed SSN', createUsSsnDetector(), '536-22-1234'],
  ['IPv4', createIpAddressDetector({ includePrivate: false }), '81.2.69.160'],
  ['IPv6', createIpAddressDetector({ includePrivate: false }), '2001:db8::8a2e:370:7334'],
  ['e-mail', createEmailDetector(), 'jane.doe@example.com'],
  ['GitHub token', createSecretDetector(), fakeToken('ghp_', 36)],
  ['AWS access key id', createSecretDetector(), fakeToken('AKIA', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')],
];

const contexts: Array<[name: string, before: string, after: string]> = [
  ['alone', '', ''],
  ['at the start', '', ' is it'],
  ['at the end', 'it is ', ''],
  ['in a sentence', 'Use ', ', please.'],
  ['before a full stop', 'It is ', '.'],
  ['in parentheses', 'x (', ') y'],
  ['in double quotes', '{"v": "', '"}'],
  ['in brackets', '[', ']'],
  ['after a colon', 'value: ', ';'],
  ['on its own line', 'a\n', '\nb'],
  ['after an emoji', '😀 ', ' 😀'],
  ['after CJK text', '电话：', '。'],
  ['between accents and dashes', 'café — ', ' — noté'],
];

describe('detectors find values wherever they stand', () => {
  for (const [name, detector, value] of cases) {
    it(name, () => {
      for (const [where, before, after] of contexts) {
        const text = before + value + after;
        assert.deepEqual(
          spansOf(detector, text).map((span) => [span.start, span.end, span.value]),
          [[before.length, before.length + value.length, value]],
          `${name} ${where}: ${JSON.stringify(text)}`,
        );
      }
    });
  }

  it('finds every occurrence in one text, in order', () => {
    for (const [name, detector, value] of cases) {
      const text = `${value} and ${value}; 😀 ${value}`;
      const starts = spansOf(detector, text).map((span) => span.start);
      assert.deepEqual(starts, [0, value.length + 5, text.length - value.length], name);
    }
  });

  it('finds nothing when the value is glued to a longer word', () => {
    const digitCases = cases.filter(([name]) => !/IPv6|e-mail|token|key/.test(name));
    for (const [name, detector, value] of digitCases) {
      const text = `id${value.replace(/^\+/, '')}x`;
      assert.deepEqual(spansOf(detector, text), [], `${name}: ${text}`);
    }
  });
});

describe('URL credentials wherever they stand', () => {
  const detector = createUrlCredentialsDetector();
  it('finds the userinfo at the start, the end and after non-ASCII text', () => {
    for (const [before, after] of [['', ''], ['😀 ', '.'], ['see: ', '\n']]) {
      const text = `${before}postgres://app:s3cret-Pw@db.example.com:5432/app${after}`;
      const start = text.indexOf('app:');
      assert.deepEqual(spansOf(detector, text).map((span) => [span.start, span.end]), [[start, start + 'app:s3cret-Pw'.length]]);
    }
  });
});
