import { looksRandom } from './entropy.ts';

/**
 * Credentials with a vendor prefix. `anchors` are literal substrings one of which must occur
 * before the (more expensive) pattern runs; most texts contain none of them. Every pattern starts
 * at a fixed prefix behind a lookbehind and has bounded repetition, so a failed attempt costs at
 * most a few hundred steps and matching stays linear in the text length.
 */
export interface VendorTokenRule {
  subtype: string;
  anchors: readonly string[];
  pattern: RegExp;
  /** Extra check for prefixes that also occur in ordinary identifiers (sk-, hf_, xox?-). */
  validate?: (token: string) => boolean;
}

const notAfterToken = String.raw`(?<![A-Za-z0-9_-])`;
const notBeforeToken = String.raw`(?![A-Za-z0-9_-])`;

function token(body: string): RegExp {
  return new RegExp(`${notAfterToken}${body}${notBeforeToken}`, 'g');
}

export const vendorTokenRules: readonly VendorTokenRule[] = [
  // Access key ids are 20 characters, upper case and digits; AKIA long-lived, ASIA temporary (STS).
  {
    subtype: 'aws_access_key_id',
    anchors: ['AKIA', 'ASIA'],
    pattern: token('(?:AKIA|ASIA)[A-Z0-9]{16}'),
    // AWS documentation's sample id (AKIAIOSFODNN7EXAMPLE) is everywhere in code and answers.
    validate: (value) => !value.endsWith('EXAMPLE'),
  },
  {
    subtype: 'github_token',
    anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: token('gh[pousr]_[A-Za-z0-9]{36,251}'),
  },
  { subtype: 'github_token', anchors: ['github_pat_'], pattern: token('github_pat_[A-Za-z0-9_]{50,251}') },
  { subtype: 'gitlab_token', anchors: ['glpat-'], pattern: token('glpat-[A-Za-z0-9_\\-]{20,255}') },
  // Before OpenAI: 'sk-ant-' also starts with 'sk-'.
  { subtype: 'anthropic_api_key', anchors: ['sk-ant-'], pattern: token('sk-ant-[A-Za-z0-9_\\-]{32,255}') },
  {
    subtype: 'openai_api_key',
    anchors: ['sk-'],
    pattern: token('sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\\-]{20,255}'),
    // 'sk-' also prefixes CSS classes and slugs ('sk-fading-circle-animation-container').
    validate: (value) => looksRandom(value.slice(3)),
  },
  { subtype: 'google_api_key', anchors: ['AIza'], pattern: token('AIza[0-9A-Za-z_\\-]{35}') },
  {
    subtype: 'huggingface_token',
    anchors: ['hf_'],
    pattern: token('hf_[A-Za-z0-9]{34,64}'),
    // Hugging Face tokens are letters only, mixed case; an identifier like hf_model_… has '_'.
    validate: (value) => /[a-z]/.test(value.slice(3)) && /[A-Z]/.test(value.slice(3)),
  },
  // Secret and restricted keys, live and test mode (test keys still read test-mode customer data).
  // Publishable keys (pk_live_) are not matched: they are public by design, shipped in web pages.
  {
    subtype: 'stripe_key',
    anchors: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'],
    pattern: token('[sr]k_(?:live|test)_[A-Za-z0-9]{16,247}'),
  },
  {
    subtype: 'slack_token',
    anchors: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-'],
    pattern: token('xox[abprs]-[A-Za-z0-9\\-]{10,255}'),
    validate: (value) => /\d/.test(value.slice(5)),
  },
  // The whole webhook URL is the credential: anyone holding it can post to the channel.
  {
    subtype: 'slack_webhook',
    anchors: ['hooks.slack.com/'],
    pattern: /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,255}/g,
  },
  // SendGrid: 'SG.', a 22-character key id, '.', a 43-character secret (base64url).
  { subtype: 'sendgrid_api_key', anchors: ['SG.'], pattern: token('SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}') },
  { subtype: 'npm_token', anchors: ['npm_'], pattern: token('npm_[A-Za-z0-9]{36}') },
  // PyPI API tokens are macaroons whose first bytes always base64-encode to this prefix.
  { subtype: 'pypi_token', anchors: ['pypi-AgEIcHlwaS5vcmc'], pattern: token('pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\\-]{50,1000}') },
];
