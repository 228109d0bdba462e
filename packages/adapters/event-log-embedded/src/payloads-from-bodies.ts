import type { AppendBatch, IngestedEvent } from '@sluice/core';

/**
 * The batch with every event that came with its request body holding its payload as a reference
 * into those bytes rather than as the parsed object: the payload is read from the body (parsed
 * once per body) only if something asks for it. For a warehouse that stores the body's bytes and
 * never reads those payloads (DuckDB, docs/decisions/0010 and 0013), the parsed entries of a
 * request then die young instead of living until its group commit returns: held that long, they
 * outlived young-generation collections and were promoted, which cost V8's GC threads about 1 µs
 * per event (docs/decisions/0018).
 */
export function withPayloadsFromBodies(batch: AppendBatch): AppendBatch {
  const { bodies } = batch;
  if (!bodies) return batch;
  let covered = 0;
  for (const body of bodies) covered += body.positions.length;
  if (covered !== batch.events.length) return batch;
  const events = new Array<IngestedEvent>(batch.events.length);
  let i = 0;
  for (const { json, positions } of bodies) {
    const entries = json === null ? null : bodyEntries(json);
    for (let k = 0; k < positions.length; k++, i++) {
      events[i] = entries === null ? batch.events[i]! : new BodyEvent(batch.events[i]!, entries, positions[k]!);
    }
  }
  return { ...batch, events };
}

/** The body's `events` entries as JSON.parse reads them (what ReceivedBody promises they are), parsed on first use. */
function bodyEntries(json: Uint8Array): () => ReadonlyArray<Readonly<Record<string, unknown>>> {
  let entries: ReadonlyArray<Readonly<Record<string, unknown>>> | null = null;
  return () => {
    entries ??= (JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8')) as { events: Array<Record<string, unknown>> }).events;
    return entries;
  };
}

/** An event whose payload is entry `position` of its request body, read on demand. */
class BodyEvent implements IngestedEvent {
  readonly eventId: string;
  readonly tenant: string;
  readonly source: string;
  readonly type: string;
  readonly occurredAt: number;
  readonly sentAt: number | null;
  readonly receivedAt: number;
  readonly timestamp: number;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly sessionId: string | null;
  readonly traceId: string | null;
  readonly parentId: string | null;
  readonly clientIp: string | null;
  readonly #entries: () => ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly #position: number;

  constructor(event: IngestedEvent, entries: () => ReadonlyArray<Readonly<Record<string, unknown>>>, position: number) {
    this.eventId = event.eventId;
    this.tenant = event.tenant;
    this.source = event.source;
    this.type = event.type;
    this.occurredAt = event.occurredAt;
    this.sentAt = event.sentAt;
    this.receivedAt = event.receivedAt;
    this.timestamp = event.timestamp;
    this.userId = event.userId;
    this.anonymousId = event.anonymousId;
    this.sessionId = event.sessionId;
    this.traceId = event.traceId;
    this.parentId = event.parentId;
    this.clientIp = event.clientIp;
    this.#entries = entries;
    this.#position = position;
  }

  get payload(): Readonly<Record<string, unknown>> {
    return this.#entries()[this.#position]!;
  }

  /** JSON of the whole event, payload included (a getter on the prototype would be left out otherwise). */
  toJSON(): IngestedEvent {
    return { ...this, payload: this.payload };
  }
}
