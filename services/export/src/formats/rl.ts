import type { Sample } from '@sluice/core';
import { float64, int64, string, struct } from './column-types.ts';
import { lastAssistantText, messagesType, trlMessages } from './messages.ts';
import type { ParquetFormat } from './types.ts';

/**
 * The answer a reward function can compare against: the chosen side of a preference pair (what
 * the user kept or corrected to), else the completion when it was rewarded, else none.
 */
function referenceAnswer(sample: Sample): string | null {
  if (sample.labels.preference) return lastAssistantText(sample.labels.preference.chosen);
  if ((sample.labels.reward ?? 0) > 0) return lastAssistantText(sample.completion);
  return null;
}

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
  includes: () => true,
  toRow: (sample, index) => ({
    data_source: sample.source,
    prompt: trlMessages(sample.prompt),
    ability: sample.tools && sample.tools.length > 0 ? 'tool_use' : 'chat',
    reward_model: { style: 'rule', ground_truth: referenceAnswer(sample) },
    extra_info: { split: sample.split, index, sample_id: sample.sampleId, reward: sample.labels.reward },
  }),
};
