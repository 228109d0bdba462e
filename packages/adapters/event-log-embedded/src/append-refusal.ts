import { SluiceError } from '@sluice/core';

/**
 * Why an event log refuses an append of `size` events (accepted + quarantined), or null when it
 * takes it: never once closing (SLUICE_ERR_SHUTTING_DOWN), and not beyond `maxQueuedEvents`
 * (SLUICE_ERR_QUEUE_FULL → 503), except when nothing is queued, so one large request always
 * gets through. An empty append is never refused for its size. Shared by the embedded and the
 * Kafka event logs, so both answer the same request the same way.
 */
export function appendRefusal(state: { closing: boolean; queued: number; maxQueuedEvents: number }, size: number): SluiceError | null {
  if (state.closing) return new SluiceError('SLUICE_ERR_SHUTTING_DOWN');
  if (size > 0 && state.queued > 0 && state.queued + size > state.maxQueuedEvents) {
    return new SluiceError('SLUICE_ERR_QUEUE_FULL', undefined, { details: { queued_events: state.queued } });
  }
  return null;
}
