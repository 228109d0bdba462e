import type { Sample, SampleMessage } from '@sluice/core';
import { dedupLines, type Ruleset } from '@sluice/curate';

export interface ClusterMember {
  sample_id: string;
  text: string;
}

export interface DedupCluster {
  kept: ClusterMember;
  removed: ClusterMember[];
}

// The runner's dedup text and label rank (services/curate operators/dedup.ts), which the package
// does not export; the dry-run test checks that the clusters account for every dedup drop.
function messagesText(messages: readonly SampleMessage[]): string {
  return messages.map((m) => `${m.role}: ${m.content ?? ''}${m.tool_calls ? ` ${JSON.stringify(m.tool_calls)}` : ''}`).join('\n');
}
function labelRank({ labels }: Sample): number {
  return (labels.preference ? 4 : 0) + (labels.reward ?? 0) + (labels.sft ? 1 : 0) + (labels.kto === true ? 0.5 : 0);
}

async function* lines(items: readonly string[]): AsyncGenerator<string> {
  yield* items;
}

const PREVIEW_CHARS = 240;

/**
 * Which samples the ruleset's dedup merges, cluster by cluster: the same deduplicator the runner
 * uses (through `dedupLines`), over the same texts in the same order with the same ranks, so the
 * kept member is the one curation keeps. Largest clusters first.
 */
export async function dedupClusters(candidates: readonly Sample[], dedup: Ruleset['dedup']): Promise<{ clusters: DedupCluster[]; removed: Set<string> }> {
  const removed = new Set<string>();
  if (!dedup.enabled || candidates.length === 0) return { clusters: [], removed };
  const ordered = [...candidates].sort((a, b) => a.ingestSeq - b.ingestSeq);
  const texts = ordered.map((s) => dedup.scope === 'prompt' ? messagesText(s.prompt) : `${messagesText(s.prompt)}\n${messagesText(s.completion)}`);
  const input = ordered.map((s, i) => JSON.stringify({ id: s.sampleId, text: texts[i], rank: labelRank(s) }));
  const members = new Map<string, ClusterMember[]>();
  let i = 0;
  for await (const line of dedupLines(lines(input), { mode: dedup.mode, threshold: dedup.threshold })) {
    const { id, duplicate_of: of } = JSON.parse(line) as { id: string; duplicate_of: string | null };
    const text = texts[i++]!;
    if (of === null) continue;
    removed.add(id);
    const list = members.get(of) ?? [];
    list.push({ sample_id: id, text: text.slice(0, PREVIEW_CHARS) });
    members.set(of, list);
  }
  const textOf = new Map(ordered.map((s, j) => [s.sampleId, texts[j]!]));
  const clusters = [...members].map(([kept, list]) => ({ kept: { sample_id: kept, text: textOf.get(kept)!.slice(0, PREVIEW_CHARS) }, removed: list }))
    .sort((a, b) => b.removed.length - a.removed.length);
  return { clusters, removed };
}
