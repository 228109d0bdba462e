import type { StoredEvent, StoredQuarantinedEvent } from '@sluice/core';
import { iso } from './http.ts';

/** The wire form of a stored event: the same fields GET /v1/events returns. */
export function toApiEvent(e: StoredEvent) {
  return {
    ingest_seq: e.ingestSeq, event_id: e.eventId, tenant: e.tenant, source: e.source, type: e.type,
    occurred_at: iso(e.occurredAt), sent_at: iso(e.sentAt), received_at: iso(e.receivedAt), timestamp: iso(e.timestamp),
    user_id: e.userId, anonymous_id: e.anonymousId, session_id: e.sessionId, trace_id: e.traceId, parent_id: e.parentId,
    client_ip: e.clientIp, event: e.payload,
  };
}

/** The wire form of a quarantined event: the same fields GET /v1/quarantine returns. */
export function toApiQuarantine(r: StoredQuarantinedEvent) {
  return {
    quarantine_seq: r.quarantineSeq, tenant: r.tenant, source: r.source, received_at: new Date(r.receivedAt).toISOString(),
    event_id: r.eventId, code: r.code, pointer: r.pointer, message: r.message, payload: r.payload,
  };
}

export type ApiEvent = ReturnType<typeof toApiEvent>;
