import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactorWith } from './helpers.ts';

const megabyte = 1_000_000;

function fill(unit: string, prefix = '', suffix = ''): string {
  return prefix + unit.repeat(Math.ceil((megabyte - prefix.length - suffix.length) / unit.length)) + suffix;
}

/*
 * Inputs shaped to make a backtracking matcher go quadratic or exponential: long runs that almost
 * match, many anchors without a completion, unterminated structures. The redactor must finish
 * each one; the generous timeout makes a regression fail loudly instead of hanging CI. No timing
 * is asserted: throughput is measured by a benchmark, not by tests.
 */
const adversarial: Record<string, string> = {
  'one letter': fill('a'),
  'one digit': fill('1'),
  'digits and dashes': fill('1-'),
  'digits and spaces': fill('1 '),
  'digits and dots': fill('1.'),
  'plus-prefixed digits': fill('+1 2'),
  'parenthesised area codes': fill('(415) '),
  'leading zeros with spaces': fill('01 '),
  'card-like groups': fill('4111 '),
  'IBAN-like groups': fill('DE89 '),
  'compact IBAN-like run': fill('AB12', 'DE89'),
  'SSN keyword and nine digits': fill('ssn 123456789 '),
  'local part then one @': fill('a.', '', '@example.com'),
  'many @': fill('a@'),
  'many dots after @': fill('.', 'a@'),
  'schemes without authority end': fill('a://b:c@'),
  'scheme markers': fill('://'),
  'colons': fill(':'),
  'hex groups and colons': fill('ffff:'),
  'double colons': fill('a::'),
  'dotted quads without end': fill('1.1.1.1.'),
  'JWT prefix then a long run': fill('a', 'eyJ'),
  'JWT-like segments': fill('eyJhbGciOiJIUzI1NiJ9.'),
  'unterminated PEM headers': fill('-----BEGIN PRIVATE KEY-----'),
  'PEM header then base64': fill('QUJD', '-----BEGIN RSA PRIVATE KEY-----\n'),
  'keywords with operators': fill('password='),
  'keyword then a long value': fill('a', 'password: '),
  'keyword then an unterminated quote': fill('a', 'api_key = "'),
  'quoted keywords': fill('"token": "'),
  'bearer prefix': fill('Bearer '),
  'vendor prefixes': fill('ghp_AKIAsk-hf_xoxb-npm_'),
  'sk- with dashes': fill('a-', 'sk-'),
  'long AKIA run': fill('A', 'AKIA'),
  'a finding every few bytes': fill('a@b.co 8.8.8.8 +14155550132 '),
  'dense international phones': fill('+14155550132 '),
  'dense IPv6 addresses': fill('2001:db8::1 '),
  'percent-encoded at signs': fill('a%40'),
  'command lines without an end': fill('curl -u a ', 'docker login -p "'),
  'unterminated quotes in commands': fill('mysql -p"a '),
  'clock times': fill('12:30:45 '),
  'SSN keywords between nine-digit numbers': fill('ssn 123456789, '),
  'digit runs joined by two separators': fill('12 ('),
  'short chains one separator too far apart': fill('12 . '),
  'digit runs after capitals': fill('AB12 '),
  'hints for the trigger scan': fill('-pBasic_.A['),
  'keywords glued to hints': fill('-password'),
};

describe('redactText on 1 MB adversarial inputs', () => {
  const redactor = redactorWith({ ipIncludePrivate: true });
  for (const [name, text] of Object.entries(adversarial)) {
    it(`finishes: ${name}`, { timeout: 10_000 }, () => {
      const result = redactor.redactText(text);
      assert.equal(typeof result.text, 'string');
    });
  }

  it('finishes pseudonymizing a megabyte dense with findings', { timeout: 10_000 }, () => {
    const result = redactorWith({ defaultAction: 'pseudonymize' }).redactText(adversarial['a finding every few bytes'] ?? '');
    assert.ok((result.findings.EMAIL ?? 0) > 10_000);
  });
});
