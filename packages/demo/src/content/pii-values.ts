import { DIGITS, UPPER, type Random } from '../random.ts';
import type { PlantedType } from '../types.ts';
import { MAIL_DOMAINS, WORK_DOMAINS, asciiLower, type Person } from './people.ts';

/**
 * Personal data in the spellings customers type. Only shapes the redactor is meant to catch are
 * planted (see docs/pii-quality.md for the shapes it is documented to miss): the demo's canary
 * proves the whole pipeline — every field, every format — lets nothing through, while recall on
 * hard shapes is measured by the planted-PII corpus in services/curate.
 */

export interface Draw {
  type: PlantedType;
  subtype: string;
  value: string;
}

export function email(random: Random, who: Person, work = false): Draw {
  const first = asciiLower(who.first);
  const last = asciiLower(who.last);
  const [subtype, local] = random.weighted<[string, string]>([
    [5, ['first_dot_last', `${first}.${last}`]],
    [2, ['initial_last', `${first[0] ?? 'x'}${last}`]],
    [1, ['plus_tag', `${first}.${last}+${random.pick(['shop', 'orders', 'billing'])}`]],
    [2, ['name_digits', `${first}${last}${random.int(70, 99)}`]],
    [1, ['underscore', `${first}_${last}`]],
  ]);
  return { type: 'EMAIL', subtype, value: `${local}@${random.pick(work ? WORK_DOMAINS : MAIL_DOMAINS)}` };
}

/** NANP: area code and exchange start with 2–9; the area code's middle digit is not 9. */
function nanp(random: Random): [string, string, string] {
  return [`${random.int(2, 9)}${random.int(0, 8)}${random.int(0, 9)}`, `${random.int(2, 9)}${random.chars(DIGITS, 2)}`, random.chars(DIGITS, 4)];
}

export function phone(random: Random): Draw {
  const [area, exchange, line] = nanp(random);
  const [subtype, value] = random.weighted<[string, string]>([
    [4, ['nanp_dashed', `${area}-${exchange}-${line}`]],
    [4, ['nanp_parens', `(${area}) ${exchange}-${line}`]],
    [2, ['nanp_plus1', `+1 ${area}-${exchange}-${line}`]],
    [1, ['nanp_dotted', `${area}.${exchange}.${line}`]],
    [2, ['uk_mobile_intl', `+44 7${random.int(4, 9)}${random.chars(DIGITS, 2)} ${random.chars(DIGITS, 6)}`]],
    [1, ['uk_mobile_national', `07${random.int(4, 9)}${random.chars(DIGITS, 2)} ${random.chars(DIGITS, 6)}`]],
    [1, ['de_landline_intl', `+49 30 ${random.int(2, 9)}${random.chars(DIGITS, 7)}`]],
    [1, ['fr_mobile_intl', `+33 6 ${random.chars(DIGITS, 2)} ${random.chars(DIGITS, 2)} ${random.chars(DIGITS, 2)} ${random.chars(DIGITS, 2)}`]],
  ]);
  return { type: 'PHONE', subtype, value };
}

export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let digit = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** A Luhn-valid Visa or Mastercard number, printed in groups of four or bare. */
export function creditCard(random: Random): Draw {
  const [brand, prefix] = random.weighted<[string, string]>([[3, ['visa', '4']], [2, ['mastercard', String(random.int(51, 55))]]]);
  const payload = prefix + random.chars(DIGITS, 15 - prefix.length);
  const digits = payload + String(luhnCheckDigit(payload));
  const spaced = random.chance(0.7);
  return { type: 'CREDIT_CARD', subtype: `${brand}_${spaced ? 'spaced' : 'bare'}`, value: spaced ? digits.replace(/(\d{4})(?=\d)/g, '$1 ') : digits };
}

function mod97(value: string): number {
  let remainder = 0;
  for (const char of value) {
    const code = char.charCodeAt(0);
    remainder = code >= 65 ? (remainder * 100 + (code - 55)) % 97 : (remainder * 10 + (code - 48)) % 97;
  }
  return remainder;
}

/** A mod-97-valid IBAN (DE, NL or GB layout), grouped by four as banks print it. */
export function iban(random: Random): Draw {
  const [country, bban] = random.pick<[string, () => string]>([
    ['DE', () => random.chars(DIGITS, 18)],
    ['NL', () => random.chars(UPPER, 4) + random.chars(DIGITS, 10)],
    ['GB', () => random.chars(UPPER, 4) + random.chars(DIGITS, 14)],
  ]);
  const body = bban();
  const check = String(98 - mod97(`${body}${country}00`)).padStart(2, '0');
  return { type: 'IBAN', subtype: `${country.toLowerCase()}_grouped`, value: `${country}${check}${body}`.replace(/(.{4})(?=.)/g, '$1 ') };
}
