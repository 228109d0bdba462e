import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPhoneDetector } from '../../src/pii/phone.ts';
import { valuesOf } from './helpers.ts';

const detector = createPhoneDetector();

describe('PHONE detector', () => {
  const positives: Array<[string, string]> = [
    ['call +44 20 7946 0958 today', '+44 20 7946 0958'],
    ['call +1-415-555-0132.', '+1-415-555-0132'],
    ['office +49 (0)30 123456', '+49 (0)30 123456'],
    ['compact +14155550132', '+14155550132'],
    ['+1 (415) 555-0132 ext', '+1 (415) 555-0132'],
    ['+33 6 12 34 56 78', '+33 6 12 34 56 78'],
    ['tel:+14155550132', '+14155550132'],
    ['US (415) 555-0132', '(415) 555-0132'],
    ['US 415-555-0132', '415-555-0132'],
    ['dots 415.555.0132', '415.555.0132'],
    ['spaces 415 555 0132', '415 555 0132'],
    ['long distance 1-415-555-0132', '1-415-555-0132'],
    ['UK 020 7946 0958', '020 7946 0958'],
    ['freephone 0800 123 4567', '0800 123 4567'],
    ['Berlin 030 123456', '030 123456'],
    ['Paris 06 12 34 56 78', '06 12 34 56 78'],
    ['Lyon 04.72.00.00.00', '04.72.00.00.00'],
    ['"phone":"(212) 555-0199"', '(212) 555-0199'],
  ];
  for (const [text, expected] of positives) {
    it(`finds ${expected}`, () => assert.deepEqual(valuesOf(detector, text), [expected]));
  }

  it('drops a trailing number the international pattern swallowed past 15 digits', () => {
    assert.deepEqual(valuesOf(detector, 'call +44 20 7946 0958 2026 11 29'), ['+44 20 7946 0958']);
  });

  const negatives = [
    'timestamp 2026-11-29 12:30:45',
    'compact date 20261129',
    'iso 2026-11-29T12:30:45.123Z',
    'date 01.02.2026 and 01-02-2026',
    'version 1.2.3 and v10.4.12 and 10.4.12.1234',
    'order #123456789012',
    'bare run 4155550132',
    'glued abc4155550132def',
    'ID ORD-415-555-0132',
    'longer token 415-555-0132-77',
    'dotted 415.555.0132.5',
    'ipv4 192.168.100.200 and 8.8.8.8',
    'padded ip 010.001.002.003 and octal 0300.0250.01.01',
    'byte dump <Buffer 01 02 03 04 05 06 07 08>',
    'card 4111 1111 1111 1111',
    'uuid 123e4567-e89b-12d3-a456-426614174000',
    'uuid 12345678-1234-5678-1234-567812345678',
    'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'NANP area cannot start with 1: 123-456-7890',
    'exchange cannot start with 0: (415) 055-0132',
    'too short +1 2345',
    'too long +1234567890123456789',
    'arithmetic 1+4155550132 and (x<<16)+16777216*y',
    'ssn shape 078-05-1120',
    'clock 12:30:45 and 10:15',
    'few digits 555-0132',
    'ZIP+4 02139-4307 and 07030-1234',
    'part numbers SKU 0860-9860-41, P/N 0412-7731-05, part no. 0860 9860 41, item #0455-1200-88',
  ];
  for (const text of negatives) {
    it(`ignores ${JSON.stringify(text)}`, () => assert.deepEqual(valuesOf(detector, text), []));
  }
});
