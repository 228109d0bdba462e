import type { PlantValue } from './builder.ts';
import { ALNUM, DIGITS, HEX, LOWER, UPPER, type Rng } from './rng.ts';
import { password } from './values.ts';

/*
 * Credentials in the formats vendors issue. Every token is assembled from a PRNG at run time and
 * prefixes are split where a scanner keys on them ('sk_' + 'live_'), so no literal that looks live
 * is ever committed (push protection would rightly block it).
 */

export type SecretForm =
  /** Recognisable on its own (a vendor prefix, a JWT): fits prose, code and config alike. */
  | 'token'
  /** Only a credential because of the name it is assigned to: needs `name = value`. */
  | 'assigned'
  /** A multi-line PEM block. */
  | 'pem'
  /** The value of an `Authorization:` header ('Bearer …', 'Basic …'). */
  | 'header';

export interface SecretDraw {
  plant: PlantValue;
  form: SecretForm;
  /** The environment variable such a value is usually stored in (SCREAMING_SNAKE). */
  envName: string;
}

const URL_SAFE = ALNUM + '_-';
const BASE64 = ALNUM + '+/';

const secret = (subtype: string, value: string, form: SecretForm, envName: string, start?: number): SecretDraw => ({
  plant: start === undefined ? { type: 'SECRET', subtype, value } : { type: 'SECRET', subtype, value, start },
  form,
  envName,
});

export function uuid(rng: Rng): string {
  return `${rng.chars(HEX, 8)}-${rng.chars(HEX, 4)}-4${rng.chars(HEX, 3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.chars(HEX, 3)}-${rng.chars(HEX, 12)}`;
}

export function jwt(rng: Rng): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: rng.pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' });
  const payload = encode({ sub: uuid(rng), email_verified: true, iat: 1767225600 + rng.int(0, 9_999_999), exp: 1767229200 + rng.int(0, 9_999_999) });
  return `${header}.${payload}.${rng.chars(URL_SAFE, 43)}`;
}

