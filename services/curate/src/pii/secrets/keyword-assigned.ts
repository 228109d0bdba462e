import { isWordCode } from '../text-profile.ts';
import type { Span } from '../types.ts';
import { characterClassCount, looksRandom, shannonEntropy } from './entropy.ts';
import type { SecretTriggers } from './triggers.ts';

/*
 * Values assigned to a credential-sounding name in .env files, YAML, JSON, code and headers:
 *   api_key = "…"   password: …   SECRET_TOKEN=…   "client_secret": "…"   X-Api-Key: …
 *   token => '…'    if (pwd === "…")   aws_secret_access_key = …   my password is …
 * The name is found with one case-insensitive regex, then a small bounded scanner reads the
 * operator and the value, so the cost per keyword is constant and the whole pass linear. Only the
 * value is redacted: the name is useful context for training.
 */
const passwordKeyword = /^(?:passw|passphrase|pwd)/i;
const awsSecretName = /secret[_.-]?access[_.-]?key/i;
const bearerPattern = /\bBearer[ \t]+([A-Za-z0-9._~+/-]{16,2048}=*)/g;
const basicPattern = /\bBasic[ \t]+([A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/g;

// Pagination cursors: 'page', 'continuation', 'pagination', 'next', 'sync' or 'cursor' right before 'token'.
const paginationWordBefore = /(?:page|continuation|pagination|next|sync|cursor)[_.-]?$/i;
// The `aws configure` prompt: 'AWS Secret Access Key [None]: …' (or '[****************ABCD]').
const awsConfigurePattern = /\bSecret Access Key \[[^\]\n]{0,64}\]:[ \t]*([A-Za-z0-9+/]{40})(?![A-Za-z0-9+/=])/g;

const assignmentOperator = /^(?::=|=>|={1,3}|:|is:?(?=[ \t]))/;
const annotatedAssignment = /^(?:={1,3})/; // after a type annotation: 'password: str = "…"'
const maxNameLength = 64; // how far before the keyword a name may start ('aws_secret_access_key')
const maxNameTail = 40; // 'secret' in 'client_secret_for_the_billing_service'
const maxGap = 10; // spaces around the operator
const maxValueLength = 256;

export function findKeywordAssignedSecrets(text: string, triggers: SecretTriggers, out: Span[]): void {
  findAssignments(text, triggers, out);
  // The trigger scan tells whether any of the rules below can match (one chat text in ten); every
  // password flag holds '-p' (-p, --password) or '-u' (curl -u, --user).
  if (!triggers.credentialHint) return;
  if (text.includes('Bearer')) findHeaderCredentials(bearerPattern, 'bearer_token', looksRandom, text, out);
  if (text.includes('Basic')) findHeaderCredentials(basicPattern, 'basic_auth', decodesToUserAndPassword, text, out);
  if (text.includes('Key [')) findHeaderCredentials(awsConfigurePattern, 'aws_secret_access_key', isAwsSecretKeyShape, text, out);
  if (text.includes('-p') || text.includes('-u')) findCliPasswords(text, out);
}

/**
 * The keywords come from the trigger scan, in text order. A keyword inside a value already read
 * is skipped (SECRET_TOKEN=…: one finding); no keyword straddles the end of a value (a quote, a
 * terminator or the text end is there), so the keywords after it are those a scan resumed there
 * would find.
 */
function findAssignments(text: string, triggers: SecretTriggers, out: Span[]): void {
  let skipUntil = 0;
  for (let k = 0; k < triggers.keywordStarts.length; k++) {
    const keywordStart = triggers.keywordStarts[k] as number;
    const keywordEnd = triggers.keywordEnds[k] as number;
    if (keywordStart < skipUntil) continue;
    const value = assignedValue(text, keywordEnd);
    if (value === undefined) continue;
    skipUntil = value.end;
    const keyword = text.slice(keywordStart, keywordEnd);
    if (value.nameEnd === keywordEnd && isPaginationTokenName(text, keywordStart, keyword)) continue;
    const isPassword = passwordKeyword.test(keyword);
    const name = text.slice(Math.max(0, keywordStart - maxNameLength), value.nameEnd);
    const isAwsSecret = awsSecretName.test(name);
    if (!isPlausibleSecret(value.text, isPassword, value.quoted) && !(isAwsSecret && isAwsSecretKeyShape(value.text) && !placeholderWords.test(value.text))) continue;
    const subtype = isAwsSecret ? 'aws_secret_access_key' : isPassword ? 'password' : 'assigned_secret';
    out.push({ type: 'SECRET', subtype, start: value.start, end: value.end, value: value.text });
  }
}

/**
 * `next_page_token`, `nextPageToken`, `NextContinuationToken`, `NextToken`, `sync_token`: opaque
 * cursors an API hands out to fetch the next page. Long and random, but they unlock nothing.
 */
function isPaginationTokenName(text: string, keywordStart: number, keyword: string): boolean {
  if (keyword.length !== 5 || keyword.toLowerCase() !== 'token') return false;
  return paginationWordBefore.test(text.slice(Math.max(0, keywordStart - 16), keywordStart));
}

// Commands that take a password as a flag: `docker login -p …`, `mysql -p…`, `curl -u user:…`.
const cliCommandPattern = /(?<![\w-])(?:(?:docker|podman|helm registry) login|mysql(?:dump|admin)?|mariadb|curl)(?![\w-])/g;
const maxCommandLength = 512;

interface Argument {
  start: number;
  end: number;
}

/**
 * Passwords passed on a command line: `docker login -u deploy -p …` (or `--password …`,
 * `--password=…`), `mysql -u root -p…` (glued: a bare `-p` makes mysql prompt), `--password=…`,
 * and the password half of `curl -u user:…`. Shell expansions (`$PASS`, `"$(cat f)"`) and the
 * usual placeholders are left alone, and the value must pass the password gate.
 */
function findCliPasswords(text: string, out: Span[]): void {
  cliCommandPattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = cliCommandPattern.exec(text)) !== null) {
    const command = match[0];
    const args = commandArguments(text, match.index + command.length);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as Argument;
      const flag = text.slice(arg.start, arg.end);
      let value: Argument | undefined;
      if (command.endsWith('login')) {
        const next = args[i + 1];
        if ((flag === '-p' || flag === '--password') && next !== undefined && text[next.start] !== '-') value = next;
        else if (flag.startsWith('--password=')) value = { start: arg.start + 11, end: arg.end };
      } else if (command === 'curl') {
        const raw = flag === '-u' || flag === '--user' ? args[i + 1] : flag.startsWith('--user=') ? { start: arg.start + 7, end: arg.end } : undefined;
        const userinfo = raw === undefined ? undefined : unquoted(text, raw);
        const colon = userinfo === undefined ? -1 : text.slice(userinfo.start, userinfo.end).indexOf(':');
        if (userinfo !== undefined && colon !== -1) value = { start: userinfo.start + colon + 1, end: userinfo.end };
      } else if (flag.startsWith('--password=')) {
        value = { start: arg.start + 11, end: arg.end };
      } else if (flag.startsWith('-p') && flag.length > 2) {
        value = { start: arg.start + 2, end: arg.end };
      }
      if (value !== undefined) pushCliPassword(text, unquoted(text, value), out);
    }
    // Resume after the command, so every character is read by one command at most.
    cliCommandPattern.lastIndex = Math.max(cliCommandPattern.lastIndex, args[args.length - 1]?.end ?? 0);
  }
}

