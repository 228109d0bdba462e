/**
 * The planted-PII corpus: deterministic texts of the kinds an AI product's usage holds (support
 * chats, coding chats with code, .env files, log lines, stack traces, JSON tool results, SQL
 * results), with every planted value's span recorded as ground truth and every hard negative's
 * span recorded so that a false positive can be traced to what it hit.
 *
 *   buildPiiCorpus({ seed: 2026, size: 2000 })  // same texts on every machine and Node version
 */
import type { BuiltinPiiType } from '../../src/index.ts';
import type { NegativeSpan, PlantedSpan } from './builder.ts';
import { createTemplateContext, type TextKind, type TextTemplate } from './context.ts';
import { createRng } from './rng.ts';
import { supportChat } from './templates-chat.ts';
import { codingChat, envFile } from './templates-code.ts';
import { jsonToolResult, sqlResult } from './templates-data.ts';
import { logLines, stackTrace } from './templates-ops.ts';

export type { NegativeSpan, PlantedSpan } from './builder.ts';
export type { TextKind } from './context.ts';

export interface CorpusText {
  id: string;
  kind: TextKind;
  text: string;
  /** Ground truth: every value planted on purpose, by type. */
  planted: PlantedSpan[];
  /** Hard negatives placed on purpose (more digits and dots may occur in the template text). */
  negatives: NegativeSpan[];
  /** Planted nothing: any finding in it is a false positive. */
  negativeOnly: boolean;
}

export interface CorpusOptions {
  seed?: number;
  size?: number;
  /** Share of texts that plant no PII at all (hard negatives only). */
  negativeOnlyShare?: number;
  /** Relative frequency of each kind; kinds left out are not generated. */
  kindWeights?: Partial<Record<TextKind, number>>;
}

const TEMPLATES: Readonly<Record<TextKind, TextTemplate>> = {
  support_chat: supportChat,
  coding_chat: codingChat,
  env_file: envFile,
  log_lines: logLines,
  stack_trace: stackTrace,
  json_tool_result: jsonToolResult,
  sql_result: sqlResult,
};

export const DEFAULT_KIND_WEIGHTS: Readonly<Record<TextKind, number>> = {
  support_chat: 30,
  coding_chat: 20,
  env_file: 10,
  log_lines: 15,
  stack_trace: 8,
  json_tool_result: 12,
  sql_result: 5,
};

export const DEFAULT_CORPUS_SEED = 2026;

export function buildPiiCorpus(options: CorpusOptions = {}): CorpusText[] {
  const { seed = DEFAULT_CORPUS_SEED, size = 2000, negativeOnlyShare = 0.25, kindWeights = DEFAULT_KIND_WEIGHTS } = options;
  const rng = createRng(seed);
  const kinds = Object.entries(kindWeights).map(([kind, weight]) => [weight, kind as TextKind] as const);
  const texts: CorpusText[] = [];
  for (let i = 0; i < size; i++) {
    const kind = rng.weighted(kinds);
    const template = TEMPLATES[kind];
    const negativeOnly = rng.chance(negativeOnlyShare);
    const count = negativeOnly ? 0 : rng.weighted([[55, 1], [30, 2], [15, 3]] as const);
    const types: BuiltinPiiType[] = Array.from({ length: count }, () => rng.weighted(template.piiWeights));
    const context = createTemplateContext(rng, types);
    template.render(context);
    if (context.pending.length > 0) throw new Error(`template ${kind} left PII unplanted: ${context.pending.join(', ')}`);
    const { text, planted, negatives } = context.builder.build();
    texts.push({ id: `${kind}-${i}`, kind, text, planted, negatives, negativeOnly });
  }
  return texts;
}
