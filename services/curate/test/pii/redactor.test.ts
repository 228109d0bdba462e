import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor, defaultPiiPolicy, PiiPolicyError } from '../../src/index.ts';
import { fakeToken, redactorWith, testPseudonymKey } from './helpers.ts';

const mixed = 'Mail john.doe@example.com, call +1-415-555-0132, card 4111 1111 1111 1111, ssn 536-22-1234.';

describe('createRedactor: actions', () => {
  it('masks every finding with its type and counts findings by type', () => {
    const result = redactorWith().redactText(mixed);
    assert.equal(result.text, 'Mail <EMAIL>, call <PHONE>, card <CREDIT_CARD>, ssn <US_SSN>.');
    assert.deepEqual(result.findings, { EMAIL: 1, PHONE: 1, CREDIT_CARD: 1, US_SSN: 1 });
    assert.equal(result.drop, false);
  });

  it('returns a clean text untouched with no findings', () => {
    assert.deepEqual(redactorWith().redactText('nothing to see here'), { text: 'nothing to see here', findings: {}, drop: false, spans: [] });
    assert.deepEqual(redactorWith().redactText(''), { text: '', findings: {}, drop: false, spans: [] });
  });

  it('pseudonymizes with HMAC tokens that are stable across calls and normalized spellings', () => {
    const redactor = redactorWith({ defaultAction: 'pseudonymize' });
    const first = redactor.redactText('from John.Doe@Example.com').text;
    const second = redactor.redactText('to john.doe@example.com').text;
    assert.match(first, /^from <EMAIL_[0-9a-f]{8}>$/);
    assert.equal(first.slice(5), second.slice(3));
    const phoneA = redactor.redactText('+1 415-555-0132').text;
    const phoneB = redactor.redactText('+1 (415) 555 0132').text;
    assert.equal(phoneA, phoneB);
  });

  it('gives different values different pseudonyms', () => {
    const redactor = redactorWith({ defaultAction: 'pseudonymize' });
    assert.notEqual(redactor.redactText('a@example.com').text, redactor.redactText('b@example.com').text);
  });

  it('separates pseudonyms by key', () => {
    const policy = { defaultAction: 'pseudonymize' as const };
    const one = redactorWith(policy, testPseudonymKey).redactText('a@example.com').text;
    const other = redactorWith(policy, Buffer.from('another-key-of-enough-bytes-1234')).redactText('a@example.com').text;
    assert.notEqual(one, other);
  });

  it('computes the documented HMAC input: type, colon, normalized value', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', testPseudonymKey).update('EMAIL:a@example.com').digest('hex').slice(0, 8);
    assert.equal(redactorWith({ defaultAction: 'pseudonymize' }).redactText('A@Example.com').text, `<EMAIL_${expected}>`);
  });

  it('applies per-type actions over the default', () => {
    const redactor = redactorWith({ actions: { EMAIL: 'pseudonymize' }, defaultAction: 'mask' });
    const text = redactor.redactText('a@example.com +1-415-555-0132').text;
    assert.match(text, /^<EMAIL_[0-9a-f]{8}> <PHONE>$/);
  });

  it('drop_sample marks the sample for dropping and still masks the text', () => {
    const result = redactorWith({ actions: { CREDIT_CARD: 'drop_sample' } }).redactText(mixed);
    assert.equal(result.drop, true);
    assert.equal(result.text.includes('4111'), false);
    assert.match(result.text, /<CREDIT_CARD>/);
    assert.equal(redactorWith({ actions: { CREDIT_CARD: 'drop_sample' } }).redactText('just a@example.com').drop, false);
  });

  it('findings hold counts by type, never values', () => {
    const token = fakeToken('ghp_', 36);
    const result = redactorWith().redactText(`${mixed} ${token} a@example.com`);
    const serialized = JSON.stringify(result.findings);
    for (const planted of ['john.doe@example.com', '415', '4111', '536-22-1234', token, 'a@example.com']) {
      assert.equal(serialized.includes(planted), false, planted);
    }
    assert.deepEqual(Object.keys(result.findings).sort(), ['CREDIT_CARD', 'EMAIL', 'PHONE', 'SECRET', 'US_SSN']);
    assert.equal(result.findings.EMAIL, 2);
  });
});

