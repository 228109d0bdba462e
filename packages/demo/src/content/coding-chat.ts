import type { Random } from '../random.ts';
import { identifier, surroundingCode } from './code-context.ts';
import { person } from './people.ts';
import { email } from './pii-values.ts';
import type { Planter } from './planter.ts';
import { anySecret, awsKeyPair, connectionString, vendorToken } from './secrets.ts';

/**
 * Chat edits in the IDE: the developer pastes code, config or a `.env` file and asks for a fix;
 * the assistant answers with an explanation and code. Secrets arrive the way they do in real
 * use — hard-coded keys, connection strings, whole `.env` files — and the model sometimes echoes
 * them back in its answer, which is exactly why its output is redacted too.
 */

export interface ChatEditTask {
  kind: string;
  language: string;
  request: string;
  answer: string;
  alternative: string;
  /** The code the developer kept after editing the answer. */
  edited: string;
}

const fence = (lang: string, code: string) => '```' + lang + '\n' + code + '\n```';
const opener = (r: Random) => r.pick(['', '', 'quick one: ', 'hey, ', 'in our monorepo: ', 'help — ', 'Q: ']);

function envFile(r: Random, planter: Planter): { text: string; dbUrl: string } {
  const db = connectionString(r);
  planter.plant(db.draw);
  const lines = [`NODE_ENV=${r.pick(['production', 'development', 'staging'])}`, `PORT=${r.pick([3000, 8080, 4000])}`, `${db.envName}=${db.url}`];
  for (let i = r.int(1, 3); i > 0; i--) {
    const s = anySecret(r);
    lines.push(`${s.envName}=${planter.plant(s)}`);
  }
  if (r.chance(0.3)) lines.push(`ADMIN_EMAIL=${planter.plant(email(r, person(r), true))}`);
  lines.push(`LOG_LEVEL=${r.pick(['info', 'debug', 'warn'])}`, `PUBLIC_URL=https://${r.pick(['app', 'dashboard', 'api'])}.example.com`);
  return { text: r.pick([true, false]) ? lines.join('\n') : [...lines].reverse().join('\n'), dbUrl: db.url };
}

type Kind = (r: Random, planter: Planter) => ChatEditTask;

const composeConnection: Kind = (r, planter) => {
  const env = envFile(r, planter);
  const fixed = env.dbUrl.replace(/@[^:/]+/, '@db');
  return {
    kind: 'debug_connection', language: 'dotenv',
    request: `my api container can't reach the database in docker compose (ECONNREFUSED 127.0.0.1:5432). here's my .env:\n${fence('', env.text)}`,
    answer: `Inside Compose, \`localhost\` is the api container itself. Point the URL at the database service name instead:\n${fence('dotenv', `${env.dbUrl.split('://')[0]!.toUpperCase()}_URL=${fixed}`)}\nAlso add \`depends_on: { db: { condition: service_healthy } }\` so the api waits for the database.`,
    alternative: 'Containers don’t share `localhost`. Use the Compose service name (e.g. `db`) as the host in your connection URL and add a healthcheck + `depends_on` so startup waits for the database.',
    edited: `DATABASE_URL=${fixed}`,
  };
};

const hardcodedKey: Kind = (r, planter) => {
  const key = vendorToken(r);
  planter.plant(key);
  const client = { stripe_secret_key: 'new Stripe', openai_api_key: 'new OpenAI', github_token: 'new Octokit', anthropic_api_key: 'new Anthropic' }[key.subtype] ?? 'createClient';
  const code = `import express from 'express';\n\nconst client = ${client}(${client === 'new Octokit' ? '{ auth: ' : ''}'${key.value}'${client === 'new Octokit' ? ' }' : ''});\nconst app = express();\n\napp.post('/webhook', express.json(), async (req, res) => {\n  const result = await handle(client, req.body);\n  res.json(result);\n});`;
  const echo = r.chance(0.35);
  const fixedCode = code.replace(`'${key.value}'`, `process.env.${key.envName}!`).replace('express.json()', "express.raw({ type: 'application/json' })");
  return {
    kind: 'hardcoded_key', language: 'typescript',
    request: `${r.pick(['why does my webhook handler return 400 in production?', 'can you clean this up?', 'this works locally but not on the server, any idea?'])}\n${fence('ts', code)}`,
    answer: echo
      ? `Two things. The signature check needs the raw body, so use \`express.raw\` on that route. Here is your file with that change:\n${fence('ts', code.replace('express.json()', "express.raw({ type: 'application/json' })"))}`
      : `Two things. The signature check needs the raw body, so use \`express.raw\` on that route. And never commit a live key — read it from the environment and rotate the one you pasted:\n${fence('ts', fixedCode)}`,
    alternative: `Use \`express.raw({ type: 'application/json' })\` for the webhook route (signatures are computed over the raw bytes) and load the key from \`process.env.${key.envName}\`.`,
    edited: fixedCode,
  };
};

