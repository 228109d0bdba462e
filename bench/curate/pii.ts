/**
 * bench/curate/pii: PII scan throughput on one core with every detector on (mask), against a
 * naive scanner in the same run: every detector's regex run over the whole text in turn, then
 * the validators (Luhn, mod-97, SSA ranges, entropy) on the matches, without prefilters.
 *
 *   node bench/curate/pii.ts [--mb 32] [--rounds 3]
 *
 * Three corpora of about --mb MB each, from the planted-PII corpus generator
 * (services/curate/test/pii-corpus; three texts in four carry 1-3 PII values, all carry hard
 * negatives such as order numbers, prices, timestamps and versions) and from the prose generator:
 *   chat         support chats and coding chats with pasted code and config
 *   tool output  log lines, stack traces, .env files, JSON tool results, SQL results
 *   prose        plain chat prose, no digits or '@' (bench/curate/chat-texts.ts)
 */
import { isIPv6 } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createRedactor, defaultPiiPolicy } from '../../services/curate/src/index.ts';
import { buildPiiCorpus, type CorpusOptions } from '../../services/curate/test/pii-corpus/corpus.ts';
import { createChatTextGenerator } from './chat-texts.ts';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '32' }, rounds: { type: 'string', default: '3' } } });
const targetBytes = Number(values.mb) * 1e6;
const rounds = Number(values.rounds);
const WARM_UP_BYTES = 4e6;
const WARM_UP_PASSES = 3;

// --- The naive scanner ----------------------------------------------------------------------------
interface NaiveSpan { type: string; start: number; end: number }
interface NaiveRule { type: string; pattern: RegExp; group?: number; accept?: (value: string) => boolean }

const digitsOf = (value: string): string => value.replace(/\D/g, '');
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}
const cardPrefix = /^(?:4|5[1-5]|2[2-7]|3[47]|6011|65|35|36|30[0-5]|62)/;
function mod97(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) remainder = char >= 'A' ? (remainder * 100 + char.charCodeAt(0) - 55) % 97 : (remainder * 10 + char.charCodeAt(0) - 48) % 97;
  return remainder === 1;
}
function plausibleSsn(value: string): boolean {
  const digits = digitsOf(value);
  const area = Number(digits.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}
function publicIpv4(value: string): boolean {
  const [a = 0, b = 0] = value.split('.').map(Number);
  return !(a === 0 || a === 10 || a === 127 || a >= 224 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127));
}
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits;
}
const digitCount = (min: number, max: number) => (value: string): boolean => {
  const count = digitsOf(value).length;
  return count >= min && count <= max;
};

