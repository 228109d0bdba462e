import type { BuiltinPiiType } from '../../src/index.ts';
import type { TemplateContext, TextTemplate } from './context.ts';
import { awsSecretAccessKey, camelCase, secretOf, type SecretDraw, type SecretForm } from './secrets.ts';
import { password } from './values.ts';

/*
 * Developer text: a user pastes code or config into a coding assistant, and .env files. Secrets
 * sit next to their names here, and the hard negatives are the ones code is full of: ports,
 * versions, digests, placeholders, environment lookups and token counts.
 */

interface Snippet {
  lang: string;
  /** How often this snippet is chosen among those that can carry the type. */
  weight: number;
  /** The PII types this snippet can carry; an empty list means it only holds hard negatives. */
  hosts: readonly BuiltinPiiType[];
  write(context: TemplateContext, type: BuiltinPiiType | undefined): void;
}

const drawSecret = (context: TemplateContext, forms: readonly SecretForm[]): SecretDraw => secretOf(context.rng, forms);
const snake = (envName: string): string => envName.toLowerCase();

/** A secret in code: `name = "value"` in the snippet's own syntax, or a negative in its place. */
function codeSecret(context: TemplateContext, type: BuiltinPiiType | undefined, line: (name: string) => string, style: 'camel' | 'snake'): void {
  if (type === 'SECRET') {
    const secret = drawSecret(context, ['token', 'assigned']);
    context.say(line(style === 'camel' ? camelCase(secret.envName) : snake(secret.envName)), { pii: secret.plant });
  } else {
    context.say(line(style === 'camel' ? 'apiKey' : 'api_key').replace('"{pii}"', '{env_reference}').replace("'{pii}'", '{env_reference}'));
  }
}

