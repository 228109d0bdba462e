import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createEventValidator, eventTypes, loadExamples, loadSchemas, schemaBaseUri } from '../index.ts';

const validateEvent = createEventValidator();
const examples = loadExamples();

describe('valid examples', () => {
  for (const example of examples.valid) {
    test(example.name, () => {
      const result = validateEvent(example.event);
      assert.deepEqual(result.ok ? { ok: true } : result, { ok: true }, `${example.name} should be valid`);
      assert.equal(result.ok && result.type, example.type, 'file name prefix must match the event type');
    });
  }

  test('every event type has at least two valid examples', () => {
    for (const type of eventTypes) {
      const count = examples.valid.filter((e) => e.type === type).length;
      assert.ok(count >= 2, `event type ${type} has ${count} valid example(s); add at least two to examples/v1/`);
    }
  });

  test('valid examples use distinct UUIDv7 event ids', () => {
    const ids = examples.valid.map((e) => (e.event as { event_id: string }).event_id);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, `${id} is not a UUIDv7`);
    assert.equal(new Set(ids).size, ids.length, 'event ids must be unique across examples');
  });
});

describe('invalid examples', () => {
  for (const example of examples.invalid) {
    test(example.name, () => {
      const result = validateEvent(example.event);
      assert.equal(result.ok, false, `${example.name} should be rejected`);
      if (result.ok) return;
      assert.deepEqual(
        { code: result.code, pointer: result.pointer, keyword: result.keyword },
        { code: example.code, pointer: example.pointer, keyword: example.keyword },
        `${example.name}: ${result.message}`,
      );
    });
  }

  test('cover the required cases', () => {
    const names = new Set(examples.invalid.map((e) => e.name));
    for (const name of [
      'missing-event-id',
      'bad-event-id-uuid',
      'bad-occurred-at',
      'unknown-type',
      'unknown-top-level-field',
      'generation-without-model',
      'bad-message-role',
      'feedback-kind-not-in-enum',
      'no-user-or-anonymous-id',
    ]) {
      assert.ok(names.has(name), `missing invalid vector ${name}`);
    }
  });
});

describe('schema files', () => {
  const schemas = loadSchemas();

  test('every file in v1/ is loaded, with a versioned $id under /v1/ matching its file name', () => {
    const files = readdirSync(join(import.meta.dirname, '..', 'v1')).sort();
    assert.deepEqual(schemas.all.map((s) => s.$id.slice(schemaBaseUri.length)).sort(), files);
    for (const schema of schemas.all) {
      assert.match(schema.$id, /^https:\/\/sluice\.dev\/schemas\/v1\/[a-z_]+\.json$/);
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    }
  });

  test('each event-type schema pins its type and rejects unknown top-level fields', () => {
    for (const type of eventTypes) {
      const schema = schemas.byType[type];
      assert.equal(schema.$id, `${schemaBaseUri}${type}.json`);
      assert.deepEqual((schema.properties as Record<string, { const?: unknown }>).type?.const, type);
      assert.equal(schema.unevaluatedProperties, false);
    }
  });

  test('every property has a title and a description', () => {
    const missing: string[] = [];
    // Walks schema nodes only; subschemas under if/then/else/not are constraints, not declarations.
    const walk = (schema: unknown, path: string): void => {
      if (typeof schema !== 'object' || schema === null) return;
      const node = schema as Record<string, unknown>;
      const maps = ['properties', '$defs'] as const;
      for (const keyword of maps) {
        const map = node[keyword] as Record<string, Record<string, unknown>> | undefined;
        for (const [name, child] of Object.entries(map ?? {})) {
          if (keyword === 'properties' && (typeof child.title !== 'string' || typeof child.description !== 'string')) {
            missing.push(`${path}/properties/${name}`);
          }
          walk(child, `${path}/${keyword}/${name}`);
        }
      }
      for (const keyword of ['items', 'additionalProperties'] as const) walk(node[keyword], `${path}/${keyword}`);
      for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
        const list = node[keyword];
        if (Array.isArray(list)) list.forEach((child, i) => walk(child, `${path}/${keyword}/${i}`));
      }
    };
    for (const schema of schemas.all) walk(schema, schema.$id);
    assert.deepEqual(missing, []);
  });
});