/** One global regex per detector rule, roughly the redactor's semantics, in the obvious spelling. */
const NAIVE_RULES: readonly NaiveRule[] = [
  { type: 'EMAIL', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  { type: 'PHONE', pattern: /\+[1-9](?:[ .-]?\(\d{1,4}\)|[ .-]?\d){6,16}/g, accept: digitCount(7, 15) },
  { type: 'PHONE', pattern: /\b(?:1[ .-])?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}\b/g },
  { type: 'PHONE', pattern: /\b0[1-9]\d{0,4}[ .-]\d{2,8}(?:[ .-]\d{2,8}){0,3}\b/g, accept: digitCount(9, 12) },
  { type: 'CREDIT_CARD', pattern: /\b(?:\d[ -]?){12,18}\d\b/g, accept: (value) => luhn(digitsOf(value)) && cardPrefix.test(digitsOf(value)) },
  { type: 'IBAN', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, accept: (value) => mod97(value.replaceAll(' ', '')) },
  { type: 'US_SSN', pattern: /\b\d{3}([ -])\d{2}\1\d{4}\b/g, accept: plausibleSsn },
  { type: 'US_SSN', pattern: /\b(?:ssn|social security)\D{0,40}?(\d{9})\b/gi, group: 1, accept: plausibleSsn },
  { type: 'IP_ADDRESS', pattern: /\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b/g, accept: publicIpv4 },
  { type: 'IP_ADDRESS', pattern: /(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]{1,15}/g, accept: (value) => isIPv6(value) && !/^(?:fe80|::1$|fc|fd)/i.test(value) },
  { type: 'URL_CREDENTIALS', pattern: /[A-Za-z][A-Za-z0-9+.-]*:\/\/([^\s/?#@:"'<>]*:[^\s/?#"'<>]+)@/g, group: 1 },
  { type: 'SECRET', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g },
  { type: 'SECRET', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,251}\b/g },
  { type: 'SECRET', pattern: /\bgithub_pat_\w{50,251}\b/g },
  { type: 'SECRET', pattern: /\bglpat-[\w-]{20,255}/g },
  { type: 'SECRET', pattern: /\bsk-ant-[\w-]{32,255}/g },
  { type: 'SECRET', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[\w-]{20,255}/g, accept: (value) => /\d/.test(value) && entropy(value) >= 3 },
  { type: 'SECRET', pattern: /\bAIza[\w-]{35}\b/g },
  { type: 'SECRET', pattern: /\bhf_[A-Za-z]{34,64}\b/g },
  { type: 'SECRET', pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,247}\b/g },
  { type: 'SECRET', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,255}/g },
  { type: 'SECRET', pattern: /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[\w/-]{20,255}/g },
  { type: 'SECRET', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { type: 'SECRET', pattern: /\bpypi-AgEIcHlwaS5vcmc[\w-]{50,1000}/g },
  { type: 'SECRET', pattern: /\beyJ[\w-]{8,}\.[\w-]{2,}\.[\w-]*/g },
  { type: 'SECRET', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY( BLOCK)?-----/g },
  {
    type: 'SECRET',
    pattern: /(?:passw(?:or)?d|passphrase|pwd|secret|token|api[_.-]?key|access[_.-]?key|credentials?)[\w.-]*["'`]?\s*(?::=|=>|={1,3}|:)\s*["'`]?([^\s"'`,;)}\]]{8,256})/gi,
    group: 1,
    accept: (value) => entropy(value) >= 3 && !/^(?:\$\{|your|example|<)/i.test(value),
  },
  { type: 'SECRET', pattern: /\bBearer[ \t]+([\w.~+/-]{16,2048}=*)/g, group: 1 },
  { type: 'SECRET', pattern: /\bBasic[ \t]+([A-Za-z0-9+/]{8,1024}={0,2})/g, group: 1 },
];

function naiveRedact(text: string): { text: string; findings: number } {
  const spans: NaiveSpan[] = [];
  for (const rule of NAIVE_RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const value = match[rule.group ?? 0];
      if (value === undefined || (rule.accept !== undefined && !rule.accept(value))) continue;
      const start = match.index + (rule.group === undefined ? 0 : match[0].indexOf(value));
      spans.push({ type: rule.type, start, end: start + value.length });
    }
  }
  if (spans.length === 0) return { text, findings: 0 };
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let redacted = '';
  let copiedUpTo = 0;
  let findings = 0;
  for (const span of spans) {
    if (span.start < copiedUpTo) continue; // overlaps a longer or earlier span
    redacted += `${text.slice(copiedUpTo, span.start)}<${span.type}>`;
    copiedUpTo = span.end;
    findings++;
  }
  return { text: redacted + text.slice(copiedUpTo), findings };
}

// --- Corpora -------------------------------------------------------------------------------------
function untilBytes(next: (i: number) => string): { texts: string[]; bytes: number } {
  const texts: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < targetBytes; i++) {
    const text = next(i);
    texts.push(text);
    bytes += Buffer.byteLength(text);
  }
  return { texts, bytes };
}

/** Batches of 2,000 texts with distinct seeds, so the corpus holds no repeated text. */
function plantedTexts(kindWeights: NonNullable<CorpusOptions['kindWeights']>, seed: number): { texts: string[]; bytes: number } {
  const batchSize = 2000;
  let batch: string[] = [];
  return untilBytes((i) => {
    if (i % batchSize === 0) batch = buildPiiCorpus({ seed: seed + i / batchSize, size: batchSize, kindWeights }).map((item) => item.text);
    return batch[i % batchSize] ?? '';
  });
}

const prose = createChatTextGenerator(7);
const corpora: ReadonlyArray<readonly [string, { texts: string[]; bytes: number }]> = [
  ['chat', plantedTexts({ support_chat: 30, coding_chat: 20 }, 1000)],
  ['tool output', plantedTexts({ env_file: 10, log_lines: 15, stack_trace: 8, json_tool_result: 12, sql_result: 5 }, 5000)],
  ['prose', untilBytes(() => prose.text())],
];

// --- Timing --------------------------------------------------------------------------------------
type Scanner = (text: string) => number;
const redactor = createRedactor(defaultPiiPolicy(), { pseudonymKey: 'bench-pseudonym-key-0123456789ab' });
const scanners: ReadonlyArray<readonly [string, Scanner]> = [
  ['Sluice redactor (all detectors, mask)', (text) => redactor.redactText(text).spans.length],
  ['naive: every detector regex over the whole text in turn, then validators', (text) => naiveRedact(text).findings],
];

function pass(scan: Scanner, texts: readonly string[], limitBytes = Infinity): { seconds: number; findings: number } {
  let findings = 0;
  let bytes = 0;
  const started = performance.now();
  for (const text of texts) {
    findings += scan(text);
    bytes += text.length;
    if (bytes >= limitBytes) break;
  }
  return { seconds: (performance.now() - started) / 1000, findings };
}

const median = (numbers: number[]): number => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? 0;

console.log(`\nPII scan, one core: ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log(`Warm-up: each scanner runs ${WARM_UP_PASSES}× over the first ${WARM_UP_BYTES / 1e6} MB of each corpus before timing, so both are measured JIT-optimised;`);
console.log(`then ${rounds} timed rounds over the whole corpus, scanners alternating; MB/s of the median and of the fastest round`);
console.log('(other processes on the machine slow single rounds down). MB = 10^6 bytes of UTF-8.\n');
console.log('| Corpus | Scanner | MB | Findings | MB/s median (best) | Rounds (s) | vs naive (median) |');
console.log('|---|---|---:|---:|---:|---|---:|');
for (const [corpusName, corpus] of corpora) {
  for (const [, scan] of scanners) for (let i = 0; i < WARM_UP_PASSES; i++) pass(scan, corpus.texts, WARM_UP_BYTES);
  const seconds = scanners.map((): number[] => []);
  const findings = scanners.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    scanners.forEach(([, scan], i) => {
      const result = pass(scan, corpus.texts);
      seconds[i]?.push(result.seconds);
      findings[i] = result.findings;
    });
  }
  const rates = seconds.map((runs) => corpus.bytes / 1e6 / median(runs));
  const bestRates = seconds.map((runs) => corpus.bytes / 1e6 / Math.min(...runs));
  const naiveRate = rates[rates.length - 1] ?? 1;
  scanners.forEach(([name], i) => {
    const rate = rates[i] ?? 0;
    const runs = (seconds[i] ?? []).map((value) => value.toFixed(2)).join(', ');
    console.log(`| ${corpusName} (${corpus.texts.length.toLocaleString('en-US')} texts) | ${name} | ${(corpus.bytes / 1e6).toFixed(1)} | ${findings[i]?.toLocaleString('en-US')} | ${rate.toFixed(1)} (${(bestRates[i] ?? 0).toFixed(1)}) | ${runs} | ${(rate / naiveRate).toFixed(1)}× |`);
  });
}
