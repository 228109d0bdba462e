import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDatasetSnippet, pullCommand } from '../src/lib/snapshot-usage.ts';

test('the pull command pins the snapshot id; the snippet loads each Parquet config through the card', () => {
  assert.equal(pullCommand('support-bot', 'snap-0123456789abcdef01234567', 'https://sluice.example'),
    'SLUICE_READ_TOKEN=<read token> sluice pull support-bot@snap-0123456789abcdef01234567 --to ./support-bot --url https://sluice.example');
  const snippet = loadDatasetSnippet({
    name: 'support-bot',
    configs: { sft: { file_type: 'parquet', description: '' }, rl: { file_type: 'parquet', description: '' }, openai_chat: { file_type: 'jsonl', description: '' } },
    files: [
      { path: 'data/sft/train-00000-of-00001.parquet', rows: 1, bytes: 1, sha256: 'x', config: 'sft', split: 'train' },
      { path: 'data/openai_chat/train-00000-of-00001.jsonl', rows: 1, bytes: 1, sha256: 'x', config: 'openai_chat', split: 'train' },
    ],
  });
  assert.equal(snippet, [
    'from datasets import load_dataset', '', '# after: sluice pull … --to ./support-bot',
    'sft = load_dataset("./support-bot", "sft")',
    '# openai_chat (JSON Lines for OpenAI): ./support-bot/data/openai_chat/train-00000-of-00001.jsonl', '',
  ].join('\n'), 'configs without files are left out');
});
