import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCreditCardDetector, hasKnownIssuerPrefix, passesLuhn } from '../../src/pii/credit-card.ts';
import { valuesOf } from './helpers.ts';

const detector = createCreditCardDetector();

describe('CREDIT_CARD detector', () => {
  // Issuers' published test numbers: Luhn-valid, never charged.
  const positives: Array<[brand: string, text: string, expected: string]> = [
    ['Visa', 'card 4111111111111111 exp 12/29', '4111111111111111'],
    ['Visa grouped', 'card 4111 1111 1111 1111.', '4111 1111 1111 1111'],
    ['Visa dashed', 'card 4012-8888-8888-1881', '4012-8888-8888-1881'],
    ['Mastercard', 'mc 5555 5555 5555 4444', '5555 5555 5555 4444'],
    ['Mastercard 2-series', 'mc 2223003122003222', '2223003122003222'],
    ['Amex 4-6-5', 'amex 3782 822463 10005', '3782 822463 10005'],
    ['Amex bare', 'amex 371449635398431', '371449635398431'],
    ['Discover', 'discover 6011 1111 1111 1117', '6011 1111 1111 1117'],
    ['JCB', 'jcb 3530111333300000', '3530111333300000'],
    ['Diners 14', 'diners 3056 930902 5904', '3056 930902 5904'],
    ['UnionPay', 'unionpay 6200000000000005', '6200000000000005'],
    ['in JSON', '{"card":"4242424242424242"}', '4242424242424242'],
  ];
  for (const [brand, text, expected] of positives) {
    it(`finds ${brand}`, () => assert.deepEqual(valuesOf(detector, text), [expected]));
  }

  it('keeps the card and leaves a following number out of the span', () => {
    assert.deepEqual(valuesOf(detector, 'card 4111 1111 1111 1111 123 cvc'), ['4111 1111 1111 1111']);
  });

  const negatives: Array<[reason: string, text: string]> = [
    ['Luhn failure', 'card 4111111111111112'],
    ['Luhn failure, grouped', 'card 5555 5555 5555 4445'],
    ['unknown issuer prefix (Luhn-valid)', 'number 1234567812345670'],
    ['Amex prefix with 16 digits', 'number 3782822463100051'],
    ['Mastercard with 15 digits', 'number 555555555554444'],
    ['odd grouping', 'card 41111 11111 11111 1'],
    ['mixed separators', 'card 4111 1111-1111 1111'],
    ['inside a longer digit run', 'id 94111111111111111111'],
    ['glued to letters', 'ref X4111111111111111Y'],
    ['part of a dotted token', 'v1.4111111111111111'],
    ['part of a dashed id', 'ORD-4111111111111111'],
    ['too short', 'code 411111111111'],
    ['13-digit Visa (no longer issued; Luhn-valid EAN-13 barcodes look the same)', 'old card 4222222222222 and EAN 4006381333924'],
  ];
  for (const [reason, text] of negatives) {
    it(`ignores ${reason}`, () => assert.deepEqual(valuesOf(detector, text), []));
  }

  it('implements Luhn', () => {
    assert.equal(passesLuhn('79927398713'), true);
    assert.equal(passesLuhn('79927398710'), false);
  });

  it('knows issuer ranges and lengths', () => {
    assert.equal(hasKnownIssuerPrefix('2720990000000007'), true); // last 2-series Mastercard BIN
    assert.equal(hasKnownIssuerPrefix('2721000000000000'), false);
    assert.equal(hasKnownIssuerPrefix('3589000000000000'), true); // JCB upper bound
    assert.equal(hasKnownIssuerPrefix('30000000000004'), true); // Diners 14
  });
});