const curlToFetch: Kind = (r, planter) => {
  const key = vendorToken(r);
  const token = planter.plant(key);
  const path = r.pick(['/v1/orders?limit=50', '/v2/customers/search', '/v1/reports/daily']);
  const curl = `curl -sS https://api.northwind.io${path} \\\n  -H "Authorization: Bearer ${token}" \\\n  -H "Accept: application/json"`;
  const code = `const res = await fetch('https://api.northwind.io${path}', {\n  headers: { Authorization: \`Bearer \${process.env.NORTHWIND_TOKEN}\`, Accept: 'application/json' },\n});\nif (!res.ok) throw new Error(\`northwind \${res.status}\`);\nconst data = await res.json();`;
  const echoed = code.replace('${process.env.NORTHWIND_TOKEN}', token);
  return {
    kind: 'curl_to_fetch', language: 'typescript',
    request: `convert this to fetch in typescript:\n${fence('bash', curl)}`,
    answer: r.chance(0.4) ? fence('ts', echoed) : `${fence('ts', code)}\nI moved the token to \`NORTHWIND_TOKEN\` so it stays out of your source.`,
    alternative: fence('ts', `import { request } from 'undici';\nconst { body } = await request('https://api.northwind.io${path}', { headers: { authorization: \`Bearer \${process.env.NORTHWIND_TOKEN}\` } });\nconst data = await body.json();`),
    edited: code,
  };
};

const awsScript: Kind = (r, planter) => {
  const { keyId, secretKey } = awsKeyPair(r);
  const code = `import boto3\n\ns3 = boto3.client(\n    "s3",\n    aws_access_key_id="${planter.plant(keyId)}",\n    aws_secret_access_key="${planter.plant(secretKey)}",\n)\nfor obj in s3.list_objects_v2(Bucket="acme-exports")["Contents"]:\n    print(obj["Key"])`;
  return {
    kind: 'pagination', language: 'python',
    request: `this only prints the first 1000 files, how do I get all of them?\n${fence('python', code)}`,
    answer: `\`list_objects_v2\` returns at most 1,000 keys per call; use a paginator:\n${fence('python', 'paginator = s3.get_paginator("list_objects_v2")\nfor page in paginator.paginate(Bucket="acme-exports"):\n    for obj in page.get("Contents", []):\n        print(obj["Key"])')}\nAnd drop the inline credentials: boto3 picks them up from the environment or \`~/.aws/credentials\`.`,
    alternative: fence('python', 'token = None\nwhile True:\n    kwargs = {"Bucket": "acme-exports", **({"ContinuationToken": token} if token else {})}\n    resp = s3.list_objects_v2(**kwargs)\n    for obj in resp.get("Contents", []):\n        print(obj["Key"])\n    if not resp.get("IsTruncated"):\n        break\n    token = resp["NextContinuationToken"]'),
    edited: 's3 = boto3.client("s3")\nfor page in s3.get_paginator("list_objects_v2").paginate(Bucket="acme-exports"):\n    for obj in page.get("Contents", []):\n        print(obj["Key"])',
  };
};

const plainRefactor: Kind = (r) => {
  const fn = identifier(r);
  const [store, cache] = [r.pick(['db', 'repo', 'store', 'client']), r.pick(['cache', 'redis', 'memo', 'lru'])];
  const code = `${surroundingCode(r, 'typescript', r.int(1, 3))}\n\nfunction ${fn}(id, cb) {\n  ${store}.get(id, function (err, row) {\n    if (err) return cb(err);\n    ${cache}.set(id, row, function () {\n      cb(null, row);\n    });\n  });\n}`;
  const asyncCode = `async function ${fn}(id) {\n  const row = await ${store}.get(id);\n  await ${cache}.set(id, row);\n  return row;\n}`;
  return {
    kind: 'refactor', language: 'javascript',
    request: `${opener(r)}${r.pick(['rewrite with async/await', 'can you make this async/await?', 'refactor to promises please', 'modernize this callback code', 'convert this to async'])}\n${fence('js', code)}`,
    answer: `${fence('js', asyncCode)}\nThis assumes \`${store}.get\` and \`${cache}.set\` return promises; wrap them with \`util.promisify\` if they only take callbacks.`,
    alternative: fence('js', `const ${fn} = (id) => ${store}.get(id).then((row) => ${cache}.set(id, row).then(() => row));`),
    edited: asyncCode.replace('return row;', 'return row ?? null;'),
  };
};

