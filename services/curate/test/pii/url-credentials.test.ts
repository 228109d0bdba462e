import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUrlCredentialsDetector } from '../../src/pii/url-credentials.ts';
import { spansOf, valuesOf } from './helpers.ts';

const detector = createUrlCredentialsDetector();

describe('URL_CREDENTIALS detector', () => {
  const positives: Array<[string, string]> = [
    ['DATABASE_URL=postgres://app:hunter2@db.internal:5432/app', 'app:hunter2'],
    ['mongodb+srv://admin:S3cr3t%21@cluster0.example.mongodb.net/test', 'admin:S3cr3t%21'],
    ['see https://alice:wonderland@example.com/private', 'alice:wonderland'],
    ['redis://:only-a-password@cache:6379/0', ':only-a-password'],
    ['amqp://guest:guest@rabbit:5672/', 'guest:guest'],
    ['ftp://bob:p@ss@files.example.com', 'bob:p@ss'],
    ['"url": "mysql://root:toor@127.0.0.1/db"', 'root:toor'],
  ];
  for (const [text, expected] of positives) {
    it(`finds ${expected}`, () => assert.deepEqual(valuesOf(detector, text), [expected]));
  }

  it('covers only the userinfo, leaving scheme and host', () => {
    const text = 'postgres://app:hunter2@db:5432/app';
    const [span] = spansOf(detector, text);
    assert.equal(text.slice(0, span?.start), 'postgres://');
    assert.equal(text.slice(span?.end), '@db:5432/app');
  });

  const negatives: Array<[reason: string, text: string]> = [
    ['no userinfo', 'postgres://db.internal:5432/app'],
    ['user without password', 'https://alice@example.com/repo'],
    ['@ in the path', 'https://example.com/users/@alice:42'],
    ['@ in the query', 'https://example.com/?to=bob:x@example.com'],
    ['empty user and password', 'redis://:@cache'],
    ['no scheme', 'app:hunter2@db.internal'],
    ['separated by whitespace', 'https://example.com user:pass@host'],
  ];
  for (const [reason, text] of negatives) {
    it(`ignores ${reason}`, () => assert.deepEqual(valuesOf(detector, text), []));
  }
});
