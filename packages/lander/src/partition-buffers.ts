import type { KafkaRecord, LandingItem } from './decode-records.ts';

/** A message and what it decoded to (decoded on arrival, while the previous batch is landing). */
export interface DecodedRecord {
  record: KafkaRecord;
  items: LandingItem[];
}

/** A run of consecutive messages of one partition, landed as one warehouse append. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  records: KafkaRecord[];
  /** The events and quarantine rows of those messages, in order. */
  items: LandingItem[];
  /** Leader epoch of the last record, sent with the offset commit (KIP-320). */
  leaderEpoch: number;
  /**
   * Set on a reservation another lander left open, landed again under its numbers (see
   * reland-open.ts); such a batch is not committed (it may lie behind the committed offset).
   */
  reservation?: bigint;
}

/** A partition with a backlog in hand (see PartitionBuffers.backlogs). */
export interface Backlog {
  key: string;
  topic: string;
  partition: number;
  /** Offset after the last message in hand. */
  position: bigint;
}

export type OfferOutcome =
  | { kind: 'accepted' }
  /** Already in hand or landed: Kafka delivers again from the committed offset after a rebalance. */
  | { kind: 'redelivered' }
  /** NOT accepted: offsets between `expected` and this one never arrived. See `acceptGap`. */
  | { kind: 'gap'; expected: bigint };

interface PartitionState {
  topic: string;
  partition: number;
  /** Offset after the last accepted record: where the next one must be. */
  position: bigint;
  records: DecodedRecord[];
  /** Items (events) in hand: what batch sizes count. */
  items: number;
  leaderEpoch: number;
  /** When the oldest record in hand arrived (ms): a partition is flushed maxWaitMs after it. */
  oldestAt: number;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/**
 * The messages in hand, per partition, in offset order. Each partition remembers its position, so
 * messages delivered twice — the client fetches again from the committed offset after every
 * rebalance, also for partitions this lander keeps — are skipped rather than landed twice, and a
 * batch is always a contiguous run of offsets: its token `topic-partition-first-last` then names
 * exactly the same messages on every retry.
 */
export class PartitionBuffers {
  readonly #partitions = new Map<string, PartitionState>();

  /** Whether the partition has a known position (it was started and not forgotten since). */
  has(key: string): boolean {
    return this.#partitions.has(key);
  }

  /** Starts tracking a partition that must continue at `position` (its committed offset). */
  start(topic: string, partition: number, position: bigint): void {
    this.#partitions.set(partitionKey(topic, partition), { topic, partition, position, records: [], items: 0, leaderEpoch: -1, oldestAt: 0 });
  }

  /** Takes the message when it is the next one of its (started) partition. */
  offer(decoded: DecodedRecord, leaderEpoch: number, now: number): OfferOutcome {
    const { record } = decoded;
    const state = this.#started(record);
    if (record.offset < state.position) return { kind: 'redelivered' };
    if (record.offset > state.position) return { kind: 'gap', expected: state.position };
    this.#append(state, decoded, leaderEpoch, now);
    return { kind: 'accepted' };
  }

  /** Takes a message after a gap the caller has checked is real (retention deleted the offsets before it). */
  acceptGap(decoded: DecodedRecord, leaderEpoch: number, now: number): void {
    this.#append(this.#started(decoded.record), decoded, leaderEpoch, now);
  }

  /** Messages in hand for one partition. */
  size(key: string): number {
    return this.#partitions.get(key)?.records.length ?? 0;
  }

  /** Events (items) in hand for one partition; a message may hold several. */
  events(key: string): number {
    return this.#partitions.get(key)?.items ?? 0;
  }

