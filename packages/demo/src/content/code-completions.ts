import type { Random } from '../random.ts';
import { surroundingCode } from './code-context.ts';

/**
 * Inline completions: the file around the cursor, the code the model proposed, a second proposal
 * (what a regeneration returns) and what the developer kept after editing. Entities and names
 * vary, so the same template asked about `invoices` and `shipments` is a different prompt, as in
 * a real code base; the same file completed twice is a duplicate, as it is in real traffic.
 */

export interface CompletionTask {
  path: string;
  language: string;
  /** File text with `<CURSOR>` where the completion goes. */
  context: string;
  completion: string;
  alternative: string;
  edited: string;
  /** The prompt repeats an earlier completion's, verbatim or lightly edited. */
  echo?: 'exact' | 'near';
}

interface Entity {
  name: string;
  plural: string;
  fields: readonly string[];
}

const ENTITIES: readonly Entity[] = [
  { name: 'invoice', plural: 'invoices', fields: ['id', 'customer_id', 'total_cents', 'currency', 'issued_at'] },
  { name: 'shipment', plural: 'shipments', fields: ['id', 'order_id', 'carrier', 'tracking_number', 'shipped_at'] },
  { name: 'subscription', plural: 'subscriptions', fields: ['id', 'plan', 'status', 'seats', 'renews_at'] },
  { name: 'ticket', plural: 'tickets', fields: ['id', 'subject', 'priority', 'assignee_id', 'created_at'] },
  { name: 'product', plural: 'products', fields: ['id', 'sku', 'title', 'price_cents', 'updated_at'] },
  { name: 'payout', plural: 'payouts', fields: ['id', 'account_id', 'amount_cents', 'status', 'arrival_date'] },
  { name: 'workspace', plural: 'workspaces', fields: ['id', 'slug', 'owner_id', 'plan', 'created_at'] },
  { name: 'reading', plural: 'readings', fields: ['id', 'sensor_id', 'value', 'unit', 'recorded_at'] },
];

const pascal = (s: string) => s.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

type Template = (r: Random, e: Entity) => CompletionTask;

