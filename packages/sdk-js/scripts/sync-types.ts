/**
 * Copies the contract's generated types (schemas/types.gen.ts) into the SDK as src/schema.gen.ts.
 *
 * Why a copy: the SDK ships with zero dependencies and self-contained .d.ts files, so it cannot
 * import @sluice/schemas, not even for types (a published .d.ts would point at a package nobody
 * can install). test/schema-types.test.ts fails while the copy is stale.
 * Usage: node packages/sdk-js/scripts/sync-types.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const schemaTypesSource = fileURLToPath(new URL('../../../schemas/types.gen.ts', import.meta.url));
export const schemaTypesCopy = fileURLToPath(new URL('../src/schema.gen.ts', import.meta.url));

const banner = '// Copied from schemas/types.gen.ts by packages/sdk-js/scripts/sync-types.ts — do not edit.\n';

/** The text src/schema.gen.ts must have. */
export function expectedSchemaTypes(): string {
  return banner + readFileSync(schemaTypesSource, 'utf8');
}

if (import.meta.main) {
  writeFileSync(schemaTypesCopy, expectedSchemaTypes());
  console.log(`wrote ${schemaTypesCopy}`);
}
