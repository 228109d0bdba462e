import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSecretDetector } from '../../src/pii/secrets/index.ts';
import { fakeToken, spansOf } from './helpers.ts';

const detector = createSecretDetector();
const upperDigits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function found(text: string): Array<{ subtype: string | undefined; value: string }> {
  return spansOf(detector, text).map((span) => ({ subtype: span.subtype, value: span.value }));
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('SECRET detector: vendor tokens', () => {
  const tokens: Array<[subtype: string, token: string]> = [
    ['aws_access_key_id', fakeToken('AKIA', 16, upperDigits)],
    ['aws_access_key_id', fakeToken('ASIA', 16, upperDigits, 3)],
    ['github_token', fakeToken('ghp_', 36)],
    ['github_token', fakeToken('gho_', 36, undefined, 11)],
    ['github_token', fakeToken('ghs_', 36, undefined, 12)],
    ['github_token', fakeToken('github_pat_', 22) + '_' + fakeToken('', 59, undefined, 5)],
    ['gitlab_token', fakeToken('glpat-', 20)],
    ['anthropic_api_key', fakeToken('sk-ant-api03-', 93)],
    ['openai_api_key', fakeToken('sk-', 48)],
    ['openai_api_key', fakeToken('sk-proj-', 120, undefined, 9)],
    ['google_api_key', fakeToken('AIza', 35)],
    ['huggingface_token', fakeToken('hf_', 34, letters)],
    ['stripe_key', fakeToken('sk_' + 'live_', 24)],
    ['stripe_key', fakeToken('rk_' + 'live_', 24, undefined, 4)],
    ['stripe_key', fakeToken('sk_' + 'test_', 24, undefined, 6)],
    ['slack_token', `xoxb-${fakeToken('', 11, '0123456789')}-${fakeToken('', 13, '0123456789', 2)}-${fakeToken('', 24)}`],
    ['slack_token', `xoxp-${fakeToken('', 11, '0123456789', 8)}-${fakeToken('', 24, undefined, 8)}`],
    ['slack_webhook', `https://hooks.slack.com/services/T${fakeToken('', 8, upperDigits)}/B${fakeToken('', 8, upperDigits, 2)}/${fakeToken('', 24)}`],
    ['npm_token', fakeToken('npm_', 36)],
    ['pypi_token', fakeToken('pypi-AgEIcHlwaS5vcmc', 150)],
    ['sendgrid_api_key', `${fakeToken('SG' + '.', 22, undefined, 13)}.${fakeToken('', 43, undefined, 14)}`],
  ];
  for (const [subtype, token] of tokens) {
    it(`finds ${subtype} (${token.slice(0, 8)}…)`, () => {
      assert.deepEqual(found(`use ${token} for the call`), [{ subtype, value: token }]);
      assert.deepEqual(found(`"${token}"`), [{ subtype, value: token }]);
    });
  }

  const negatives: Array<[reason: string, text: string]> = [
    ['AWS id one character short', fakeToken('AKIA', 15, upperDigits)],
    ['the AWS documentation sample id', 'AKIAIOSFODNN7' + 'EXAMPLE'],
    ['AWS id inside a longer word', fakeToken('XAKIA', 16, upperDigits)],
    ['GitHub prefix with a short body', fakeToken('ghp_', 20)],
    ['GitHub prefix glued to a word', fakeToken('myghp_', 36)],
    ['OpenAI-like CSS class', 'sk-fading-circle-animation-container-wrapper'],
    ['sk- slug without digits', 'sk-learn-based-classifier-pipeline-for-images'],
    ['Hugging Face-like identifier', 'hf_model_repository_name_for_the_project_x'],
    ['Hugging Face lower case only', fakeToken('hf_', 34, 'abcdefghijklmnopqrstuvwxyz')],
    ['Stripe publishable key', fakeToken('pk_' + 'live_', 24)],
    ['Slack-like word without digits', 'xoxb-not-a-real-token-at-all'],
    ['npm token one character short', fakeToken('npm_', 35)],
    ['pypi prefix alone', 'pypi-AgEIcHlwaS5vcmc'],
    ['Google key too short', fakeToken('AIza', 30)],
  ];
  for (const [reason, text] of negatives) {
    it(`ignores ${reason}`, () => assert.deepEqual(found(`x ${text} y`), []));
  }
});

describe('SECRET detector: JWT', () => {
  const header = base64url({ alg: 'HS256', typ: 'JWT' });
  const payload = base64url({ sub: '1234567890', name: 'Jane', iat: 1516239022 });
  const jwt = `${header}.${payload}.${fakeToken('', 43, letters + '0123456789-_')}`;

  it('finds a JWT whose header decodes to JSON with "alg"', () => {
    assert.deepEqual(found(`session ${jwt}.`), [{ subtype: 'jwt', value: jwt }]);
  });
  it('finds an unsigned JWT (alg none)', () => {
    const unsigned = `${base64url({ alg: 'none' })}.${payload}.`;
    assert.deepEqual(found(`t ${unsigned} `), [{ subtype: 'jwt', value: unsigned }]);
  });
  it('ignores three base64url parts whose header has no "alg"', () => {
    assert.deepEqual(found(`${base64url({ typ: 'JWT', kid: 'k' })}.${payload}.abcdefghijklmnop`), []);
  });
  it('ignores a header that is not JSON', () => {
    assert.deepEqual(found(`eyJub3QganNvbiBhdCBhbGw.${payload}.abcdefghijklmnop`), []);
  });
  it('ignores two parts only', () => {
    assert.deepEqual(found(`${header}.${payload}`), []);
  });
});

describe('SECRET detector: PEM private keys', () => {
  const body = Array.from({ length: 5 }, (_, line) => fakeToken('', 64, letters + '0123456789+/', line + 1)).join('\n');
  const labels = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'];
  for (const label of labels) {
    it(`finds a multi-line ${label} block`, () => {
      const pem = `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
      assert.deepEqual(found(`key:\n${pem}\nthanks`), [{ subtype: 'pem_private_key', value: pem }]);
    });
  }
  it('finds a key with JSON-escaped newlines', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\\n${body.replaceAll('\n', '\\n')}\\n-----END PRIVATE KEY-----`;
    assert.deepEqual(found(`"key": "${pem}"`), [{ subtype: 'pem_private_key', value: pem }]);
  });
  it('covers a truncated key up to the end of its base64 body', () => {
    const truncated = `-----BEGIN RSA PRIVATE KEY-----\n${body}`;
    assert.deepEqual(found(`${truncated}\n…[message cut]`), [{ subtype: 'pem_private_key', value: `${truncated}\n` }]);
  });
  it('ignores public keys and certificates', () => {
    assert.deepEqual(found(`-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`), []);
    assert.deepEqual(found(`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`), []);
  });
});
