import type { StagedBody } from './staged-batches.ts';

/**
 * The meta JSON of the layout older versions wrote (ingest_log format-2 rows, staging-log records
 * of version 1, before docs/decisions/0013): every column listed per entry, times as epoch ms.
 */
export function legacyMeta(bodies: readonly StagedBody[]): string {
  return JSON.stringify(bodies.map(({ entries }) => {
    const first = entries[0]!.event;
    const column = <T>(value: (e: StagedBody['entries'][number]) => T): T[] => entries.map(value);
    return {
      tn: first.tenant, src: first.source, r: first.receivedAt, ip: first.clientIp,
      s: column((e) => e.seq), id: column((e) => e.event.eventId), t: column((e) => e.event.type),
      o: column((e) => e.event.occurredAt), se: column((e) => e.event.sentAt), ts: column((e) => e.event.timestamp),
      u: column((e) => e.event.userId), a: column((e) => e.event.anonymousId), ss: column((e) => e.event.sessionId),
      tr: column((e) => e.event.traceId), p: column((e) => e.event.parentId),
    };
  }));
}