const SNIPPETS: readonly Snippet[] = [
  {
    weight: 1,
    lang: 'python',
    hosts: ['SECRET'],
    write(context, type) {
      context.say('import os\nfrom openai import OpenAI\n\n');
      codeSecret(context, type, (name) => `${name} = "{pii}"\n`, 'snake');
      context.say('client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout={n})\nresp = client.chat.completions.create(model="{model}", max_tokens={token_count})\nprint(resp.usage.total_tokens)  # e.g. {token_count}');
    },
  },
  {
    weight: 1,
    lang: 'ts',
    hosts: ['SECRET', 'URL_CREDENTIALS'],
    write(context, type) {
      context.say('export const config = {\n  port: {port},\n  release: \'{semver}\',\n');
      if (type === 'URL_CREDENTIALS') context.say("  databaseUrl: '{pii}',\n", { pii: context.draw('URL_CREDENTIALS') });
      else codeSecret(context, type, (name) => `  ${name}: '{pii}',\n`, 'camel');
      context.say('  requestTimeoutMs: {ms},\n  buildSha: \'{git_sha}\',\n};');
    },
  },
  {
    weight: 1,
    lang: 'bash',
    hosts: ['SECRET'],
    write(context, type) {
      if (type === 'SECRET') {
        const secret = drawSecret(context, ['header']);
        context.say('curl -sS https://api.northwind.io/v2/orders/{order_number} \\\n  -H "Authorization: {pii}" \\\n  -H "Idempotency-Key: {uuid}"', { pii: secret.plant });
      } else {
        context.say('curl -sS {localhost_url} \\\n  -H "Authorization: Bearer $API_TOKEN" -H "X-Request-Id: {uuid}"');
      }
    },
  },
  {
    weight: 1,
    lang: 'yaml',
    hosts: ['SECRET', 'URL_CREDENTIALS'],
    write(context, type) {
      context.say('services:\n  api:\n    image: ghcr.io/acme/api@{sha256_digest}\n    ports:\n      - "{port}:{port}"\n    environment:\n');
      if (type === 'URL_CREDENTIALS') context.say('      DATABASE_URL: "{pii}"\n', { pii: context.draw('URL_CREDENTIALS') });
      else if (type === 'SECRET') {
        const secret = drawSecret(context, ['token', 'assigned']);
        context.say(`      ${secret.envName}: "{pii}"\n`, { pii: secret.plant });
      } else context.say('      STRIPE_PUBLISHABLE_KEY: "{publishable_key}"\n');
      context.say('      OTEL_TRACES_SAMPLER_ARG: "0.25"\n      RELEASE_SHA: "{git_short_sha}"');
    },
  },
  {
    weight: 1,
    lang: 'python',
    hosts: ['URL_CREDENTIALS', 'IP_ADDRESS'],
    write(context, type) {
      context.say('from sqlalchemy import create_engine\n\n');
      if (type === 'URL_CREDENTIALS') context.say('engine = create_engine("{pii}", pool_size={n})\n', { pii: context.draw('URL_CREDENTIALS') });
      else context.say('engine = create_engine(os.environ["DATABASE_URL"], pool_size={n})\n');
      const host = type === 'IP_ADDRESS' ? context.draw('IP_ADDRESS') : undefined;
      context.say(host === undefined ? 'ALLOWED_HOSTS = ["{private_ipv4}", "localhost"]' : 'ALLOWED_HOSTS = ["{pii}", "{private_ipv4}"]', host === undefined ? {} : { pii: host });
    },
  },
  {
    weight: 1,
    lang: 'ts',
    hosts: ['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN'],
    write(context, type) {
      context.say("it('charges the default card', async () => {\n  const customer = await createCustomer({\n    id: '{customer_id}',\n    name: '{first} {last}',\n");
      if (type === 'EMAIL' || type === 'PHONE' || type === 'CREDIT_CARD' || type === 'IBAN' || type === 'US_SSN') {
        const field = { EMAIL: 'email', PHONE: 'phone', CREDIT_CARD: 'cardNumber', IBAN: 'iban', US_SSN: 'ssn' }[type];
        context.say(`    ${field}: '{pii}',\n`, { pii: context.draw(type) });
      }
      context.say("    createdAt: new Date('{timestamp_iso}'),\n  });\n  expect(await charge(customer, {ms})).toMatchObject({ status: 'succeeded' });\n});");
    },
  },
  {
    weight: 1,
    lang: 'nginx',
    hosts: ['IP_ADDRESS'],
    write(context, type) {
      context.say('server {\n  listen {port};\n  location /admin {\n');
      if (type === 'IP_ADDRESS') context.say('    allow {pii};\n', { pii: context.draw('IP_ADDRESS') });
      context.say('    allow {private_ipv4};\n    deny all;\n    proxy_pass http://{private_ipv4}:{port};\n  }\n}');
    },
  },
  {
    weight: 1,
    lang: 'bash',
    hosts: ['EMAIL'],
    write(context, type) {
      if (type === 'EMAIL') context.say('git config --global user.email "{pii}"\n', { pii: context.draw('EMAIL') });
      context.say('git remote add origin {ssh_remote}\ngit log -1 --format=%H  # {git_sha}\nnpm i {scoped_package}');
    },
  },
  {
    // Documented misses: a password passed as a command-line flag has no keyword before it.
    weight: 0.3,
    lang: 'bash',
    hosts: ['SECRET'],
    write(context, type) {
      if (type === 'SECRET') {
        const pii = { type: 'SECRET' as const, subtype: 'cli_password_flag', value: password(context.rng, true) };
        context.say(context.rng.pick(['docker login -u deploy -p {pii} registry.acme-corp.com', 'mysql -h {private_ipv4} -u root -p{pii} shop']), { pii });
      } else {
        context.say('docker login -u deploy --password-stdin registry.acme-corp.com < ~/.docker-token');
      }
    },
  },
  {
    weight: 1,
    lang: 'text',
    hosts: ['SECRET'],
    write(context, type) {
      if (type === 'SECRET' && context.rng.chance(0.7)) {
        const key = drawSecret(context, ['pem']);
        context.builder.pii(key.plant);
      } else if (type === 'SECRET') {
        // `aws configure` prompts: the key id has a vendor prefix, the secret only its prompt.
        const pii = { type: 'SECRET' as const, subtype: 'aws_configure_prompt', value: awsSecretAccessKey(context.rng) };
        context.say('$ aws configure\nAWS Access Key ID [None]: {placeholder_key}\nAWS Secret Access Key [None]: {pii}\nDefault region name [None]: eu-west-1', { pii });
      } else {
        context.say('$ ssh-keygen -t ed25519 -C "deploy key"\nThe key fingerprint is:\nSHA256:{card_fingerprint}{card_fingerprint} deploy key');
      }
    },
  },
  {
    weight: 1,
    lang: 'html',
    hosts: [],
    write(context) {
      context.say('<picture>\n  <img src="/img/logo.png" srcset="/img/{retina_image} 2x" width="{n}0" alt="{first}\'s shop">\n</picture>\n<!-- build {git_short_sha}, {timestamp_iso} -->');
    },
  },
];

const ASKS = [
  'Why does this fail with {http_status} since {date_iso}?',
  'This worked on {semver} but breaks after upgrading, any idea?',
  'Getting ECONNREFUSED {private_ipv4}:{port} with this setup:',
  'Can you review this config before I deploy {git_short_sha}?',
  'The job ran {duration} and then died, logs say {error_code}.',
  'We are patching {cve}; does this still work after the upgrade?',
];
const ANSWERS = [
  'The {http_status} comes from the proxy: bump the timeout to {ms} ms and redeploy.',
  'Never commit credentials; read them from {env_reference} instead.',
  'Pin the image by digest ({sha256_digest}) so {semver} cannot change under you.',
  'Replace the value with {placeholder_key} in the example and keep the real one in your secret store.',
  'That release ({git_short_sha}) changed the default port to {port}.',
  'Set max_tokens to {token_count}; the model allows up to {token_count}.',
  'Put {decorator} back on the handler; without it the route is never registered.',
];

