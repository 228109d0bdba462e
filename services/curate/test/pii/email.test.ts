import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEmailDetector } from '../../src/pii/email.ts';
import { spansOf, valuesOf } from './helpers.ts';

const detector = createEmailDetector();

describe('EMAIL detector', () => {
  const positives: Array<[string, string]> = [
    ['write to john.doe@example.com today', 'john.doe@example.com'],
    ['John.Doe+billing@Mail.Example.CO.UK', 'John.Doe+billing@Mail.Example.CO.UK'],
    ['<jane_o-neil@sub.example.org>', 'jane_o-neil@sub.example.org'],
    ['mailto:support@example.io?subject=hi', 'support@example.io'],
    ['ends a sentence: bob@example.com.', 'bob@example.com'],
    ["quoted 'carol%ops@example.net'", 'carol%ops@example.net'],
    ['idn user@example.xn--p1ai', 'user@example.xn--p1ai'],
    ['https://example.com/invite?to=dave@example.com', 'dave@example.com'],
    ['"email":"eve@example.dev"', 'eve@example.dev'],
    ['a@b.co', 'a@b.co'],
    ['percent-encoded in a query string: /invite?email=jane.doe%40gmail.com&ref=1', 'jane.doe%40gmail.com'],
  ];
  for (const [text, expected] of positives) {
    it(`finds ${expected}`, () => assert.deepEqual(valuesOf(detector, text), [expected]));
  }

  it('finds several addresses in one text', () => {
    assert.deepEqual(valuesOf(detector, 'cc a@example.com, b@example.org; c@example.net'), ['a@example.com', 'b@example.org', 'c@example.net']);
  });

  const negatives = [
    'clone git@github.com:org/repo.git',
    'ssh deploy@gitlab.example.com:~/app',
    'user@localhost',
    'follow @sluice on social',
    'version a@b.c1',
    'john@',
    'mail me at john@123.123.123.123',
    'srcset="/img/icon@2x.png 2x, /img/logo@3x.webp 3x"',
    'https://www.npmjs.com/package/%40types%2Fnode and 100%40 mesh',
    'postgres://admin:pw@db.example.com/app',
    'https://alice@example.com/repo',
    'no at sign here at all',
    `${'x'.repeat(70)}@example.com`,
  ];
  for (const text of negatives) {
    it(`ignores ${JSON.stringify(text.slice(0, 50))}`, () => assert.deepEqual(valuesOf(detector, text), []));
  }

  it('reports offsets that slice back to the value', () => {
    const text = 'hi bob@example.com!';
    const [span] = spansOf(detector, text);
    assert.deepEqual(span, { type: 'EMAIL', start: 3, end: 18, value: 'bob@example.com' });
    assert.equal(text.slice(3, 18), 'bob@example.com');
  });
});
