export * from './pii/index.ts';
export { dedupLines, DedupInputError } from './dedup/index.ts';
export { loadRuleset, type LoadedRuleset, type RulesetIssue } from './ruleset/load.ts';
export { rulesetSchema, type Ruleset } from './ruleset/schema.ts';
export { canonicalJson, sha256Hex } from './ruleset/canonical-json.ts';
export { runCuration, type CurationDeps, type CurationExample, type CurationOptions, type CurationReport } from './runner.ts';
export { carryOutErasureRequests, type ErasureOutcome } from './erasure.ts';
export { userPseudonym } from './operators/user-pseudonym.ts';
export { scanPiiLines } from './tools/pii-scan.ts';