export const codingChat: TextTemplate = {
  kind: 'coding_chat',
  piiWeights: [[8, 'SECRET'], [3, 'URL_CREDENTIALS'], [2, 'EMAIL'], [2, 'IP_ADDRESS'], [1, 'PHONE'], [1, 'CREDIT_CARD'], [0.5, 'IBAN'], [0.5, 'US_SSN']],
  render(context) {
    const { rng, builder } = context;
    builder.text('User: ');
    context.say(rng.pick(ASKS));
    const types = context.pending.length === 0 ? [undefined] : context.pending.splice(0);
    for (const type of types) {
      const candidates = SNIPPETS.filter((candidate) => type === undefined || candidate.hosts.includes(type));
      const snippet = rng.weighted(candidates.map((candidate) => [candidate.weight, candidate] as const));
      builder.text(`\n\n\`\`\`${snippet.lang}\n`);
      snippet.write(context, type);
      builder.text('\n```\n');
    }
    builder.text('\nAssistant: ');
    context.say(rng.pick(ANSWERS));
    builder.text(' ');
    context.say(rng.pick(ANSWERS));
  },
};

const ENV_NEGATIVE_LINES = [
  'PORT={port}', 'NODE_ENV=production', 'LOG_LEVEL=info', 'APP_VERSION={semver}', 'BUILD_SHA={git_sha}',
  'REDIS_URL=redis://{private_ipv4}:6379/0', 'DATABASE_POOL_MAX={n}', 'SESSION_TTL_SECONDS={epoch_s}',
  'OPENAI_MAX_TOKENS={token_count}', 'OPENAI_API_KEY={placeholder_key}', 'STRIPE_PUBLISHABLE_KEY={publishable_key}',
  'SENTRY_RELEASE={git_short_sha}', 'CDN_PURGE_ID={uuid}', 'TZ=Europe/Berlin', 'HEALTHCHECK_URL={localhost_url}',
  'ACCESS_TOKEN_TTL=3600', 'PASSWORD_MIN_LENGTH=12', 'AWS_ACCOUNT_ROLE={aws_arn}', 'BIND_ADDRESS={loopback}',
  'FEATURE_FLAGS_SYNCED_AT={timestamp_iso}', 'GITHUB_TOKEN={env_reference}',
];

function envPiiLine(context: TemplateContext, type: BuiltinPiiType): void {
  const quote = context.rng.pick(['', '', '"', "'"]);
  if (type === 'SECRET') {
    const secret = drawSecret(context, ['token', 'token', 'assigned', 'assigned', 'pem']);
    const multiline = secret.form === 'pem';
    context.say(`${secret.envName}=${multiline ? '"' : quote}{pii}${multiline ? '"' : quote}`, { pii: secret.plant });
    return;
  }
  const name = { EMAIL: 'ADMIN_EMAIL', PHONE: 'ALERT_SMS_TO', IP_ADDRESS: 'ALLOWED_IP', URL_CREDENTIALS: 'DATABASE_URL', CREDIT_CARD: 'TEST_CARD_NUMBER', IBAN: 'PAYOUT_IBAN', US_SSN: 'OWNER_SSN' }[type];
  context.say(`${name}=${quote}{pii}${quote}`, { pii: context.draw(type) });
}

export const envFile: TextTemplate = {
  kind: 'env_file',
  piiWeights: [[10, 'SECRET'], [4, 'URL_CREDENTIALS'], [2, 'EMAIL'], [1, 'IP_ADDRESS'], [1, 'PHONE'], [0.3, 'IBAN']],
  render(context) {
    const { rng, builder } = context;
    builder.text(rng.pick(['# .env.production\n', '# copied from the staging box\n', '']));
    const negativeLines = rng.shuffle([...ENV_NEGATIVE_LINES]).slice(0, rng.int(4, 12));
    const lines = rng.shuffle<{ text: string } | { pii: BuiltinPiiType }>([...negativeLines.map((text) => ({ text })), ...context.pending.splice(0).map((pii) => ({ pii }))]);
    for (const [index, line] of lines.entries()) {
      if (index > 0) builder.text('\n');
      if ('pii' in line) envPiiLine(context, line.pii);
      else context.say(line.text);
    }
  },
};
