import { SluiceError, type CurationRun, type CurationStore, type StoredRuleset } from '@sluice/core';

/** Which curation run to export: the given one, or the newest complete run of a ruleset. */
export async function resolveRun(store: CurationStore, which: { runId?: string; rulesetName?: string }): Promise<CurationRun> {
  if ((which.runId === undefined) === (which.rulesetName === undefined)) {
    throw new SluiceError('SLUICE_ERR_INPUT_INVALID', 'export needs exactly one of runId or rulesetName');
  }
  if (which.runId !== undefined) {
    const run = await store.getCurationRun(which.runId);
    if (!run) throw new SluiceError('SLUICE_ERR_CURATION_RUN_NOT_FOUND', `no curation run ${which.runId}`);
    if (run.status !== 'complete') {
      throw new SluiceError('SLUICE_ERR_CURATION_RUN_INCOMPLETE', `curation run ${run.runId} is ${run.status}; only complete runs can be exported`);
    }
    return run;
  }
  const [newest] = await store.listCurationRuns({ rulesetName: which.rulesetName!, status: 'complete' });
  if (!newest) throw new SluiceError('SLUICE_ERR_CURATION_RUN_NOT_FOUND', `ruleset ${which.rulesetName} has no complete curation run; run \`sluice curate\` first`);
  return newest;
}

export async function rulesetOf(store: CurationStore, run: CurationRun): Promise<StoredRuleset> {
  const ruleset = (await store.listRulesets(run.rulesetName)).find((r) => r.hash === run.rulesetHash);
  if (!ruleset) throw new SluiceError('SLUICE_ERR_RULESET_NOT_FOUND', `ruleset ${run.rulesetName}@${run.rulesetHash} of run ${run.runId} is not stored`);
  return ruleset;
}
