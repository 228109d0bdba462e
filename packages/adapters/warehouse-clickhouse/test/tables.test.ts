import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SluiceError } from '@sluice/core';
import { tablesIn } from '../src/tables.ts';

test('tables are quoted and qualified by the configured database', () => {
  assert.equal(tablesIn('sluice').events, '`sluice`.`events`');
  assert.equal(tablesIn(undefined).quarantine, '`quarantine`');
});

test('a database name that could escape its quoting is a configuration error', () => {
  for (const name of ['a`b', 'a.b', 'x; DROP TABLE events', '', '1abc']) {
    assert.throws(() => tablesIn(name), (error: unknown) => error instanceof SluiceError && error.code === 'SLUICE_ERR_CONFIG_INVALID');
  }
});
