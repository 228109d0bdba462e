import type { CurationStore } from '@sluice/core';

/**
 * Carries out every erasure request not yet honoured: the user's raw events are deleted (all but
 * the request itself, which stays as the record that they asked) and an audit row is written.
 * Runs as the first step of every curation run and as `sluice erase`.
 */
export async function carryOutErasureRequests(
  store: Pick<CurationStore, 'scanEvents' | 'listErasures' | 'eraseUser' | 'maxIngestSeq'>,
  options: { upToSeq?: number; now?: () => number } = {},
): Promise<Array<{ tenant: string; userId: string; deletedEvents: number }>> {
  const now = options.now ?? Date.now;
  const done = new Set((await store.listErasures()).map((e) => e.requestEventId));
  const upToSeq = options.upToSeq ?? await store.maxIngestSeq();
  const erased: Array<{ tenant: string; userId: string; deletedEvents: number }> = [];
  for await (const chunk of store.scanEvents({ upToSeq, types: ['erasure_request'] })) {
    for (const request of chunk) {
      if (request.userId === null || done.has(request.eventId)) continue;
      const record = await store.eraseUser({ tenant: request.tenant, userId: request.userId, requestEventId: request.eventId, erasedAt: now() });
      done.add(request.eventId);
      erased.push({ tenant: record.tenant, userId: record.userId, deletedEvents: record.deletedEvents });
    }
  }
  return erased;
}
