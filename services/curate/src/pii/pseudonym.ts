import { createHmac } from 'node:crypto';
import { digitsOnly } from './text-profile.ts';
import type { PiiType } from './types.ts';

/**
 * The canonical form a pseudonym is computed from, so that one person's value written two ways
 * ('John@X.com' / 'john@x.com', '+1 415-555-0132' / '+1 (415) 555 0132') gets one token.
 */
export function normalizeValue(type: PiiType, value: string): string {
  switch (type) {
    case 'EMAIL':
    case 'IP_ADDRESS':
      return value.toLowerCase();
    case 'PHONE':
    case 'CREDIT_CARD':
    case 'US_SSN':
      return digitsOnly(value);
    case 'IBAN':
      return value.replaceAll(' ', '').toUpperCase();
    default:
      return value;
  }
}

export type Pseudonymizer = (type: PiiType, value: string) => string;

/**
 * `<EMAIL_1a2b3c4d>`: the first 8 hex characters of HMAC-SHA256(key, type ':' normalized value).
 * Keyed, so nobody without the key can confirm a guess; stable, so the same value links across a
 * dataset; the type in the input keeps equal strings of different types apart.
 */
export function createPseudonymizer(key: string | Buffer): Pseudonymizer {
  return (type, value) => {
    const digest = createHmac('sha256', key).update(`${type}:${normalizeValue(type, value)}`).digest('hex');
    return `<${type}_${digest.slice(0, 8)}>`;
  };
}