  /** Partitions with messages in hand whose oldest has waited `maxWaitMs` by `now`. */
  due(now: number, maxWaitMs: number): string[] {
    const keys: string[] = [];
    for (const [key, state] of this.#partitions) if (state.records.length > 0 && now - state.oldestAt >= maxWaitMs) keys.push(key);
    return keys;
  }

  /** Messages in hand over all partitions. */
  inHand(): number {
    let total = 0;
    for (const state of this.#partitions.values()) total += state.records.length;
    return total;
  }

  /** Partitions with any message in hand. */
  pending(): string[] {
    return [...this.#partitions].filter(([, state]) => state.records.length > 0).map(([key]) => key);
  }

  /**
   * Partitions whose oldest message in hand was produced (its Kafka timestamp) at least `maxWaitMs`
   * before `now`, oldest first: a backlog, read well after it was written. Its events have already
   * waited longer than a batch would make them wait. `position` is the offset after the last
   * message in hand.
   */
  backlogs(now: number, maxWaitMs: number): Backlog[] {
    const old: (Backlog & { producedAt: bigint })[] = [];
    const limit = BigInt(now - maxWaitMs);
    for (const [key, state] of this.#partitions) {
      const producedAt = state.records[0]?.record.timestamp;
      if (producedAt !== undefined && producedAt <= limit) old.push({ key, topic: state.topic, partition: state.partition, position: state.position, producedAt });
    }
    old.sort((a, b) => (a.producedAt < b.producedAt ? -1 : a.producedAt > b.producedAt ? 1 : 0));
    return old.map(({ key, topic, partition, position }) => ({ key, topic, partition, position }));
  }

  /** When the next partition becomes due (ms), or undefined when nothing is in hand. */
  nextDeadline(maxWaitMs: number): number | undefined {
    let earliest: number | undefined;
    for (const state of this.#partitions.values()) {
      if (state.records.length > 0 && (earliest === undefined || state.oldestAt < earliest)) earliest = state.oldestAt;
    }
    return earliest === undefined ? undefined : earliest + maxWaitMs;
  }

  /**
   * Removes and returns whole messages from the front of a partition, as many as hold at most
   * `maxItems` events (always at least one message, however many it holds).
   */
  take(key: string, maxItems: number, now: number): PartitionBatch | undefined {
    const state = this.#partitions.get(key);
    if (state === undefined || state.records.length === 0) return undefined;
    let count = 0;
    let items = 0;
    while (count < state.records.length && (count === 0 || items + state.records[count]!.items.length <= maxItems)) {
      items += state.records[count]!.items.length;
      count++;
    }
    const taken = state.records.splice(0, count);
    state.items -= items;
    // What stays behind arrived after what was taken; it waits at most one more maxWaitMs.
    if (state.records.length > 0) state.oldestAt = now;
    return {
      topic: state.topic, partition: state.partition, records: taken.map((d) => d.record), items: taken.flatMap((d) => d.items), leaderEpoch: state.leaderEpoch,
    };
  }

  /**
   * Forgets every partition not in `owned` (revoked in a rebalance): their messages in hand were
   * not landed and their new owner reads them again from the committed offset. Returns how many
   * messages were dropped.
   */
  retainOnly(owned: ReadonlySet<string>): number {
    let dropped = 0;
    for (const [key, state] of this.#partitions) {
      if (owned.has(key)) continue;
      dropped += state.records.length;
      this.#partitions.delete(key);
    }
    return dropped;
  }

  /** Forgets everything (a new stream starts again from the committed offsets). */
  clear(): number {
    return this.retainOnly(new Set());
  }

  #started(record: Pick<KafkaRecord, 'topic' | 'partition'>): PartitionState {
    const state = this.#partitions.get(partitionKey(record.topic, record.partition));
    if (state === undefined) throw new Error(`partition ${record.topic}:${record.partition} was not started`);
    return state;
  }

  #append(state: PartitionState, decoded: DecodedRecord, leaderEpoch: number, now: number): void {
    if (state.records.length === 0) state.oldestAt = now;
    state.records.push(decoded);
    state.items += decoded.items.length;
    state.position = decoded.record.offset + 1n;
    state.leaderEpoch = leaderEpoch;
  }
}
