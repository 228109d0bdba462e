import { setTimeout as sleep } from 'node:timers/promises';
import { findErrorBy, type Admin, type CreateTopicsOptions } from '@platformatic/kafka';

export interface TopicSpec {
  name: string;
  /** Unset: the broker's num.partitions. */
  partitions?: number;
  /** Unset: the broker's default.replication.factor. */
  replicationFactor?: number;
}

/**
 * Creates the topics that do not exist yet, then waits until every partition of every topic has a
 * leader, so the first append does not race the new topic's leader election. A topic that exists
 * is left as it is (partitions and replication are operations' business once it is in use).
 * Returns the names of the topics it created.
 */
export async function ensureTopics(admin: Admin, topics: readonly TopicSpec[], deadline: number): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const created: string[] = [];
  for (const topic of topics) {
    if (existing.has(topic.name)) continue;
    const request: CreateTopicsOptions = { topics: [topic.name] };
    if (topic.partitions !== undefined) request.partitions = topic.partitions;
    if (topic.replicationFactor !== undefined) request.replicas = topic.replicationFactor;
    try {
      await admin.createTopics(request);
      created.push(topic.name);
    } catch (error) {
      // Another Sluice process created it between our list and our create: that is the goal.
      if (!findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) throw error;
    }
  }
  await waitForLeaders(admin, topics.map((t) => t.name), deadline);
  return created;
}

async function waitForLeaders(admin: Admin, names: readonly string[], deadline: number): Promise<void> {
  for (;;) {
    // A fresh array each time: the client sorts the `topics` array it is given in place.
    const metadata = await admin.metadata({ topics: [...names], forceUpdate: true }).catch(() => undefined);
    const ready = metadata !== undefined && names.every((name) => {
      const topic = metadata.topics.get(name);
      return topic !== undefined && topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0);
    });
    if (ready) return;
    if (Date.now() >= deadline) throw new Error(`topics ${names.join(', ')} have no leader yet`);
    await sleep(100);
  }
}
