import { eventSlices, type AppendBatch } from '@sluice/core';

/**
 * Per event of the batch, its payload's JSON as the client sent it (a view into the request body),
 * or null where there is no such view and the payload has to be serialised again: an event whose
 * request kept no body, a body the scanner cannot copy byte for byte (see @sluice/core's
 * events-array-slices.ts), or bodies that do not line up with the batch's events.
 *
 * Each body covers the next `positions.length` events; `positions` are the indices of those
 * events in the body's `events` array (entries that failed validation are skipped that way).
 */
export function payloadBytesOf(batch: Pick<AppendBatch, 'events' | 'bodies'>): Array<Uint8Array | null> {
  const out: Array<Uint8Array | null> = new Array<Uint8Array | null>(batch.events.length).fill(null);
  const bodies = batch.bodies;
  if (bodies === undefined) return out;
  let covered = 0;
  for (const body of bodies) covered += body.positions.length;
  if (covered !== batch.events.length) return out;

  let at = 0;
  for (const { json, positions } of bodies) {
    const slices = json === null ? null : eventSlices(json);
    if (slices !== null) {
      for (let k = 0; k < positions.length; k++) {
        const position = positions[k]!;
        if (position < slices.starts.length) out[at + k] = json!.subarray(slices.starts[position], slices.ends[position]);
      }
    }
    at += positions.length;
  }
  return out;
}