const TEMPLATES: readonly Template[] = [
  (r, e) => {
    const E = pascal(e.name);
    return {
      path: `src/${e.plural}/repository.ts`, language: 'typescript',
      context: `import type { Pool } from 'pg';\nimport type { ${E} } from './types';\n\nexport async function get${E}ById(pool: Pool, id: string): Promise<${E} | null> {\n  <CURSOR>\n}\n`,
      completion: `const { rows } = await pool.query<${E}>('SELECT ${e.fields.join(', ')} FROM ${e.plural} WHERE id = $1', [id]);\n  return rows[0] ?? null;`,
      alternative: `const result = await pool.query('SELECT * FROM ${e.plural} WHERE id = $1 LIMIT 1', [id]);\n  return result.rowCount ? (result.rows[0] as ${E}) : null;`,
      edited: `const { rows } = await pool.query<${E}>(\n    'SELECT ${e.fields.join(', ')} FROM ${e.plural} WHERE id = $1 AND deleted_at IS NULL',\n    [id],\n  );\n  return rows[0] ?? null;`,
    };
  },
  (r, e) => {
    const E = pascal(e.name);
    const fields = e.fields.slice(1, 1 + r.int(2, 4));
    return {
      path: `src/${e.plural}/schema.ts`, language: 'typescript',
      context: `import { z } from 'zod';\n\nexport const ${camel(e.name)}Schema = z.object({\n  id: z.string().uuid(),\n  <CURSOR>\n});\n\nexport type ${E} = z.infer<typeof ${camel(e.name)}Schema>;\n`,
      completion: fields.map((f) => `${f}: ${/_at$|date/.test(f) ? 'z.coerce.date()' : /cents|seats|value/.test(f) ? 'z.number().int()' : 'z.string()'},`).join('\n  '),
      alternative: fields.map((f) => `${f}: z.string(),`).join('\n  '),
      edited: fields.map((f) => `${f}: ${/_at$|date/.test(f) ? 'z.coerce.date()' : /cents|seats|value/.test(f) ? 'z.number().int().nonnegative()' : 'z.string().min(1)'},`).join('\n  '),
    };
  },
  (r, e) => {
    const E = pascal(e.name);
    return {
      path: `web/components/${E}List.tsx`, language: 'typescriptreact',
      context: `import type { ${E} } from '../api/types';\n\nexport function ${E}List({ ${e.plural} }: { ${e.plural}: ${E}[] }) {\n  if (${e.plural}.length === 0) return <p className="empty">No ${e.plural} yet.</p>;\n  return (\n    <CURSOR>\n  );\n}\n`,
      completion: `<ul className="${e.name}-list">\n      {${e.plural}.map((${e.name[0]}) => (\n        <li key={${e.name[0]}.id}>{${e.name[0]}.${camel(e.fields[2]!)}}</li>\n      ))}\n    </ul>`,
      alternative: `<table>\n      <tbody>\n        {${e.plural}.map((row) => <tr key={row.id}><td>{row.id}</td></tr>)}\n      </tbody>\n    </table>`,
      edited: `<ul className="${e.name}-list" role="list">\n      {${e.plural}.map((item) => (\n        <${E}Row key={item.id} ${e.name}={item} />\n      ))}\n    </ul>`,
    };
  },
  (r, e) => ({
    path: `pipelines/${e.plural}_report.py`, language: 'python',
    context: `import pandas as pd\n\n\ndef weekly_${e.plural}(df: pd.DataFrame) -> pd.DataFrame:\n    """Count ${e.plural} per ISO week, newest first."""\n    <CURSOR>\n`,
    completion: `df = df.copy()\n    df["week"] = pd.to_datetime(df["${e.fields[4]}"]).dt.to_period("W").astype(str)\n    return df.groupby("week").size().rename("${e.plural}").reset_index().sort_values("week", ascending=False)`,
    alternative: `return df.resample("W", on="${e.fields[4]}").size().sort_index(ascending=False).to_frame("${e.plural}")`,
    edited: `weeks = pd.to_datetime(df["${e.fields[4]}"], utc=True).dt.to_period("W")\n    counts = df.groupby(weeks).size().rename("${e.plural}")\n    return counts.sort_index(ascending=False).reset_index(names="week")`,
  }),
  (r, e) => ({
    path: `tests/test_${e.plural}.py`, language: 'python',
    context: `import pytest\nfrom app.${e.plural} import parse_${e.name}\n\n\ndef test_parse_${e.name}_rejects_missing_${e.fields[1]}():\n    <CURSOR>\n`,
    completion: `with pytest.raises(ValueError, match="${e.fields[1]}"):\n        parse_${e.name}({"id": "${r.int(100, 999)}"})`,
    alternative: `data = {"id": "1"}\n    with pytest.raises(Exception):\n        parse_${e.name}(data)`,
    edited: `payload = {"id": "${r.int(100, 999)}", "${e.fields[2]}": "x"}\n    with pytest.raises(ValueError, match="${e.fields[1]} is required"):\n        parse_${e.name}(payload)`,
  }),
  (r, e) => {
    const E = pascal(e.name);
    return {
      path: `internal/${e.plural}/store.go`, language: 'go',
      context: `package ${e.plural}\n\nfunc (s *Store) Get(ctx context.Context, id string) (*${E}, error) {\n\t<CURSOR>\n}\n`,
      completion: `var ${e.name[0]} ${E}\n\terr := s.db.QueryRowContext(ctx, \`SELECT ${e.fields.slice(0, 3).join(', ')} FROM ${e.plural} WHERE id = $1\`, id).\n\t\tScan(&${e.name[0]}.ID, &${e.name[0]}.${pascal(e.fields[1]!)}, &${e.name[0]}.${pascal(e.fields[2]!)})\n\tif errors.Is(err, sql.ErrNoRows) {\n\t\treturn nil, ErrNotFound\n\t}\n\treturn &${e.name[0]}, err`,
      alternative: `row := s.db.QueryRowContext(ctx, "SELECT * FROM ${e.plural} WHERE id = ?", id)\n\tvar out ${E}\n\treturn &out, row.Scan(&out)`,
      edited: `var ${e.name[0]} ${E}\n\terr := s.db.QueryRowContext(ctx, query${E}ByID, id).Scan(&${e.name[0]}.ID, &${e.name[0]}.${pascal(e.fields[1]!)}, &${e.name[0]}.${pascal(e.fields[2]!)})\n\tif errors.Is(err, sql.ErrNoRows) {\n\t\treturn nil, fmt.Errorf("${e.name} %s: %w", id, ErrNotFound)\n\t}\n\treturn &${e.name[0]}, err`,
    };
  },
  (r, e) => ({
    path: `sql/reports/${e.plural}_by_day.sql`, language: 'sql',
    context: `-- ${pascal(e.plural)} per day for the last ${r.pick([7, 14, 30])} days\nSELECT\n  <CURSOR>\n`,
    completion: `date_trunc('day', ${e.fields[4]}) AS day,\n  count(*) AS ${e.plural}\nFROM ${e.plural}\nWHERE ${e.fields[4]} >= now() - interval '30 days'\nGROUP BY 1\nORDER BY 1 DESC;`,
    alternative: `DATE(${e.fields[4]}) AS day, COUNT(id)\nFROM ${e.plural}\nGROUP BY DATE(${e.fields[4]});`,
    edited: `date_trunc('day', ${e.fields[4]} AT TIME ZONE 'UTC') AS day,\n  count(*) AS ${e.plural}\nFROM ${e.plural}\nWHERE ${e.fields[4]} >= now() - interval '30 days'\nGROUP BY 1\nORDER BY 1 DESC;`,
  }),
];

const ROOTS = ['', '', 'packages/api/', 'services/billing/', 'apps/web/', 'backend/', 'tools/'];

export function completionTask(random: Random): CompletionTask {
  const task = random.pick(TEMPLATES)(random, random.pick(ENTITIES));
  // The code above the cursor's function: what makes this file this file.
  const above = surroundingCode(random, task.language);
  const cut = task.context.indexOf('\n\n');
  const context = cut < 0 ? `${above}\n\n${task.context}` : `${task.context.slice(0, cut)}\n${above}\n${task.context.slice(cut)}`;
  return { ...task, context, path: `${random.pick(ROOTS)}${task.path}` };
}
