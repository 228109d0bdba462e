import { builtinPiiTypes, type BuiltinPiiType, type PiiType } from './types.ts';

export type PiiAction = 'mask' | 'pseudonymize' | 'drop_sample';

export interface CustomDetectorConfig {
  /** Upper-case identifier; becomes the finding type and the mask token (`<EMPLOYEE_ID>`). */
  name: string;
  /** JavaScript regular expression source. It runs on every text: keep it linear. */
  pattern: string;
  /** Any of i, m, s, u, v; 'g' is always added. */
  flags?: string;
}

export interface PiiPolicy {
  /** Built-in detectors to run; a type left out runs (redacting too much is the safe failure). */
  detectors: Partial<Record<BuiltinPiiType, boolean>>;
  /** Action per type (built-in or custom name); types left out use `defaultAction`. */
  actions: Partial<Record<PiiType, PiiAction>>;
  defaultAction: PiiAction;
  custom: CustomDetectorConfig[];
  /**
   * Values never redacted. `values` match exactly (emails case-insensitively); `patterns` must
   * match the whole value (they are anchored), e.g. `.*@ourcompany\.com`.
   */
  allow: { values: string[]; patterns: string[] };
  /** Also redact private, loopback and link-local IP addresses. */
  ipIncludePrivate: boolean;
}

export interface PseudonymSecret {
  /** HMAC key for pseudonyms; the same key maps the same value to the same token. */
  pseudonymKey: string | Buffer;
}

/** Thrown by createRedactor for a policy that cannot run; the message names the bad field. */
export class PiiPolicyError extends Error {
  // Matches the catalogue code in @sluice/core so callers can wrap it in a SluiceError as is.
  readonly code = 'SLUICE_ERR_CONFIG_INVALID';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PiiPolicyError';
  }
}

export function defaultPiiPolicy(): PiiPolicy {
  return {
    detectors: {},
    actions: {},
    defaultAction: 'mask',
    custom: [],
    allow: { values: [], patterns: [] },
    ipIncludePrivate: false,
  };
}

const customNamePattern = /^[A-Z][A-Z0-9_]{0,63}$/;
const allowedCustomFlags = /^[imsuv]*$/;
// Below this a pseudonymized low-entropy value (a phone number) can be recovered by brute force.
const minPseudonymKeyBytes = 16;
const actions: ReadonlySet<string> = new Set<PiiAction>(['mask', 'pseudonymize', 'drop_sample']);

export function compileCustomPattern(config: CustomDetectorConfig): RegExp {
  if (!customNamePattern.test(config.name) || (builtinPiiTypes as readonly string[]).includes(config.name)) {
    throw new PiiPolicyError(`custom detector name "${config.name}" must be an upper-case identifier (A-Z, 0-9, _) and not a built-in type`);
  }
  const flags = config.flags ?? '';
  if (!allowedCustomFlags.test(flags)) {
    throw new PiiPolicyError(`custom detector ${config.name}: flags "${flags}" must be drawn from i, m, s, u, v`);
  }
  try {
    return new RegExp(config.pattern, `${flags}g`);
  } catch (error) {
    throw new PiiPolicyError(`custom detector ${config.name}: invalid pattern`, { cause: error });
  }
}

/** Anchored, so that a short pattern cannot exempt every value that merely contains it. */
export function compileAllowPattern(pattern: string, index: number): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    throw new PiiPolicyError(`allow.patterns[${index}] is not a valid regular expression`, { cause: error });
  }
}

export function validatePolicy(policy: PiiPolicy, secret: PseudonymSecret): void {
  const usedActions = [policy.defaultAction, ...Object.values(policy.actions)];
  for (const action of usedActions) {
    if (action !== undefined && !actions.has(action)) throw new PiiPolicyError(`unknown PII action "${String(action)}"`);
  }
  for (const type of Object.keys(policy.detectors)) {
    if (!(builtinPiiTypes as readonly string[]).includes(type)) throw new PiiPolicyError(`unknown PII detector "${type}"`);
  }
  const keyBytes = typeof secret.pseudonymKey === 'string' ? Buffer.byteLength(secret.pseudonymKey) : secret.pseudonymKey.length;
  if (usedActions.includes('pseudonymize') && keyBytes < minPseudonymKeyBytes) {
    throw new PiiPolicyError(`pseudonymKey must be at least ${minPseudonymKeyBytes} bytes when an action is pseudonymize`);
  }
}
