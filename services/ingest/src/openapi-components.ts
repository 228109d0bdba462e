import type { JsonSchema, SchemaSet } from '@sluice/schemas';

/**
 * Bundles the contract's schema files into OpenAPI components: one component per file (named by
 * file: Envelope, Generation, …) and one per `$defs` entry (Generation_ChatMessage), with every
 * `$ref` — relative file refs and local `#/$defs/X` — rewritten to `#/components/schemas/…`.
 * OpenAPI 3.1 reads JSON Schema 2020-12, so nothing else changes.
 */
export function bundleSchemasForOpenApi(schemas: SchemaSet): Record<string, unknown> {
  const components: Record<string, unknown> = {};
  const files = schemas.all.map((schema) => ({ schema, file: fileOf(schema), name: componentName(fileOf(schema)) }));
  const nameByFile = new Map(files.map((f) => [f.file, f.name]));

  const rewrite = (node: unknown, ownName: string): unknown => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, ownName));
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out[key] = resolveRef(value, ownName, nameByFile);
      else if (key !== '$defs' && key !== '$id' && key !== '$schema') out[key] = rewrite(value, ownName);
    }
    return out;
  };

  for (const { schema, name } of files) {
    components[name] = rewrite(schema, name);
    const defs = (schema as { $defs?: Record<string, unknown> }).$defs ?? {};
    for (const [defName, def] of Object.entries(defs)) components[`${name}_${defName}`] = rewrite(def, name);
  }
  return components;
}

function fileOf(schema: JsonSchema): string {
  return schema.$id.slice(schema.$id.lastIndexOf('/') + 1);
}

function componentName(file: string): string {
  return file.replace(/\.json$/, '').split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

function resolveRef(ref: string, ownName: string, nameByFile: Map<string, string>): string {
  const [file, fragment = ''] = ref.split('#');
  const target = file ? nameByFile.get(file) : ownName;
  if (!target) throw new Error(`unresolvable $ref ${ref}`);
  const def = /^\/\$defs\/(.+)$/.exec(fragment)?.[1];
  return `#/components/schemas/${def ? `${target}_${def}` : target}`;
}