describe('createRedactor: overlaps', () => {
  it('prefers the longest span: a URL credential over the e-mail-like tail', () => {
    const result = redactorWith().redactText('postgres://app:hunter2@db.example.com/app');
    assert.equal(result.text, 'postgres://<URL_CREDENTIALS>@db.example.com/app');
  });

  it('breaks ties by priority: SECRET beats EMAIL on the same span', () => {
    const result = redactorWith().redactText('password: x9.Kq@corp-mail.io');
    assert.equal(result.text, 'password: <SECRET>');
    assert.deepEqual(result.findings, { SECRET: 1 });
  });

  it('reports the IPv4 tail of a mapped IPv6 address once', () => {
    assert.deepEqual(redactorWith().redactText('::ffff:8.8.8.8').findings, { IP_ADDRESS: 1 });
  });
});

describe('createRedactor: configuration', () => {
  it('turns detectors off', () => {
    const result = redactorWith({ detectors: { EMAIL: false } }).redactText(mixed);
    assert.match(result.text, /john\.doe@example\.com/);
    assert.equal(result.findings.EMAIL, undefined);
  });

  it('includes private IP addresses on request', () => {
    assert.equal(redactorWith().redactText('host 10.0.0.7').text, 'host 10.0.0.7');
    assert.equal(redactorWith({ ipIncludePrivate: true }).redactText('host 10.0.0.7').text, 'host <IP_ADDRESS>');
  });

  it('never redacts allow-listed values (exact, e-mails case-insensitively)', () => {
    const redactor = redactorWith({ allow: { values: ['support@ourcompany.com', '8.8.8.8'], patterns: [] } });
    assert.equal(redactor.redactText('Support@OurCompany.com and jane@example.com via 8.8.8.8').text, 'Support@OurCompany.com and <EMAIL> via 8.8.8.8');
  });

  it('applies allow patterns to the whole value only', () => {
    const redactor = redactorWith({ allow: { values: [], patterns: ['[a-z.]+@ourcompany\\.com', 'example'] } });
    assert.equal(redactor.redactText('ops@ourcompany.com, a@example.com').text, 'ops@ourcompany.com, <EMAIL>');
  });

  it('runs custom detectors with their own type and action', () => {
    const redactor = redactorWith({
      custom: [{ name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' }, { name: 'TICKET', pattern: 'tick-[a-f0-9]{4}', flags: 'i' }],
      actions: { TICKET: 'pseudonymize' },
    });
    const result = redactor.redactText('EMP-123456 filed TICK-BEEF and EMP-12');
    assert.match(result.text, /^<EMPLOYEE_ID> filed <TICKET_[0-9a-f]{8}> and EMP-12$/);
    assert.deepEqual(result.findings, { EMPLOYEE_ID: 1, TICKET: 1 });
  });

  it('survives a custom pattern that can match the empty string', () => {
    const redactor = redactorWith({ custom: [{ name: 'MAYBE', pattern: 'x*' }] });
    assert.equal(redactor.redactText('a xx b').text, 'a <MAYBE> b');
  });

  it('rejects policies that cannot run', () => {
    const key = { pseudonymKey: testPseudonymKey };
    const bad = [
      { custom: [{ name: 'BROKEN', pattern: '(' }] },
      { custom: [{ name: 'lower_case', pattern: 'x' }] },
      { custom: [{ name: 'EMAIL', pattern: 'x' }] },
      { custom: [{ name: 'STICKY', pattern: 'x', flags: 'y' }] },
      { allow: { values: [], patterns: ['['] } },
      { detectors: { NOT_A_TYPE: true } as never },
      { defaultAction: 'shred' as never },
    ];
    for (const overrides of bad) {
      assert.throws(() => createRedactor({ ...defaultPiiPolicy(), ...overrides }, key), PiiPolicyError, JSON.stringify(overrides));
    }
    assert.throws(() => createRedactor({ ...defaultPiiPolicy(), defaultAction: 'pseudonymize' }, { pseudonymKey: 'short' }), PiiPolicyError);
  });

  it('keeps the rejected pattern text out of the error message', () => {
    try {
      createRedactor({ ...defaultPiiPolicy(), allow: { values: [], patterns: ['ceo@ourcompany\\.com('] } }, { pseudonymKey: testPseudonymKey });
      assert.fail('expected a PiiPolicyError');
    } catch (error) {
      assert.ok(error instanceof PiiPolicyError);
      assert.equal(error.code, 'SLUICE_ERR_CONFIG_INVALID');
      assert.equal(error.message.includes('ceo@'), false);
    }
  });
});
