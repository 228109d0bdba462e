import { z } from 'zod';

/**
 * The `labels` section of a ruleset: declarative rules that turn a sample's signals (feedback and
 * outcome events) into training labels. A data steward writes it in YAML; every object is strict
 * so that a typo (`vlaue:`, `kind: thumb`) is a validation error with a path, not a rule that
 * silently never fires.
 */

// Closed lists, mirroring schemas/v1/feedback.json and outcome.json: events with other kinds are
// rejected at ingest, so a rule naming another kind can only be a typo.
export const feedbackKinds = ['thumbs', 'rating', 'comment', 'correction'] as const;
export const outcomeKinds = [
  'accepted',
  'rejected',
  'edited',
  'regenerated',
  'copied',
  'resolved',
  'escalated',
  'abandoned',
  'task_success',
  'task_failure',
] as const;

/** Text fields a signal may carry; feedback and outcome events carry different ones. */
export const signalTextFields = ['final_text', 'correction', 'comment'] as const;
export type SignalTextField = (typeof signalTextFields)[number];
const textFieldsBySignal: Record<'feedback' | 'outcome', readonly SignalTextField[]> = {
  feedback: ['correction', 'comment'],
  outcome: ['final_text'],
};

/** Prefix of the built-in rule names, reserved so `labels.rules` tells steward rules from defaults. */
export const defaultRulePrefix = 'default:';

const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);
export type Scalar = z.infer<typeof scalarSchema>;

const valueRangeSchema = z
  .strictObject({
    gte: z.number().optional(),
    gt: z.number().optional(),
    lte: z.number().optional(),
    lt: z.number().optional(),
    in: z.array(scalarSchema).min(1).optional(),
  })
  .refine((range) => Object.keys(range).length > 0, 'give at least one of gte, gt, lte, lt, in');

/** `value: up` compares with ===; `value: { gte: 4 }` tests numbers; `in` lists accepted scalars. */
const valueConditionSchema = z.union([scalarSchema, valueRangeSchema], {
  error: 'value must be a string, number or boolean to compare, or { gte, gt, lte, lt: number, in: [...] }',
});
export type ValueCondition = z.infer<typeof valueConditionSchema>;

const commonWhen = {
  value: valueConditionSchema.optional(),
  scope: z.enum(['generation', 'session']).optional(),
  /** The signal carries this text, non-blank. */
  has: z.enum(signalTextFields).optional(),
};

const whenSchema = z.discriminatedUnion('signal', [
  z.strictObject({ signal: z.literal('feedback'), kind: z.enum(feedbackKinds), ...commonWhen }),
  z.strictObject({ signal: z.literal('outcome'), kind: z.enum(outcomeKinds), ...commonWhen }),
]);
export type LabelRuleWhen = z.infer<typeof whenSchema>;

const rewardSchema = z.union(
  [
    z.number(), // zod 4 numbers are finite: Infinity and NaN are rejected
    z.strictObject({
      // Linear map of the signal's numeric value from [min, max] onto [-1, 1], clamped.
      from_value: z
        .strictObject({ min: z.number(), max: z.number() })
        .refine((range) => range.min < range.max, { message: 'from_value needs min < max', path: ['max'] }),
    }),
  ],
  { error: 'reward must be a number or { from_value: { min, max } }' },
);
export type RewardSetting = z.infer<typeof rewardSchema>;

export const preferenceSources = ['final_text', 'correction', 'regenerated'] as const;
export type PreferenceSource = (typeof preferenceSources)[number];

const setSchema = z.strictObject({
  reward: rewardSchema.optional(),
  kto: z.boolean().optional(),
  sft: z.boolean().optional(),
  preference: z.enum(preferenceSources).optional(),
});

export const labelRuleSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    when: whenSchema,
    // May be empty: a rule that matches and sets nothing stops later rules (and the defaults)
    // from labelling that signal, e.g. to ignore session-wide outcomes.
    set: setSchema,
  })
  .superRefine((rule, ctx) => {
    const carried = textFieldsBySignal[rule.when.signal];
    if (rule.when.has !== undefined && !carried.includes(rule.when.has)) {
      ctx.addIssue({
        code: 'custom',
        path: ['when', 'has'],
        message: `${rule.when.signal} signals carry ${carried.join(', ')}, never ${rule.when.has}`,
      });
    }
    const preference = rule.set.preference;
    if (preference === 'final_text' || preference === 'correction') {
      if (!carried.includes(preference)) {
        ctx.addIssue({
          code: 'custom',
          path: ['set', 'preference'],
          message: `${rule.when.signal} signals carry no ${preference}`,
        });
      }
      // A text about a whole session cannot be paired with one of its completions.
      if (rule.when.scope !== 'generation') {
        ctx.addIssue({
          code: 'custom',
          path: ['when', 'scope'],
          message: `preference ${preference} needs when.scope: generation`,
        });
      }
    }
  });
export type LabelRule = z.infer<typeof labelRuleSchema>;

export const labelsSectionSchema = z
  .strictObject({
    /** Run the built-in rules after the steward's own (first match per signal wins). */
    use_defaults: z.boolean().default(true),
    rules: z
      .array(labelRuleSchema)
      .default([])
      .superRefine((rules, ctx) => {
        const seen = new Set<string>();
        rules.forEach((rule, index) => {
          if (rule.name.startsWith(defaultRulePrefix)) {
            ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `names starting with "${defaultRulePrefix}" are reserved for built-in rules` });
          } else if (seen.has(rule.name)) {
            ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate rule name "${rule.name}"` });
          }
          seen.add(rule.name);
        });
      }),
    /**
     * false (default): a sample stays SFT-eligible unless a rule says otherwise — most traffic
     * carries no signal, and unremarked production answers are the usual SFT pool.
     * true: only samples where a rule set `sft: true` are eligible.
     */
    sft_requires_positive_signal: z.boolean().default(false),
    /** Drop samples that end with no reward, no KTO label and no preference (reason 'unlabelled'). */
    require_label: z.boolean().default(false),
  })
  // prefault parses `{}` through the object, so an absent section gets every inner default.
  .prefault({});
export type LabelsSection = z.infer<typeof labelsSectionSchema>;