const writeTests: Kind = (r) => {
  const fn = identifier(r);
  const cases = [r.pick(['empty input', 'null', 'unicode', 'very long input']), r.pick(['duplicates', 'negative numbers', 'timezones', 'concurrent calls'])];
  const source = `export function ${fn}(${r.pick(['items', 'input', 'rows'])}: ${r.pick(['string[]', 'Record<string, number>', 'string'])}) {\n  ${surroundingCode(r, 'typescript', 1).split('\n')[0]}\n  // …\n}`;
  return {
    kind: 'write_tests', language: 'typescript',
    request: `${opener(r)}write ${r.pick(['vitest', 'jest', 'node:test'])} tests for ${fn}, cover ${cases.join(' and ')}\n${fence('ts', source)}`,
    answer: fence('ts', `import { describe, expect, it } from 'vitest';\nimport { ${fn} } from './${fn}';\n\ndescribe('${fn}', () => {\n  it('handles the empty input', () => {\n    expect(${fn}('')).toMatchSnapshot();\n  });\n  it('is idempotent on its own output', () => {\n    const once = ${fn}('Hello World');\n    expect(${fn}(once)).toEqual(once);\n  });\n});`),
    alternative: fence('ts', `test('${fn} basic', () => {\n  expect(${fn}('a b')).toBeDefined();\n});`),
    edited: `describe('${fn}', () => {\n  it.each([['', ''], ['Hello World', 'hello-world']])('%s', (input, expected) => {\n    expect(${fn}(input)).toBe(expected);\n  });\n});`,
  };
};

const explainError: Kind = (r) => {
  const [field, obj] = r.pick([['map', 'items'], ['length', 'rows'], ['id', 'user'], ['toFixed', 'price']] as const);
  const fn = identifier(r);
  const code = `${surroundingCode(r, 'typescript', r.int(1, 3))}\n\nexport function ${fn}(${obj}) {\n  return ${obj}.${field === 'toFixed' ? 'toFixed(2)' : field === 'map' ? 'map((x) => x.name).join(", ")' : field};\n}`;
  return {
    kind: 'explain_error', language: 'javascript',
    request: `${opener(r)}${r.pick(['getting', 'why', 'keep seeing'])} TypeError: Cannot read properties of undefined (reading '${field}') here:\n${fence('js', code)}`,
    answer: `\`${obj}\` is \`undefined\` when \`${fn}\` runs — usually because the data hasn't loaded yet. Guard it:\n${fence('js', code.replace(`${obj}.`, `${obj}?.`))}\nor make sure the caller waits for the fetch before rendering.`,
    alternative: `The value you call \`.${field}\` on is undefined. Add a default parameter (\`${obj} = ${field === 'toFixed' ? '0' : field === 'id' ? '{}' : '[]'}\`) or check it before use.`,
    edited: code.replace(`(${obj})`, `(${obj} = ${field === 'toFixed' ? '0' : field === 'id' ? '{}' : '[]'})`),
  };
};

const explainRegex: Kind = (r) => {
  const [pattern, meaning] = r.pick([
    ['^\\d{4}-\\d{2}-\\d{2}$', 'an ISO date like 2026-03-14'],
    ['^[a-z0-9-]{3,32}$', 'a slug of 3–32 lower-case letters, digits or dashes'],
    ['(?<=\\$)\\d+(\\.\\d{2})?', 'an amount right after a dollar sign, with optional cents'],
    ['^v?(\\d+)\\.(\\d+)\\.(\\d+)$', 'a semantic version, with an optional leading v'],
  ] as const);
  return {
    kind: 'explain_regex', language: 'regex',
    request: `what does this regex match? \`${pattern}\``,
    answer: `It matches ${meaning}. Anchors \`^\`/\`$\` make it match the whole string, not a part of it.`,
    alternative: `In short: ${meaning}.`,
    edited: `// matches ${meaning}\nconst re = /${pattern}/;`,
  };
};

const KINDS: ReadonlyArray<readonly [number, Kind]> = [
  [2, composeConnection], [2, hardcodedKey], [1, curlToFetch], [1, awsScript],
  [5, plainRefactor], [5, writeTests], [5, explainError], [2, explainRegex],
];

export function chatEditTask(random: Random, planter: Planter): ChatEditTask {
  return random.weighted(KINDS)(random, planter);
}
