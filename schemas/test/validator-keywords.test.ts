import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { createEventValidator } from '../index.ts';
import { codePointCount, maxLengthKeyword, type AjvCodegen } from '../max-length.ts';

// The Ajv copy the validator uses (see loadAjv in index.ts), with its own keyword and formats as the reference.
const formatsPath = createRequire(import.meta.url).resolve('ajv-formats');
const requireAjv = createRequire(formatsPath);
type Validate = (data: unknown) => boolean;
interface Ajv { compile(schema: object): Validate; removeKeyword(k: string): Ajv; addKeyword(d: object): Ajv }
const Ajv2020 = requireAjv('ajv/dist/2020.js') as new (options: object) => Ajv;
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv;
const codegen = requireAjv('ajv/dist/compile/codegen/index.js') as AjvCodegen;
const reference = addFormats(new Ajv2020({ strict: true }));
const ours = new Ajv2020({ strict: true }).removeKeyword('maxLength').addKeyword(maxLengthKeyword(codegen));

/** Strings mixing ASCII, two-unit characters (surrogate pairs) and lone surrogates, of every length up to `max`. */
function mixedStrings(count: number, max: number): string[] {
  const units = ['a', 'é', '\u{1F600}', '\uD800', '\uDC00', '中'];
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(random() * max) }, () => units[Math.floor(random() * units.length)]).join(''));
}

describe('maxLength without counting every string', () => {
  test('code points are counted as Ajv counts them', () => {
    assert.equal(codePointCount(''), 0);
    assert.equal(codePointCount('\u{1F600}\u{1F600}'), 2);
    assert.equal(codePointCount('\uD800\uD800'), 2);
    assert.equal(codePointCount('a\uDC00'), 2);
    const ucs2length = (requireAjv('ajv/dist/runtime/ucs2length.js') as { default: (s: string) => number }).default;
    for (const text of mixedStrings(2000, 40)) assert.equal(codePointCount(text), ucs2length(text), JSON.stringify(text));
  });

  test('accepts and rejects exactly what Ajv’s own keyword does, around the limit and past twice it', () => {
    for (const limit of [0, 1, 3, 10]) {
      const expected = reference.compile({ type: 'string', maxLength: limit });
      const actual = ours.compile({ type: 'string', maxLength: limit });
      for (const text of mixedStrings(3000, 3 * limit + 3)) assert.equal(actual(text), expected(text), `${limit} ${JSON.stringify(text)}`);
    }
  });

  test('the event validator counts code points, not UTF-16 units', () => {
    const validate = createEventValidator();
    const track = { event_id: '0197636b-8186-7b14-a173-8ac28e94ca19', type: 'track', occurred_at: '2025-06-12T09:14:39Z', user_id: 'u', name: 'x' };
    assert.equal(validate({ ...track, session_id: '\u{1F600}'.repeat(200) }).ok, true);
    const tooLong = validate({ ...track, session_id: '\u{1F600}'.repeat(201) });
    assert.deepEqual(tooLong.ok ? null : [tooLong.pointer, tooLong.keyword, tooLong.message], ['/session_id', 'maxLength', 'must NOT have more than 200 characters']);
  });
});
