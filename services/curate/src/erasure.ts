import type { CurationStore, ErasureRequest } from '@sluice/core';
import { userKeyOf } from './assemble/signal-index.ts';
import { userPseudonym } from './operators/user-pseudonym.ts';

export interface ErasureOutcome {
  tenant: string;
  userId: string;
  deletedEvents: number;
}

/**
 * Carries out every erasure request not yet honoured: the user's raw events are deleted (all but
 * the request itself, which stays as the record that they asked) and an audit row is written
 * with the user's pseudonymous key, which marks every published snapshot holding that key (the
 * snapshot files are immutable and stay; see CurationStore.snapshotErasures). Runs as the first step of every curation run and as `sluice erase`.
 */
export async function carryOutErasureRequests(
  store: Pick<CurationStore, 'scanEvents' | 'listErasures' | 'eraseUsers' | 'maxIngestSeq'>,
  options: { pseudonymKey: string; upToSeq?: number; now?: () => number },
): Promise<ErasureOutcome[]> {
  const now = options.now ?? Date.now;
  const done = new Set((await store.listErasures()).map((e) => e.requestEventId));
  const upToSeq = options.upToSeq ?? await store.maxIngestSeq();
  // Collected first, then carried out together: one set-based delete rather than one scan of the
  // events table per request (415 requests at 1M events: 16.8 s one by one).
  const requests: ErasureRequest[] = [];
  for await (const chunk of store.scanEvents({ upToSeq, types: ['erasure_request'] })) {
    for (const request of chunk) {
      if (request.userId === null || done.has(request.eventId)) continue;
      const userKey = userPseudonym(options.pseudonymKey, userKeyOf({ userId: request.userId, anonymousId: null })!);
      requests.push({ tenant: request.tenant, userId: request.userId, userKey, requestEventId: request.eventId, erasedAt: now() });
      done.add(request.eventId);
    }
  }
  const records = await store.eraseUsers(requests);
  return records.map((record) => ({ tenant: record.tenant, userId: record.userId, deletedEvents: record.deletedEvents }));
}
