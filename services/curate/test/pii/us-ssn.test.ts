import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUsSsnDetector, isPlausibleSsn } from '../../src/pii/us-ssn.ts';
import { valuesOf } from './helpers.ts';

const detector = createUsSsnDetector();

describe('US_SSN detector', () => {
  const positives: Array<[string, string]> = [
    ['SSN 536-22-1234 on file', '536-22-1234'],
    ['social security number: 536 22 1234', '536 22 1234'],
    ['no keyword needed with dashes 772-01-9999', '772-01-9999'],
    ['ssn: 536221234', '536221234'],
    ['Social Security 536221234', '536221234'],
    ['536221234 (SSN)', '536221234'],
    ['{"ssn":"899-99-0001"}', '899-99-0001'],
    ['{"tax_id_ssn": "536221234"}', '536221234'],
    ['OWNER_SSN=536221234', '536221234'],
    ['socialSecurityNumber: 536221234', '536221234'],
  ];
  for (const [text, expected] of positives) {
    it(`finds ${expected} in ${JSON.stringify(text)}`, () => assert.deepEqual(valuesOf(detector, text), [expected]));
  }

  const negatives: Array<[reason: string, text: string]> = [
    ['area 000', 'SSN 000-12-3456'],
    ['area 666', 'SSN 666-12-3456'],
    ['area 900-999', 'SSN 900-12-3456 and 999-12-3456'],
    ['group 00', 'SSN 536-00-1234'],
    ['serial 0000', 'SSN 536-22-0000'],
    ['Woolworth wallet card', 'SSN 078-05-1120'],
    ['SSA advertisement', 'SSN 219-09-9999'],
    ['the sequential placeholder', 'SSN 123-45-6789'],
    ['bare nine digits without a keyword', 'order 536221234 shipped'],
    ['bare nine digits far from the keyword', `SSN policy ${'.'.repeat(60)} order 536221234`],
    ['mixed separators', 'SSN 536-22 1234'],
    ['inside a longer token', 'SSN ID536-22-1234 and 536-22-12345 and 1536-22-1234'],
    ['dotted', 'SSN 536.22.1234'],
    ['the neighbouring field of a record', '{"order_id": "381464560", "tax_id_ssn": null, "ref": "536221234"}'],
    ['a number before another field named ssn', 'order=381464560 ssn=***-**-1234'],
    ['a keyword glued to a word', 'lessn 536221234'],
  ];
  for (const [reason, text] of negatives) {
    it(`ignores ${reason}`, () => assert.deepEqual(valuesOf(detector, text), []));
  }

  it('applies the SSA range rules', () => {
    assert.equal(isPlausibleSsn('899990001'), true);
    assert.equal(isPlausibleSsn('665999999'), true);
    assert.equal(isPlausibleSsn('900000001'), false);
  });
});
