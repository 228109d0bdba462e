/**
 * Prints the planted-PII corpus scores as markdown (the tables in docs/pii-quality.md).
 *
 *   node services/curate/test/pii-corpus/report.ts [--seed 2026] [--size 2000] [--examples 3]
 *
 * `--examples n` also prints up to n excerpts per miss shape and per false-positive cause. The
 * values are synthetic, but do not paste SECRET excerpts into committed files: they are shaped
 * like live tokens on purpose.
 */
import { parseArgs } from 'node:util';
import { createRedactor, defaultPiiPolicy } from '../../src/index.ts';
import { buildPiiCorpus, DEFAULT_CORPUS_SEED, type CorpusText } from './corpus.ts';
import { scoreCorpus, type CorpusScore, type MissOrFalsePositive } from './score.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(DEFAULT_CORPUS_SEED) },
    size: { type: 'string', default: '2000' },
    examples: { type: 'string', default: '0' },
  },
});

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;
const isNumeric = (cell: string | number | undefined): boolean => typeof cell === 'number' || /^[\d.]+ %$/.test(cell ?? '');

function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const align = header.map((_, column) => (rows.length > 0 && rows.every((row) => isNumeric(row[column])) ? ' ---: ' : ' --- '));
  return [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function corpusSection(texts: readonly CorpusText[], score: CorpusScore, seed: number): string {
  const kinds = new Map<string, { texts: number; planted: number }>();
  for (const item of texts) {
    const entry = kinds.get(item.kind) ?? { texts: 0, planted: 0 };
    entry.texts++;
    entry.planted += item.planted.length;
    kinds.set(item.kind, entry);
  }
  const negatives = texts.reduce((sum, item) => sum + item.negatives.length, 0);
  return [
    `Corpus: seed ${seed}, ${score.texts} texts, ${(score.bytes / 1024).toFixed(0)} KiB, ${score.negativeOnlyTexts} of them hard-negative only; ` +
      `${score.byType.reduce((sum, type) => sum + type.planted, 0)} planted values, ${negatives} hard negatives.`,
    '',
    table(['Kind', 'Texts', 'Planted values'], [...kinds].sort((a, b) => b[1].texts - a[1].texts).map(([kind, entry]) => [kind, entry.texts, entry.planted])),
  ].join('\n');
}

function typeSection(score: CorpusScore): string {
  return table(
    ['Type', 'Planted', 'Found', 'Recall', 'Detections', 'False positives', 'Precision'],
    score.byType.map((type) => [type.type, type.planted, type.found, percent(type.recall), type.detections, type.falsePositives, percent(type.precision)]),
  );
}

function subtypeSection(score: CorpusScore): string {
  const partial = score.bySubtype.filter((entry) => entry.found < entry.planted);
  const complete = score.bySubtype.length - partial.length;
  return [
    table(['Type', 'Planted shape', 'Planted', 'Found', 'Recall'], partial.map((entry) => [entry.type, `\`${entry.subtype}\``, entry.planted, entry.found, percent(entry.found / entry.planted)])),
    '',
    `The other ${complete} planted shapes were all found.`,
  ].join('\n');
}

function falsePositiveSection(score: CorpusScore): string {
  const negativeOnly = Object.entries(score.negativeOnlyFindings).map(([type, count]) => `${type} ${count}`);
  return [
    table(['Type', 'What it hit', 'False positives'], score.falsePositiveCauses.map((cause) => [cause.type, `\`${cause.cause}\``, cause.count])),
    '',
    `Findings on the ${score.negativeOnlyTexts} hard-negative-only texts: ${negativeOnly.length === 0 ? 'none' : negativeOnly.join(', ')}.`,
  ].join('\n');
}

function examples(title: string, items: readonly MissOrFalsePositive[], perLabel: number): string {
  const shown = new Map<string, number>();
  const lines: string[] = [];
  for (const item of items) {
    const key = `${item.type} ${item.label}`;
    const count = shown.get(key) ?? 0;
    if (count >= perLabel) continue;
    shown.set(key, count + 1);
    lines.push(`- ${key} (${item.textId}): ${item.excerpt}`);
  }
  return [`### ${title}`, '', ...lines].join('\n');
}

const seed = Number(values.seed);
const texts = buildPiiCorpus({ seed, size: Number(values.size) });
const redactor = createRedactor(defaultPiiPolicy(), { pseudonymKey: 'pii-corpus-report-key-0123456789' });
const score = scoreCorpus(texts, (text) => redactor.redactText(text).spans);
const sections = [
  corpusSection(texts, score, seed),
  '### Precision and recall by type\n\n' + typeSection(score),
  '### Recall by planted shape (shapes with misses)\n\n' + subtypeSection(score),
  '### False positives by what they hit\n\n' + falsePositiveSection(score),
];
const perLabel = Number(values.examples);
if (perLabel > 0) sections.push(examples('Missed values', score.misses, perLabel), examples('False positives', score.falsePositives, perLabel));
console.log(sections.join('\n\n'));
