import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generateTypes, typesFile } from '../scripts/gen-types.ts';

test('types.gen.ts matches the schemas', async () => {
  const expected = await generateTypes();
  const actual = readFileSync(typesFile, 'utf8');
  if (actual === expected) return;
  const actualLines = actual.split('\n');
  const expectedLines = expected.split('\n');
  const line = expectedLines.findIndex((l, i) => l !== actualLines[i]);
  assert.fail(
    `schemas/types.gen.ts is out of date with schemas/v1/*.json — run \`npm run gen\` and commit the result.\n` +
      `First difference at line ${line + 1}:\n  file:      ${JSON.stringify(actualLines[line])}\n  generated: ${JSON.stringify(expectedLines[line])}`,
  );
});

test('generateTypes is deterministic', async () => {
  assert.equal(await generateTypes(), await generateTypes());
});
