/**
 * Counts of what happened to candidates, stage by stage, in the order stages ran. Drop reasons
 * are counted under `dropped` (stage:reason) so a steward sees exactly which rule removed what.
 */
export class Funnel {
  readonly stages: Array<{ stage: string; count: number }> = [];
  readonly dropped: Record<string, number> = {};
  readonly pii: Record<string, number> = {};
  readonly splits: Record<string, number> = {};
  readonly labels = { reward_positive: 0, reward_negative: 0, kto_true: 0, kto_false: 0, sft: 0, preference_pairs: 0, unlabelled: 0 };

  stage(name: string, count: number): void {
    this.stages.push({ stage: name, count });
  }

  drop(stage: string, reason: string): void {
    const key = reason.startsWith(`${stage}:`) ? reason : `${stage}:${reason}`;
    this.dropped[key] = (this.dropped[key] ?? 0) + 1;
  }

  toJSON(): Record<string, unknown> {
    return { stages: this.stages, dropped: this.dropped, pii: this.pii, splits: this.splits, labels: this.labels };
  }
}
