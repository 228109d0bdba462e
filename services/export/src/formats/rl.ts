import { float64, int64, string, struct } from './column-types.ts';
import { HAS_TOOLS_SQL, lastAssistantTextSql, messagesType, trlMessagesSql } from './messages.ts';
import type { ParquetFormat } from './types.ts';

/**
 * The answer a reward function can compare against: the chosen side of a preference pair (what
 * the user kept or corrected to), else the completion when it was rewarded, else none.
 */
const REFERENCE_ANSWER_SQL = `CASE
  WHEN preference IS NOT NULL THEN ${lastAssistantTextSql('preference.chosen')}
  WHEN coalesce(reward, 0) > 0 THEN ${lastAssistantTextSql('completion')}
END`;

/**
 * verl's RL dataset layout (RLHFDataset, GRPO/PPO): every sample's prompt, with the observed
 * reward and a reference answer for custom reward functions. `data_source` is the product
 * surface the prompt came from, which verl passes to the reward function to pick a scorer.
 */
export const rlFormat: ParquetFormat = {
  name: 'rl',
  fileType: 'parquet',
  description: 'verl RL prompts (GRPO/PPO): `data_source`, `prompt`, `ability`, `reward_model` {style, ground_truth}, `extra_info`.',
  columns: [
    ['data_source', string],
    ['prompt', messagesType],
    ['ability', string],
    ['reward_model', struct([['style', string], ['ground_truth', string]])],
    ['extra_info', struct([['split', string], ['index', int64], ['sample_id', string], ['reward', float64]])],
  ],
  where: 'true',
  select: {
    data_source: 'source',
    prompt: trlMessagesSql('prompt'),
    ability: `CASE WHEN ${HAS_TOOLS_SQL} THEN 'tool_use' ELSE 'chat' END`,
    reward_model: `{'style': 'rule', 'ground_truth': ${REFERENCE_ANSWER_SQL}}`,
    extra_info: `{'split': split, 'index': split_index, 'sample_id': sample_id, 'reward': reward}`,
  },
};
