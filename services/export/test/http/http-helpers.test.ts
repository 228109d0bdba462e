import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseByteRange } from '../../src/http/byte-range.ts';
import { createReadTokenAuth, readTokenSchema } from '../../src/http/read-tokens.ts';

test('parseByteRange: one range, open-ended and suffix forms; anything else sends the whole file', () => {
  assert.deepEqual(parseByteRange('bytes=0-99', 1000), { start: 0, end: 100 });
  assert.deepEqual(parseByteRange('bytes=900-', 1000), { start: 900, end: 1000 });
  assert.deepEqual(parseByteRange('bytes=950-5000', 1000), { start: 950, end: 1000 });
  assert.deepEqual(parseByteRange('bytes=-10', 1000), { start: 990, end: 1000 });
  assert.deepEqual(parseByteRange('bytes=-5000', 1000), { start: 0, end: 1000 });
  for (const ignored of [undefined, '', 'items=0-1', 'bytes=0-1,5-6', 'bytes=5-1', 'bytes=-']) assert.equal(parseByteRange(ignored, 1000), null, ignored);
  assert.throws(() => parseByteRange('bytes=1000-', 1000), { code: 'SLUICE_ERR_RANGE_NOT_SATISFIABLE' });
  assert.throws(() => parseByteRange('bytes=-0', 1000), { code: 'SLUICE_ERR_RANGE_NOT_SATISFIABLE' });
});

test('read tokens: bearer only, scoped per dataset or all with *', () => {
  const authenticate = createReadTokenAuth([
    { token: 'rt_team_a_0123456789', datasets: ['a', 'b'] },
    { token: 'rt_everything_0123456789', datasets: ['*'], name: 'ci' },
  ]);
  const a = authenticate('Bearer rt_team_a_0123456789');
  assert.deepEqual([a.allows('a'), a.allows('b'), a.allows('c')], [true, true, false]);
  assert.equal(authenticate('bearer rt_everything_0123456789').allows('zzz'), true);
  assert.equal(authenticate('Bearer rt_everything_0123456789').name, 'ci');
  for (const header of [undefined, '', 'rt_team_a_0123456789', 'Bearer nope', 'Basic cnRfdGVhbV9h']) {
    assert.throws(() => authenticate(header), { code: 'SLUICE_ERR_READ_UNAUTHORIZED' }, String(header));
  }
  assert.equal(readTokenSchema.safeParse({ token: 'short', datasets: ['a'] }).success, false);
  assert.equal(readTokenSchema.safeParse({ token: 'rt_long_enough_token', datasets: [] }).success, false);
});