function pushCliPassword(text: string, value: Argument, out: Span[]): void {
  const password = text.slice(value.start, value.end);
  if (password.startsWith('$') || password.startsWith('<')) return; // shell expansion, placeholder
  // An argument is a literal, never code: judge it as a quoted value.
  if (!isPlausibleSecret(password, true, true)) return;
  out.push({ type: 'SECRET', subtype: 'cli_password', start: value.start, end: value.end, value: password });
}

/** `'…'` or `"…"` around a whole argument (or its value part) is shell quoting, not part of it. */
function unquoted(text: string, value: Argument): Argument {
  const first = text[value.start];
  if (value.end - value.start >= 2 && (first === '"' || first === "'") && text[value.end - 1] === first) {
    return { start: value.start + 1, end: value.end - 1 };
  }
  return value;
}

/**
 * The arguments after a command name, up to the end of the command: a newline (unless escaped with
 * '\\'), ';', '|', '&' or a backtick between arguments. Quoted parts stay inside their argument.
 */
function commandArguments(text: string, from: number): Argument[] {
  const args: Argument[] = [];
  const limit = Math.min(text.length, from + maxCommandLength);
  let i = from;
  while (i < limit) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 9 || code === 13) {
      i++;
      continue;
    }
    if (code === 92 && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3; // line continuation
      continue;
    }
    if (code === 10 || code === 59 || code === 124 || code === 38 || code === 96) break; // \n ; | & `
    const start = i;
    while (i < limit) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) break;
      if (c === 34 || c === 39) {
        let close = i + 1;
        while (close < limit && text.charCodeAt(close) !== c && text.charCodeAt(close) !== 10) close++;
        if (close === limit || text.charCodeAt(close) !== c) return args; // unterminated on this line
        i = close + 1;
        continue;
      }
      i++;
    }
    args.push({ start, end: i });
  }
  return args;
}

/** Forty base64 characters: the shape of every AWS secret access key (some start with '/'). */
function isAwsSecretKeyShape(value: string): boolean {
  return value.length === 40 && /^[A-Za-z0-9+/]{40}$/.test(value);
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
    value = valueAfterOperator(text, value.end, annotatedAssignment) ?? value;
  }
  return value === undefined ? undefined : { nameEnd, ...value };
}

function valueAfterOperator(text: string, from: number, operators = assignmentOperator): Omit<AssignedValue, 'nameEnd'> | undefined {
  let i = skipSpaces(text, from);
  const first = text.charCodeAt(i);
  if (first !== 58 && first !== 61 && first !== 105) return undefined; // every operator starts with ':', '=' or 'i'
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
const uuidShape = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
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
  // A UUID splits into short hex 'words', but under a credential name it is a key (Heroku, New Relic).
  if (value.length < 12 || entropy < 3 || (wordsJoined.test(value) && !uuidShape.test(value)) || /\s/.test(value)) return false;
  // Unquoted, an identifier with one digit is a name in code (CreateOAuth2TokenCommand); a random
  // token of this length almost always holds two or more digits.
  const digits = value.replace(/\D/g, '').length;
  if (!quoted && digits < 2) return false;
  return (digits > 0 && /[A-Za-z]/.test(value)) || (classes >= 3 && entropy >= 3.5);
}
