import type { EventValidator } from '@sluice/schemas';

export interface ValidEvent {
  index: number;
  type: string;
  event: Record<string, unknown>;
}

export interface RejectedEvent {
  index: number;
  event_id?: string;
  code: string;
  pointer: string;
  message: string;
  /** The raw entry, kept for the quarantine table; not sent back to the client. */
  raw: unknown;
}

/**
 * Validates each entry of a batch on its own: one bad event never rejects the others. The result
 * is a value (valid / rejected lists), not an exception.
 */
export function createValidateEventsStep(deps: { validateEvent: EventValidator }) {
  return function validateEvents(entries: readonly unknown[]): { valid: ValidEvent[]; rejected: RejectedEvent[] } {
    const valid: ValidEvent[] = [];
    const rejected: RejectedEvent[] = [];
    for (let index = 0; index < entries.length; index++) {
      const raw = entries[index];
      const result = deps.validateEvent(raw);
      if (result.ok) {
        valid.push({ index, type: result.type, event: raw as Record<string, unknown> });
        continue;
      }
      const eventId = typeof raw === 'object' && raw !== null ? (raw as { event_id?: unknown }).event_id : undefined;
      rejected.push({
        index,
        ...(typeof eventId === 'string' ? { event_id: eventId } : {}),
        code: result.code,
        pointer: result.pointer,
        message: result.message,
        raw,
      });
    }
    return { valid, rejected };
  };
}
