import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { envVariables } from '../src/config.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const compose = readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8');

test('every environment variable is in the README configuration reference', () => {
  for (const name of Object.keys(envVariables)) assert.ok(readme.includes(`\`${name}\``), `${name} missing from README`);
});

test('docker-compose.yml only sets variables the config knows', () => {
  for (const [, name] of compose.matchAll(/^\s+(SLUICE_[A-Z0-9_]+):/gm)) {
    assert.ok(name! in envVariables, `docker-compose.yml sets unknown ${name}`);
  }
});
