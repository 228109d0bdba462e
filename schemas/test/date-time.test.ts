import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { dateTimeMillis, isRfc3339DateTime } from '../date-time.ts';

// ajv-formats' own date-time check (full mode), for a differential test.
const requireHere = createRequire(import.meta.url);
const { fullFormats } = requireHere('ajv-formats/dist/formats.js') as {
  fullFormats: Record<string, { validate: (value: string) => boolean }>;
};
const ajvFormatsDateTime = (value: string): boolean => fullFormats['date-time']?.validate(value) ?? false;

const valid = [
  '2025-06-12T09:14:03Z',
  '2025-06-12T09:14:03.512Z',
  '2025-06-12T09:14:03.123456789Z',
  '2025-06-12t09:14:03z',
  '2025-06-12T11:14:03+02:00',
  '2025-06-12T04:14:03-05:00',
  '2025-06-12T09:14:03.1+00:00',
  '2025-06-12T09:14:03-00:00',
  '2024-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2016-12-31T23:59:60Z',
  '2017-01-01T00:59:60+01:00',
  '2016-12-31T18:59:60-05:00',
  '2025-06-12T23:59:59+23:59',
];

const invalid = [
  '',
  '2025-06-12',
  '09:14:03Z',
  '2025-06-12T09:14:03',
  '2025-06-12T09:14:03.Z',
  '2025-06-12T09:14Z',
  '2025-06-12T9:14:03Z',
  '2025-6-12T09:14:03Z',
  '25-06-12T09:14:03Z',
  '2025-13-12T09:14:03Z',
  '2025-00-12T09:14:03Z',
  '2025-06-31T09:14:03Z',
  '2025-06-00T09:14:03Z',
  '2025-02-29T09:14:03Z',
  '1900-02-29T09:14:03Z',
  '2025-06-12T24:00:00Z',
  '2025-06-12T09:60:03Z',
  '2025-06-12T09:14:61Z',
  '2025-06-12T09:14:60Z',
  '2016-12-31T23:59:60+01:00',
  '2025-06-12T09:14:03+24:00',
  '2025-06-12T09:14:03+02:60',
  '2025-06-12T09:14:03Zjunk',
  '2025-06-12T09:14:03+02:00junk',
  ' 2025-06-12T09:14:03Z',
  '2025-06-12T09:14:03Z ',
  '2025-06-12X09:14:03Z',
  '2025/06/12T09:14:03Z',
  '２０２５-06-12T09:14:03Z',
  '2025-06-12T09:14:03.12a4Z',
];

// Accepted by ajv-formats, rejected here: not in RFC 3339's grammar.
const stricterThanAjvFormats = ['2025-06-12 09:14:03Z', '2025-06-12T09:14:03+0200', '2025-06-12T09:14:03+02'];

test('accepts RFC 3339 date-times', () => {
  for (const value of valid) assert.equal(isRfc3339DateTime(value), true, value);
});

test('rejects everything else', () => {
  for (const value of [...invalid, ...stricterThanAjvFormats]) assert.equal(isRfc3339DateTime(value), false, value);
});

test('agrees with ajv-formats date-time except where RFC 3339 is stricter', () => {
  for (const value of [...valid, ...invalid]) assert.equal(isRfc3339DateTime(value), ajvFormatsDateTime(value), value);
  for (const value of stricterThanAjvFormats) assert.equal(ajvFormatsDateTime(value), true, value);
});

test('agrees with ajv-formats on generated timestamps', () => {
  const start = Date.UTC(1999, 11, 31, 22);
  for (let i = 0; i < 2000; i++) {
    const date = new Date(start + i * 7_919_993_777);
    const iso = date.toISOString();
    const offset = `${iso.slice(0, 19)}${i % 2 ? '+' : '-'}${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    for (const value of [iso, offset, iso.replace('.', ','), iso.slice(0, 10) + 'T' + iso.slice(11, 16) + ':60Z']) {
      assert.equal(isRfc3339DateTime(value), ajvFormatsDateTime(value), value);
    }
  }
});

test('dateTimeMillis is Date.parse, for toISOString() output and everything else', () => {
  let seed = 11;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const cases: string[] = [...valid, '2025-06-12T09:14:03.5Z', '2025-06-12T09:14:03.51Z', '2025-02-29T00:00:00.000Z', '2025-13-01T00:00:00.000Z',
    '2025-06-31T00:00:00Z', '2025-06-12T24:00:00.000Z', '2025-06-12T09:60:00.000Z', '2025-06-12T09:14:0a.000Z', '2025-06-12T09:14:03.00aZ',
    '2025-06-12t09:14:03.000z', '2025-06-12T09:14:03.000+00:00', 'not a date', '', '1900-02-29T00:00:00.000Z', '2000-02-29T00:00:00Z',
    '0000-03-01T00:00:00.000Z', '0099-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'];
  // Every day of a 900-year span (leap years, centuries, the epoch), at random times, both lengths.
  for (let ms = Date.UTC(1600, 0, 1); ms < Date.UTC(2500, 0, 1); ms += 86_400_000 * (0.5 + random())) {
    const iso = new Date(Math.floor(ms)).toISOString();
    cases.push(iso, `${iso.slice(0, 19)}Z`);
  }
  for (const s of cases) assert.equal(dateTimeMillis(s), Date.parse(s), s);
  assert.ok(cases.length > 300_000);
});
