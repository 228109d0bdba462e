import { SluiceError } from '@sluice/core';
import { ktoFormat } from './kto.ts';
import { openAiChatFormat } from './openai-chat.ts';
import { openAiDpoFormat } from './openai-dpo.ts';
import { preferenceFormat } from './preference.ts';
import { promptCompletionFormat } from './prompt-completion.ts';
import { rlFormat } from './rl.ts';
import { sftFormat } from './sft.ts';
import { CONFIG_NAMES, type ConfigName, type ExportFormat } from './types.ts';

export { CONFIG_NAMES, type ConfigName, type ExportFormat, type JsonlFormat, type ParquetFormat } from './types.ts';

const formats: Readonly<Record<ConfigName, ExportFormat>> = {
  sft: sftFormat,
  prompt_completion: promptCompletionFormat,
  preference: preferenceFormat,
  kto: ktoFormat,
  rl: rlFormat,
  openai_chat: openAiChatFormat,
  openai_dpo: openAiDpoFormat,
};

/**
 * The formats to write, deduplicated and in the catalogue's order (not the caller's), so that
 * `sft,kto` and `kto,sft` are the same export config and the same snapshot id.
 */
export function resolveFormats(names: readonly string[]): ExportFormat[] {
  if (names.length === 0) throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `no export formats given; choose from ${CONFIG_NAMES.join(', ')}`);
  const unknown = names.filter((n) => !(CONFIG_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `unknown export format ${unknown.map((u) => JSON.stringify(u)).join(', ')}; choose from ${CONFIG_NAMES.join(', ')}`);
  }
  return CONFIG_NAMES.filter((n) => names.includes(n)).map((n) => formats[n]);
}
