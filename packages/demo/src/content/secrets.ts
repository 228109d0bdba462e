import { ALNUM, DIGITS, HEX, LOWER, UPPER, type Random } from '../random.ts';
import type { Draw } from './pii-values.ts';

/*
 * Credentials developers paste into a coding assistant. Every token is assembled from the PRNG at
 * run time and vendor prefixes are split ('sk_' + 'live_'), so no literal that looks live is ever
 * committed. Each draw says which environment variable such a value usually lives in.
 */

export interface SecretDraw extends Draw {
  envName: string;
}

const URL_SAFE = ALNUM + '_-';
const secret = (subtype: string, value: string, envName: string): SecretDraw => ({ type: 'SECRET', subtype, value, envName });

/** Two character classes at least, with a digit, never a leading `$` (a shell variable to the eye). */
export function password(random: Random): string {
  return random.weighted<string>([
    [3, `${random.chars(UPPER, 1)}${random.chars(ALNUM, random.int(10, 16))}${random.int(10, 99)}${random.pick(['!', '*', '#', '%'])}`],
    [2, `${random.pick(['Summer', 'Falcon', 'Orange', 'Rocket', 'Meadow', 'Harbor'])}${random.int(1990, 2026)}${random.pick(['!', '*', '#'])}`],
    [1, `${random.chars(LOWER, 5)}${random.chars(DIGITS, 3)}${random.chars(UPPER, 2)}${random.chars(LOWER, 3)}`],
  ]);
}

/** URL userinfo must not carry '#', '?', '/' or '@'. */
function urlPassword(random: Random): string {
  return `${random.chars(UPPER, 1)}${random.chars(ALNUM, random.int(11, 17))}${random.int(10, 99)}`;
}

function jwt(random: Random): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: random.pick(['HS256', 'RS256']), typ: 'JWT' });
  const payload = encode({ sub: `usr_${random.chars(HEX, 12)}`, role: 'service', iat: 1767225600 + random.int(0, 9_999_999) });
  return `${header}.${payload}.${random.chars(URL_SAFE, 43)}`;
}

/** A credential recognisable on its own (vendor prefix, JWT): fits prose, code and config alike. */
export function vendorToken(random: Random): SecretDraw {
  return random.weighted<SecretDraw>([
    [3, secret('openai_api_key', `sk-${'proj'}-${random.chars(ALNUM, 20)}T3Blbk${'FJ'}${random.chars(ALNUM, 20)}`, 'OPENAI_API_KEY')],
    [3, secret('stripe_secret_key', `sk_${'live'}_${random.chars(ALNUM, 24)}`, 'STRIPE_SECRET_KEY')],
    [2, secret('github_token', `gh${'p'}_${random.chars(ALNUM, 36)}`, 'GITHUB_TOKEN')],
    [2, secret('aws_access_key_id', `AKI${'A'}${random.chars(UPPER + '234567', 16)}`, 'AWS_ACCESS_KEY_ID')],
    [1, secret('anthropic_api_key', `sk-${'ant'}-api03-${random.chars(URL_SAFE, 93)}AA`, 'ANTHROPIC_API_KEY')],
    [1, secret('huggingface_token', `hf${'_'}${random.chars(UPPER, 2)}${random.chars(LOWER, 2)}${random.chars(UPPER + LOWER, 30)}`, 'HF_TOKEN')],
    [1, secret('slack_bot_token', `xox${'b'}-${random.chars(DIGITS, 11)}-${random.chars(DIGITS, 13)}-${random.chars(ALNUM, 24)}`, 'SLACK_BOT_TOKEN')],
    [1, secret('sendgrid_api_key', `SG.${random.chars(DIGITS, 1)}${random.chars(URL_SAFE, 21)}.${random.chars(DIGITS, 1)}${random.chars(URL_SAFE, 42)}`, 'SENDGRID_API_KEY')],
    [1, secret('jwt', jwt(random), 'SERVICE_TOKEN')],
  ]);
}

/** A credential only because of the name it is assigned to: needs `NAME=value` or `name: "value"`. */
export function assignedSecret(random: Random): SecretDraw {
  return random.weighted<SecretDraw>([
    [3, secret('password', password(random), random.pick(['DB_PASSWORD', 'SMTP_PASSWORD', 'REDIS_PASSWORD', 'ADMIN_PASSWORD']))],
    [2, secret('aws_secret_access_key', `${random.chars(ALNUM, 1)}${random.chars(ALNUM, 18)}+${random.chars(ALNUM + '+/', 20)}`, 'AWS_SECRET_ACCESS_KEY')],
    [2, secret('signing_secret', random.chars(HEX, 64), random.pick(['JWT_SECRET', 'SESSION_SECRET', 'WEBHOOK_SIGNING_SECRET']))],
    [1, secret('api_key_hex', random.chars(HEX, 32), random.pick(['DATADOG_API_KEY', 'ALGOLIA_ADMIN_API_KEY', 'TWILIO_AUTH_TOKEN']))],
  ]);
}

export function anySecret(random: Random): SecretDraw {
  return random.chance(0.6) ? vendorToken(random) : assignedSecret(random);
}

/** A database or broker URL with credentials in the userinfo; the planted value is `user:password`. */
export function connectionString(random: Random): { draw: Draw; url: string; envName: string } {
  const user = random.pick(['app_user', 'postgres', 'deploy', 'svc_billing', 'admin', 'etl']);
  const pass = urlPassword(random);
  const host = random.pick(['db.internal', 'prod-db-1.c9akciq32.eu-west-1.rds.amazonaws.com', 'cluster0.x7f2k.mongodb.net', 'redis-12345.c1.us-east-1-2.ec2.cloud.redislabs.com', 'mq.prod.svc.cluster.local']);
  const [subtype, url, envName] = random.weighted<[string, string, string]>([
    [4, ['postgres_url', `postgres://${user}:${pass}@${host}:5432/${random.pick(['app', 'orders', 'analytics'])}`, 'DATABASE_URL']],
    [2, ['mysql_url', `mysql://${user}:${pass}@${host}:3306/shop`, 'DATABASE_URL']],
    [2, ['mongodb_srv_url', `mongodb+srv://${user}:${pass}@${host}/app?retryWrites=true&w=majority`, 'MONGODB_URI']],
    [1, ['redis_url', `redis://${user}:${pass}@${host}:6379/0`, 'REDIS_URL']],
    [1, ['amqp_url', `amqp://${user}:${pass}@${host}:5672/%2F`, 'AMQP_URL']],
  ]);
  return { draw: { type: 'URL_CREDENTIALS', subtype, value: `${user}:${pass}` }, url, envName };
}

/** An AWS access key id and its secret, as pasted into a boto3 or SDK client constructor. */
export function awsKeyPair(random: Random): { keyId: SecretDraw; secretKey: SecretDraw } {
  return {
    keyId: secret('aws_access_key_id', `AKI${'A'}${random.chars(UPPER + '234567', 16)}`, 'AWS_ACCESS_KEY_ID'),
    secretKey: secret('aws_secret_access_key', `${random.chars(ALNUM, 19)}+${random.chars(ALNUM + '+/', 20)}`, 'AWS_SECRET_ACCESS_KEY'),
  };
}
