import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeToken, redactorWith } from './helpers.ts';

describe('Redactor.redactValue', () => {
  it('walks objects and arrays and redacts every string', () => {
    const event = {
      type: 'completion',
      messages: [
        { role: 'user', content: 'I am jane@example.com' },
        { role: 'assistant', content: 'Noted, Jane.' },
      ],
      meta: { ip: '8.8.8.8', retries: 2, ok: true, parent: null },
    };
    const result = redactorWith().redactValue(event);
    assert.deepEqual(result.value, {
      type: 'completion',
      messages: [
        { role: 'user', content: 'I am <EMAIL>' },
        { role: 'assistant', content: 'Noted, Jane.' },
      ],
      meta: { ip: '<IP_ADDRESS>', retries: 2, ok: true, parent: null },
    });
    assert.deepEqual(result.findings, { EMAIL: 1, IP_ADDRESS: 1 });
    assert.equal(result.drop, false);
  });

  it('does not mutate its input', () => {
    const input = { content: 'jane@example.com' };
    redactorWith().redactValue(input);
    assert.deepEqual(input, { content: 'jane@example.com' });
  });

  it('parses tool-call argument strings, redacts them as JSON and re-serializes', () => {
    const token = fakeToken('ghp_', 36);
    const toolCall = {
      name: 'send_email',
      arguments: JSON.stringify({ to: 'bob@example.com', auth: token, cc: ['a@example.org'], body: 'hi' }, null, 2),
    };
    const result = redactorWith().redactValue(toolCall);
    const value = result.value as { name: string; arguments: string };
    assert.equal(value.arguments, JSON.stringify({ to: '<EMAIL>', auth: '<SECRET>', cc: ['<EMAIL>'], body: 'hi' }));
    assert.deepEqual(result.findings, { EMAIL: 2, SECRET: 1 });
  });

  it('keeps clean JSON argument strings byte for byte', () => {
    const args = '{ "city" : "Paris",\n  "days": 3 }';
    assert.equal((redactorWith().redactValue({ arguments: args }).value as { arguments: string }).arguments, args);
  });

  it('handles JSON encoded twice', () => {
    const inner = JSON.stringify({ email: 'bob@example.com' });
    const outer = JSON.stringify({ payload: inner });
    const result = redactorWith().redactValue(outer);
    assert.equal(result.value, JSON.stringify({ payload: JSON.stringify({ email: '<EMAIL>' }) }));
  });

  it('redacts a string that only looks like JSON as text', () => {
    const result = redactorWith().redactValue('{ not json, mail bob@example.com }');
    assert.equal(result.value, '{ not json, mail <EMAIL> }');
  });

  it('redacts object keys and keeps colliding keys apart', () => {
    const result = redactorWith().redactValue({ 'a@example.com': 1, 'b@example.com': 2, plain: 3 });
    assert.deepEqual(result.value, { '<EMAIL>': 1, '<EMAIL>#2': 2, plain: 3 });
    assert.deepEqual(result.findings, { EMAIL: 2 });
  });

  it('redacts card numbers stored as JSON numbers and leaves other numbers alone', () => {
    const result = redactorWith().redactValue({ card: 4111111111111111, count: 4111, price: 12.5 });
    assert.deepEqual(result.value, { card: '<CREDIT_CARD>', count: 4111, price: 12.5 });
  });

  it('propagates drop_sample from any depth', () => {
    const redactor = redactorWith({ actions: { US_SSN: 'drop_sample' } });
    const result = redactor.redactValue({ a: [{ b: { c: 'ssn 536-22-1234' } }] });
    assert.equal(result.drop, true);
    assert.deepEqual(result.value, { a: [{ b: { c: 'ssn <US_SSN>' } }] });
    const inArguments = redactor.redactValue({ arguments: JSON.stringify({ ssn: '536-22-1234' }) });
    assert.equal(inArguments.drop, true);
  });

  it('pseudonymizes consistently across fields of one value', () => {
    const result = redactorWith({ defaultAction: 'pseudonymize' }).redactValue({ from: 'bob@example.com', to: ['Bob@Example.com'] });
    const value = result.value as { from: string; to: string[] };
    assert.equal(value.from, value.to[0]);
  });

  it('redacts a value nested deeper than the walk limit as serialized text', () => {
    let deep: unknown = 'bob@example.com';
    for (let i = 0; i < 100; i++) deep = [deep];
    const result = redactorWith().redactValue({ deep });
    assert.equal(JSON.stringify(result.value).includes('bob@example.com'), false);
    assert.deepEqual(result.findings, { EMAIL: 1 });
    assert.equal(result.drop, false);
  });

  it('drops a value too deep even to serialize rather than let it through', { timeout: 10_000 }, () => {
    let deep: unknown = 'bob@example.com';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const result = redactorWith().redactValue({ deep });
    assert.equal(result.drop, true);
    assert.equal(JSON.stringify(result.value).includes('bob@example.com'), false);
  });

  it('passes through non-JSON leaves unchanged', () => {
    assert.equal(redactorWith().redactValue(undefined).value, undefined);
    assert.equal(redactorWith().redactValue(true).value, true);
  });
});
