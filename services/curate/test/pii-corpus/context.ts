import type { BuiltinPiiType } from '../../src/index.ts';
import { createTextBuilder, fill, type PlantValue, type SlotValue, type TextBuilder } from './builder.ts';
import { NEGATIVES } from './negatives.ts';
import type { Rng } from './rng.ts';
import { creditCard, email, FIRST_NAMES, iban, ipAddress, LAST_NAMES, phone, ssn, urlCredentials } from './values.ts';

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** Plain-text slots: words that carry no PII signal but keep templates from repeating verbatim. */
const WORDS: Readonly<Record<string, (rng: Rng) => string>> = {
  first: (rng) => capitalize(rng.pick(FIRST_NAMES)),
  last: (rng) => capitalize(rng.pick(LAST_NAMES)),
  agent: (rng) => rng.pick(['Sam', 'Alex', 'Robin', 'Kim', 'Jordan']),
  product: (rng) => rng.pick(['the Pro plan', 'my subscription', 'the desk lamp', 'the API add-on', 'the running shoes', 'the team seats']),
  city: (rng) => rng.pick(['Berlin', 'Austin', 'Lyon', 'Leeds', 'Toronto', 'Porto']),
  cvc: (rng) => rng.digits(3),
  n: (rng) => String(rng.int(2, 40)),
  ms: (rng) => String(rng.int(5, 30_000)),
  service: (rng) => rng.pick(['billing', 'orders', 'auth', 'search', 'notifications']),
  model: (rng) => rng.pick(['gpt-4o-mini', 'claude-sonnet-4', 'llama-3.1-70b', 'mistral-large']),
};

export interface TemplateContext {
  readonly rng: Rng;
  readonly builder: TextBuilder;
  /** PII types still to plant in this text; a template takes them with `takePii`. */
  readonly pending: BuiltinPiiType[];
  /** Removes and returns the next pending type, or undefined when the text has planted them all. */
  takePii(): BuiltinPiiType | undefined;
  /** A value of `type`; SECRET values come from `secretOf` since templates need their names. */
  draw(type: Exclude<BuiltinPiiType, 'SECRET'>): PlantValue;
  /** Appends a filled template: `{pii}`, hard-negative kinds, plain words and `words` overrides. */
  say(template: string, options?: { pii?: PlantValue; words?: Readonly<Record<string, string>> }): void;
  /** Draws a hard negative and appends it, recorded under `kind`. */
  negative(kind: string): void;
}

const DRAW: Readonly<Record<Exclude<BuiltinPiiType, 'SECRET'>, (rng: Rng) => PlantValue>> = {
  EMAIL: email,
  PHONE: phone,
  CREDIT_CARD: creditCard,
  IBAN: iban,
  US_SSN: ssn,
  IP_ADDRESS: ipAddress,
  URL_CREDENTIALS: urlCredentials,
};

export function createTemplateContext(rng: Rng, piiTypes: readonly BuiltinPiiType[]): TemplateContext {
  const builder = createTextBuilder();
  const pending = [...piiTypes];
  const negativeValue = (kind: string): string => {
    const generate = NEGATIVES[kind];
    if (generate === undefined) throw new Error(`no hard-negative generator for "${kind}"`);
    return generate(rng);
  };
  return {
    rng,
    builder,
    pending,
    takePii: () => pending.shift(),
    draw: (type) => DRAW[type](rng),
    say(template, options = {}) {
      const slot = (name: string): SlotValue => {
        const override = options.words?.[name];
        if (override !== undefined) return { text: override };
        const word = WORDS[name];
        return word === undefined ? { negative: negativeValue(name) } : { text: word(rng) };
      };
      fill(builder, template, slot, options.pii);
    },
    negative(kind) {
      builder.negative(kind, negativeValue(kind));
    },
  };
}

export type TextKind = 'support_chat' | 'coding_chat' | 'env_file' | 'log_lines' | 'stack_trace' | 'json_tool_result' | 'sql_result';

export interface TextTemplate {
  kind: TextKind;
  /** Which PII types texts of this kind carry, and how often. */
  piiWeights: ReadonlyArray<readonly [number, BuiltinPiiType]>;
  /** Writes one text into `context.builder`, planting every type in `context.pending`. */
  render(context: TemplateContext): void;
}
