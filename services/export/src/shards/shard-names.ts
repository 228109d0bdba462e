/** Hugging Face's shard naming, which `datasets` and the Hub recognise: `train-00000-of-00004.parquet`. */
export function shardFileName(split: string, index: number, count: number, extension: 'parquet' | 'jsonl'): string {
  const pad = (n: number) => String(n).padStart(5, '0');
  return `${split}-${pad(index)}-of-${pad(count)}.${extension}`;
}
