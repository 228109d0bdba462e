import { isWordCode } from '../text-profile.ts';
import type { Span } from '../types.ts';
import { characterClassCount, looksRandom, shannonEntropy } from './entropy.ts';

/*
 * Values assigned to a credential-sounding name in .env files, YAML, JSON, code and headers:
 *   api_key = "…"   password: …   SECRET_TOKEN=…   "client_secret": "…"   X-Api-Key: …
 *   token => '…'    if (pwd === "…")   aws_secret_access_key = …   my password is …
 * The name is found with one case-insensitive regex, then a small bounded scanner reads the
 * operator and the value, so the cost per keyword is constant and the whole pass linear. Only the
 * value is redacted: the name is useful context for training.
 */
const keywordPattern = /passw(?:or)?d|passphrase|pwd|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|credentials?|auth[_.-]?key/gi;
const passwordKeyword = /^(?:passw|passphrase|pwd)/i;
const awsSecretName = /secret[_.-]?access[_.-]?key/i;
const bearerPattern = /\bBearer[ \t]+([A-Za-z0-9._~+/-]{16,2048}=*)/g;
const basicPattern = /\bBasic[ \t]+([A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/g;

const maxNameLength = 64; // how far before the keyword a name may start ('aws_secret_access_key')
const maxNameTail = 40; // 'secret' in 'client_secret_for_the_billing_service'
const maxGap = 10; // spaces around the operator
const maxValueLength = 256;

export function findKeywordAssignedSecrets(text: string, out: Span[]): void {
  findAssignments(text, out);
  if (text.includes('Bearer')) findHeaderCredentials(bearerPattern, 'bearer_token', looksRandom, text, out);
  if (text.includes('Basic')) findHeaderCredentials(basicPattern, 'basic_auth', decodesToUserAndPassword, text, out);
}

function findAssignments(text: string, out: Span[]): void {
  keywordPattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = keywordPattern.exec(text)) !== null) {
    const value = assignedValue(text, match.index + match[0].length);
    if (value === undefined) continue;
    keywordPattern.lastIndex = Math.max(keywordPattern.lastIndex, value.end); // SECRET_TOKEN=…: one finding
    const isPassword = passwordKeyword.test(match[0]);
    if (!isPlausibleSecret(value.text, isPassword, value.quoted)) continue;
    const name = text.slice(Math.max(0, match.index - maxNameLength), value.nameEnd);
    const subtype = awsSecretName.test(name) ? 'aws_secret_access_key' : isPassword ? 'password' : 'assigned_secret';
    out.push({ type: 'SECRET', subtype, start: value.start, end: value.end, value: value.text });
  }
}

function findHeaderCredentials(pattern: RegExp, subtype: string, accept: (credential: string) => boolean, text: string, out: Span[]): void {
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const credential = match[1] ?? '';
    if (!accept(credential)) continue;
    const start = match.index + match[0].length - credential.length;
    out.push({ type: 'SECRET', subtype, start, end: start + credential.length, value: credential });
  }
}

function decodesToUserAndPassword(credential: string): boolean {
  return Buffer.from(credential, 'base64').toString('latin1').includes(':');
}

interface AssignedValue {
  nameEnd: number;
  start: number;
  end: number;
  text: string;
  quoted: boolean;
}

/** Reads `[name tail]["'] <op> ["']value["']` after a keyword; undefined when it is not an assignment. */
function assignedValue(text: string, keywordEnd: number): AssignedValue | undefined {
  let i = keywordEnd;
  const nameLimit = Math.min(text.length, i + maxNameTail);
  while (i < nameLimit && (isWordCode(text.charCodeAt(i)) || text[i] === '-' || text[i] === '.')) i++;
  const nameEnd = i;
  if (text[i] === '\\') i++; // a JSON document inside a JSON string: \"api_key\": \"…\"
  if (text[i] === '"' || text[i] === "'" || text[i] === '`' || text[i] === ']') i++;
  let value = valueAfterOperator(text, i);
  // `password: str = "…"` / `token: string = '…'`: skip a type annotation once.
  if (value !== undefined && !value.quoted && /^[A-Za-z_][\w.|[\]]*$/.test(value.text)) {
    value = valueAfterOperator(text, value.end, /^(?:={1,3})/) ?? value;
  }
  return value === undefined ? undefined : { nameEnd, ...value };
}

