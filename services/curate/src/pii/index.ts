export { createRedactor, type PiiFindings, type Redactor, type RedactTextResult, type RedactValueResult } from './redactor.ts';
export {
  defaultPiiPolicy,
  PiiPolicyError,
  type CustomDetectorConfig,
  type PiiAction,
  type PiiPolicy,
  type PseudonymSecret,
} from './policy.ts';
export { builtinPiiTypes, type BuiltinPiiType, type PiiType, type Span } from './types.ts';
export { normalizeValue } from './pseudonym.ts';