export function pemPrivateKey(rng: Rng): { label: string; block: string } {
  const label = rng.pick(['RSA PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'EC PRIVATE KEY']);
  const lines = Array.from({ length: rng.int(5, 25) }, () => rng.chars(BASE64, 64));
  lines.push(rng.chars(BASE64, rng.int(8, 60)) + '==');
  const armour = (edge: string): string => `-----${edge} ${label}-----`;
  return { label, block: [armour('BEGIN'), ...lines, armour('END')].join('\n') };
}

export function awsSecretAccessKey(rng: Rng): string {
  return rng.chars(BASE64, 40);
}

function vendorToken(rng: Rng): SecretDraw {
  return rng.weighted<SecretDraw>([
    [2, secret('aws_access_key_id', rng.pick(['AKIA', 'ASIA']) + rng.chars(UPPER + '234567', 16), 'token', 'AWS_ACCESS_KEY_ID')],
    [2, secret('github_token', rng.pick(['ghp_', 'gho_', 'ghs_']) + rng.chars(ALNUM, 36), 'token', 'GITHUB_TOKEN')],
    [1, secret('github_pat', `github_${'pat'}_${rng.chars(ALNUM, 22)}_${rng.chars(ALNUM, 59)}`, 'token', 'GH_PAT')],
    [1, secret('gitlab_token', 'glpat-' + rng.chars(URL_SAFE, 20), 'token', 'GITLAB_TOKEN')],
    [2, secret('anthropic_api_key', `sk-${'ant'}-api03-${rng.chars(URL_SAFE, 93)}AA`, 'token', 'ANTHROPIC_API_KEY')],
    [2, secret('openai_api_key', `sk-${'proj'}-${rng.chars(URL_SAFE, 156)}`, 'token', 'OPENAI_API_KEY')],
    [1, secret('openai_api_key_legacy', 'sk-' + rng.chars(ALNUM, 48), 'token', 'OPENAI_API_KEY')],
    [1, secret('google_api_key', 'AIza' + rng.chars(URL_SAFE, 35), 'token', 'GOOGLE_API_KEY')],
    [1, secret('huggingface_token', `hf_${rng.chars(UPPER, 2)}${rng.chars(LOWER, 2)}${rng.chars(UPPER + LOWER, 30)}`, 'token', 'HF_TOKEN')],
    [2, secret('stripe_key', `${rng.pick(['sk', 'rk'])}_${rng.pick(['live', 'test'])}_${rng.chars(ALNUM, rng.pick([24, 99]))}`, 'token', 'STRIPE_SECRET_KEY')],
    [1, secret('slack_token', `xox${'b'}-${rng.digits(11)}-${rng.digits(13)}-${rng.chars(ALNUM, 24)}`, 'token', 'SLACK_BOT_TOKEN')],
    [1, secret('slack_webhook', `https://hooks.${'slack'}.com/services/T${rng.chars(UPPER + DIGITS, 8)}/B${rng.chars(UPPER + DIGITS, 10)}/${rng.chars(ALNUM, 24)}`, 'token', 'SLACK_WEBHOOK_URL')],
    [1, secret('npm_token', 'npm_' + rng.chars(ALNUM, 36), 'token', 'NPM_TOKEN')],
    [2, secret('jwt', jwt(rng), 'token', 'SESSION_TOKEN')],
  ]);
}

function assignedSecret(rng: Rng): SecretDraw {
  return rng.weighted<SecretDraw>([
    [3, secret('aws_secret_access_key', awsSecretAccessKey(rng), 'assigned', 'AWS_SECRET_ACCESS_KEY')],
    [4, secret('password', password(rng), 'assigned', rng.pick(['DB_PASSWORD', 'SMTP_PASSWORD', 'POSTGRES_PASSWORD', 'ADMIN_PASSWORD', 'REDIS_PASSWORD']))],
    // A single-class passphrase: documented as missed (no second character class).
    [0.3, secret('password_passphrase', `${rng.pick(['correct', 'purple', 'silent', 'gentle'])}${rng.pick(['horse', 'monkey', 'river', 'garden'])}${rng.pick(['battery', 'staple', 'lantern', 'pepper'])}`, 'assigned', 'ADMIN_PASSWORD')],
    [2, secret('api_key_hex', rng.chars(HEX, 32), 'assigned', rng.pick(['DATADOG_API_KEY', 'ALGOLIA_ADMIN_API_KEY', 'TWILIO_AUTH_TOKEN', 'POSTMARK_SERVER_TOKEN']))],
    [1, secret('mailgun_key', `key-${rng.chars(HEX, 32)}`, 'assigned', 'MAILGUN_API_KEY')],
    [1, secret('sendgrid_key', `SG.${rng.chars(URL_SAFE, 22)}.${rng.chars(URL_SAFE, 43)}`, 'assigned', 'SENDGRID_API_KEY')],
    [2, secret('signing_secret', rng.chars(HEX, 64), 'assigned', rng.pick(['JWT_SECRET', 'SECRET_KEY_BASE', 'WEBHOOK_SIGNING_SECRET', 'SESSION_SECRET']))],
    [1, secret('client_secret', rng.chars(URL_SAFE + '.~', 40), 'assigned', rng.pick(['OAUTH_CLIENT_SECRET', 'AZURE_CLIENT_SECRET', 'AUTH0_CLIENT_SECRET']))],
    [1, secret('django_secret_key', `django-insecure-${rng.chars(LOWER + DIGITS + '!@#%^&*(-_=+)', 50)}`, 'assigned', 'DJANGO_SECRET_KEY')],
    [1, secret('api_key_uuid', uuid(rng), 'assigned', rng.pick(['HEROKU_API_KEY', 'NEW_RELIC_API_KEY', 'OPSGENIE_API_KEY']))],
  ]);
}

function headerSecret(rng: Rng): SecretDraw {
  if (rng.chance(0.75)) {
    const token = rng.chance(0.3) ? jwt(rng) : rng.chars(URL_SAFE, rng.int(32, 64));
    return secret(token.startsWith('eyJ') ? 'bearer_jwt' : 'bearer_token', `Bearer ${token}`, 'header', 'API_TOKEN', 'Bearer '.length);
  }
  const credentials = Buffer.from(`${rng.pick(['admin', 'api', 'deploy', 'jenkins'])}:${password(rng)}`).toString('base64');
  return secret('basic_auth', `Basic ${credentials}`, 'header', 'BASIC_AUTH', 'Basic '.length);
}

export function secretOf(rng: Rng, forms: readonly SecretForm[]): SecretDraw {
  const form = rng.weighted<SecretForm>(forms.map((f) => [f === 'token' ? 5 : f === 'assigned' ? 5 : f === 'header' ? 2 : 1, f]));
  if (form === 'token') return vendorToken(rng);
  if (form === 'assigned') return assignedSecret(rng);
  if (form === 'header') return headerSecret(rng);
  const { block } = pemPrivateKey(rng);
  return secret('pem_private_key', block, 'pem', 'PRIVATE_KEY');
}

/** `DB_PASSWORD` → `dbPassword`: how the same name reads in JavaScript. */
export function camelCase(envName: string): string {
  return envName.toLowerCase().replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
