import { HEX, type Random } from '../random.ts';

/**
 * The rest of the file around a completion: imports, constants, a neighbouring helper, a comment
 * someone left. Real completion prompts are mostly this surrounding code, which is why two
 * completions in the same kind of function are still different prompts; without it every
 * repository method would be a near-duplicate of every other.
 */

const NOUNS = ['account', 'batch', 'cart', 'report', 'session', 'quota', 'export', 'webhook', 'tenant', 'region', 'coupon', 'job', 'audit', 'draft', 'feed'];
const VERBS = ['load', 'build', 'sync', 'resolve', 'parse', 'flush', 'merge', 'render', 'validate', 'normalize', 'enqueue', 'retry'];
const AUTHORS = ['kenji', 'maria', 'lukas', 'priya', 'omar', 'sofia', 'dana', 'emeka'];
const WHY = ['drop once the v2 API is live', 'the backend sends null here for legacy rows', 'keep in sync with billing', 'slow for large tenants, see INC-', 'remove after the migration', 'flaky on CI under load'];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function name(r: Random): string {
  return `${r.pick(VERBS)}${cap(r.pick(NOUNS))}${r.chance(0.3) ? cap(r.pick(NOUNS)) : ''}`;
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

type LineMaker = (r: Random) => string;

const TS_LINES: readonly LineMaker[] = [
  (r) => `import { ${name(r)} } from '../${r.pick(NOUNS)}s/${r.pick(['service', 'client', 'utils', 'queries'])}';`,
  (r) => `import ${r.pick(['pino', 'dayjs', 'pLimit', 'ky', 'mitt'])} from '${r.pick(['pino', 'dayjs', 'p-limit', 'ky', 'mitt'])}';`,
  (r) => `const ${r.pick(['MAX_RETRIES', 'PAGE_SIZE', 'TIMEOUT_MS', 'BATCH_LIMIT', 'CACHE_TTL_S'])} = ${r.pick([3, 5, 50, 100, 250, 1000, 30_000])};`,
  (r) => `// TODO(${r.pick(AUTHORS)}): ${r.pick(WHY)}${r.int(100, 999)}`,
  (r) => `export function ${name(r)}(input: ${cap(r.pick(NOUNS))}): boolean {\n  return input.${r.pick(NOUNS)}Id !== undefined && input.version > ${r.int(0, 9)};\n}`,
  (r) => `const log = logger.child({ module: '${r.pick(NOUNS)}-${r.pick(['worker', 'api', 'cron', 'sync'])}' });`,
  (r) => `type ${cap(r.pick(NOUNS))}Status = '${r.pick(['pending', 'queued', 'draft'])}' | '${r.pick(['active', 'running', 'sent'])}' | '${r.pick(['failed', 'archived', 'done'])}';`,
];

const PY_LINES: readonly LineMaker[] = [
  (r) => `from app.${r.pick(NOUNS)}s import ${snake(name(r))}`,
  (r) => `import ${r.pick(['logging', 'json', 'datetime as dt', 'numpy as np', 'itertools'])}`,
  (r) => `${r.pick(['MAX_ROWS', 'CHUNK_SIZE', 'TIMEOUT_S', 'SAMPLE_RATE'])} = ${r.pick([10, 500, 1000, 0.25, 30])}`,
  (r) => `# TODO(${r.pick(AUTHORS)}): ${r.pick(WHY)}${r.int(100, 999)}`,
  (r) => `def ${snake(name(r))}(${r.pick(NOUNS)}_id: str) -> bool:\n    return bool(${r.pick(NOUNS)}_id) and len(${r.pick(NOUNS)}_id) > ${r.int(2, 12)}`,
  (r) => `logger = logging.getLogger("${r.pick(NOUNS)}.${r.pick(['jobs', 'report', 'etl', 'sync'])}")`,
];

const GO_LINES: readonly LineMaker[] = [
  (r) => `import "github.com/acme/${r.pick(NOUNS)}/internal/${r.pick(['db', 'auth', 'metrics', 'queue'])}"`,
  (r) => `const ${r.pick(['maxRetries', 'pageSize', 'defaultTimeout'])} = ${r.pick([3, 50, 100, '5 * time.Second'])}`,
  (r) => `// TODO(${r.pick(AUTHORS)}): ${r.pick(WHY)}${r.int(100, 999)}`,
  (r) => `var Err${cap(r.pick(NOUNS))}${r.pick(['Locked', 'Expired', 'Missing'])} = errors.New("${r.pick(NOUNS)} ${r.pick(['locked', 'expired', 'missing'])}")`,
];

const SQL_LINES: readonly LineMaker[] = [
  (r) => `-- owner: ${r.pick(AUTHORS)}, refreshed ${r.pick(['hourly', 'nightly', 'every 15 min'])} by ${r.pick(['dbt', 'airflow', 'cron'])}`,
  (r) => `-- ${r.pick(WHY)}${r.int(100, 999)}`,
  (r) => `-- dashboard: https://metabase.internal/dashboard/${r.int(10, 400)}-${r.chars(HEX, 6)}`,
];

const LINES: Record<string, readonly LineMaker[]> = { typescript: TS_LINES, typescriptreact: TS_LINES, python: PY_LINES, go: GO_LINES, sql: SQL_LINES };

/** A few lines of surrounding code for a file in `language`, separated as real files are. */
export function surroundingCode(r: Random, language: string, lines = r.int(2, 5)): string {
  const pool = LINES[language] ?? TS_LINES;
  return Array.from({ length: lines }, () => r.pick(pool)(r)).join(r.chance(0.5) ? '\n' : '\n\n');
}

export { name as identifier };
