export { createLabelsStep } from './labels-step.ts';
export { defaultLabelRules } from './default-rules.ts';
export { evaluateLabels } from './evaluate.ts';
export { labelsSectionSchema, labelRuleSchema, type LabelsSection, type LabelRule } from './schema.ts';
