import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIbanDetector, isValidIban } from '../../src/pii/iban.ts';
import { valuesOf } from './helpers.ts';

const detector = createIbanDetector();

describe('IBAN detector', () => {
  // The registry's example IBANs, one per country the policy must length-check.
  const examples: Record<string, string> = {
    DE: 'DE89370400440532013000',
    GB: 'GB82WEST12345698765432',
    FR: 'FR1420041010050500013M02606',
    ES: 'ES9121000418450200051332',
    IT: 'IT60X0542811101000000123456',
    NL: 'NL91ABNA0417164300',
    BE: 'BE68539007547034',
    CH: 'CH9300762011623852957',
    AT: 'AT611904300234573201',
    PL: 'PL61109010140000071219812874',
    SE: 'SE4550000000058398257466',
    IE: 'IE29AIBK93115212345678',
    PT: 'PT50000201231234567890154',
  };
  for (const [country, iban] of Object.entries(examples)) {
    it(`finds a compact ${country} IBAN`, () => assert.deepEqual(valuesOf(detector, `pay to ${iban}.`), [iban]));
  }

  it('finds IBANs printed in groups of four', () => {
    assert.deepEqual(valuesOf(detector, 'IBAN: DE89 3704 0044 0532 0130 00, thanks'), ['DE89 3704 0044 0532 0130 00']);
    assert.deepEqual(valuesOf(detector, 'FR14 2004 1010 0505 0001 3M02 606'), ['FR14 2004 1010 0505 0001 3M02 606']);
  });

  it('accepts a country outside the table when 15-34 long and mod-97 valid', () => {
    assert.equal(isValidIban('ZZ485390075470341234'), true); // 20 characters, not in the table
    assert.equal(isValidIban('ZZ495390075470341234'), false); // mod-97 fails
    assert.equal(isValidIban('ZZ4853900754'), false); // shorter than 15
  });

  const negatives: Array<[reason: string, text: string]> = [
    ['wrong check digits', 'DE88370400440532013000'],
    ['one character short for DE', 'DE8937040044053201300'],
    ['one character long for GB', 'GB82WEST123456987654321'],
    ['NL with the BE length', 'NL91ABNA04171643'],
    ['a digit changed (mod-97)', 'GB82WEST12345698765433'],
    ['lower case', 'de89370400440532013000'],
    ['glued to a word', 'xDE89370400440532013000'],
    ['followed by more characters', 'DE89370400440532013000X'],
    ['wrongly grouped', 'DE89 37040 04405 32013 000'],
    ['too short overall', 'DE89 3704'],
  ];
  for (const [reason, text] of negatives) {
    it(`ignores ${reason}`, () => assert.deepEqual(valuesOf(detector, text), []));
  }
});
