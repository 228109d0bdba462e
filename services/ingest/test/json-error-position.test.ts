import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findJsonErrorPosition } from '../src/json-error-position.ts';

test('finds the offset of the first fault', () => {
  assert.equal(findJsonErrorPosition('{"events": [1, 2,, 3]}'), 17);
  assert.equal(findJsonErrorPosition('{"a": tru}'), 6);
  assert.equal(findJsonErrorPosition('{"a" 1}'), 5);
  assert.equal(findJsonErrorPosition('{"a": "x\u0001"}'), 8);
  assert.equal(findJsonErrorPosition('{"a": "\\q"}'), 8);
  assert.equal(findJsonErrorPosition('[1, 2'), 5);
  assert.equal(findJsonErrorPosition('[01]'), 2);
  assert.equal(findJsonErrorPosition('{"a": 1} x'), 9);
  assert.equal(findJsonErrorPosition(''), 0);
});

test('agrees with JSON.parse on valid texts', () => {
  for (const text of ['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]}', ' 3 ', '"s"']) {
    assert.doesNotThrow(() => JSON.parse(text));
    assert.equal(findJsonErrorPosition(text), -1);
  }
});