function valueAfterOperator(text: string, from: number, operators = /^(?::=|=>|={1,3}|:|is:?(?=[ \t]))/): Omit<AssignedValue, 'nameEnd'> | undefined {
  let i = skipSpaces(text, from);
  const operator = operators.exec(text.slice(i, i + 4));
  if (operator === null) return undefined;
  i = skipSpaces(text, i + operator[0].length);
  if (text[i] === '\\') i++;
  const quote = text[i];
  if (quote === '"' || quote === "'" || quote === '`') {
    const start = i + 1;
    let end = start;
    const limit = Math.min(text.length, start + maxValueLength + 1);
    while (end < limit && text[end] !== quote && text[end] !== '\n' && !(text[end] === '\\' && text[end + 1] === quote)) end++;
    if (end === limit || text[end] === '\n') return undefined; // unterminated: not a literal
    return { start, end, text: text.slice(start, end), quoted: true };
  }
  const start = i;
  let end = start;
  const limit = Math.min(text.length, start + maxValueLength + 1);
  while (end < limit && !isUnquotedValueTerminator(text.charCodeAt(end))) end++;
  if (end === limit && end < text.length) return undefined; // longer than any credential
  while (end > start && text[end - 1] === '.') end--; // 'the password is: x7Rk2pQ9.' ends a sentence
  return end > start ? { start, end, text: text.slice(start, end), quoted: false } : undefined;
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  const limit = Math.min(text.length, from + maxGap);
  while (i < limit && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

/** Whitespace and the punctuation that ends a value in JSON, YAML flow style and code. */
function isUnquotedValueTerminator(code: number): boolean {
  // whitespace/controls , ; " ' ` ) ] } < >
  return code <= 32 || code === 44 || code === 59 || code === 34 || code === 39 || code === 96 || code === 41 || code === 93 || code === 125 || code === 60 || code === 62;
}

// References, templates and stand-ins that show the shape of a config but hold no secret.
const referencePattern = /^(?:\$\{[^}]*\}?|\$\(|\$[A-Za-z_]\w*|\{\{.*\}\}|%\([^)]*\)s|%[sd]|<[^>]*>?|\[[^\]]*\]|\*+|x+|X+|\.{3,}|#+)$/;
const placeholderWords = /your|example|placeholder|changeme|change_me|redacted|dummy|sample|xxxx|\*\*\*|<|>|\.\.\.|todo|fixme|here$/i;
const nonSecretLiterals = /^(?:null|none|nil|undefined|true|false|yes|no|on|off|required|optional|string|str|bool|int|number|secret|password|token)$/i;
const urlLike = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//; // URL_CREDENTIALS owns credentials in URLs
const numberOrTimestamp = /^(?:[\d.,_+eE-]+|\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?(?:Z|[+-]\d{2}:?\d{2})?)$/;
// Unquoted code on the right of '=': calls, indexing, member access, variables, paths.
const codeCharacters = /[([{]/;
const memberAccess = /^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+$/;
const bareIdentifier = /^[A-Za-z_][A-Za-z_]*$/;
const pathLike = /^(?:~|\.{1,2})?\/[\w./-]*$/;
// Names rather than secrets: header and env names, kebab or snake constants ('x-aws-ec2-metadata-token',
// 'X-Amz-Credential', 'AWS_SHARED_CREDENTIALS_FILE').
const wordsJoined = /^[A-Za-z][A-Za-z0-9]{0,11}(?:[-_.][A-Za-z0-9]{1,12})+$/;
const screamingSnake = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/**
 * The entropy gate. A password value must be 8+ characters with two character classes and some
 * variety (so 'password', 'changeme', 'hunter2' pass through). Other names need a 12+ character
 * value that looks machine-made (letters and digits, or three classes with high entropy) and is
 * not a joined-words name. Unquoted values that look like code, paths, URLs, numbers and
 * timestamps are not secrets.
 */
function isPlausibleSecret(value: string, isPassword: boolean, quoted: boolean): boolean {
  if (referencePattern.test(value) || placeholderWords.test(value) || nonSecretLiterals.test(value)) return false;
  if (value.includes('${') || urlLike.test(value) || numberOrTimestamp.test(value) || screamingSnake.test(value)) return false;
  if (pathLike.test(value)) return false;
  if (!quoted && (codeCharacters.test(value) || memberAccess.test(value) || bareIdentifier.test(value))) return false;
  const classes = characterClassCount(value);
  const entropy = shannonEntropy(value);
  // A passphrase has a few words; five or more is a sentence ('Password used to generate key').
  if (isPassword) return value.length >= 8 && classes >= 2 && entropy >= 2.5 && value.split(/\s+/).length < 5;
  // Tokens and keys never hold spaces; a quoted value with spaces is a message or code.
  if (value.length < 12 || entropy < 3 || wordsJoined.test(value) || /\s/.test(value)) return false;
  // Unquoted, an identifier with one digit is a name in code (CreateOAuth2TokenCommand); a random
  // token of this length almost always holds two or more digits.
  const digits = value.replace(/\D/g, '').length;
  if (!quoted && digits < 2) return false;
  return (digits > 0 && /[A-Za-z]/.test(value)) || (classes >= 3 && entropy >= 3.5);
}
