import { canonicalJson, sha256Hex } from './canonical-json.ts';

/** Bumped when a code change alters what the same inputs produce, so old ids are not reused. */
export const LAYOUT_VERSION = 3;

export interface ExportConfig {
  name: string;
  formats: string[];
  shard_target_bytes: number;
  row_group_target_bytes: number;
  layout_version: number;
}

export interface SnapshotInputs {
  rulesetHash: string;
  watermark: number;
  /**
   * How many erasures the store has carried out. Erasure is the one change to events below a
   * watermark: after one, the same ruleset and watermark give different samples, and reusing
   * the earlier snapshot would republish the erased user's data.
   */
  erasures: number;
  exportConfig: ExportConfig;
}

/** The id is a pure function of the inputs: the same export twice names the same snapshot. */
export function snapshotId(inputs: SnapshotInputs): string {
  const digest = sha256Hex(canonicalJson({
    ruleset_hash: inputs.rulesetHash,
    watermark: inputs.watermark,
    erasures: inputs.erasures,
    export_config: inputs.exportConfig,
  }));
  return `snap-${digest.slice(0, 24)}`;
}
