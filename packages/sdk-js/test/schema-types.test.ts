import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { expectedSchemaTypes, schemaTypesCopy } from '../scripts/sync-types.ts';

test('src/schema.gen.ts is the current copy of schemas/types.gen.ts', () => {
  assert.ok(
    readFileSync(schemaTypesCopy, 'utf8') === expectedSchemaTypes(),
    'stale: run `node packages/sdk-js/scripts/sync-types.ts` (after `npm run gen`)',
  );
});
