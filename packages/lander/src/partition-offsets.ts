import type { Consumption } from './consumption.ts';
import { partitionKey, type Backlog } from './partition-buffers.ts';

/**
 * What the lander asks Kafka about its partitions' offsets, asked ahead or remembered: where a
 * newly assigned partition starts (asked at assignment rather than when its first message arrives,
 * which would hold up the read loop) and where a partition ends (see `atEnd`). Forgotten at every
 * rebalance and reconnect.
 */
export class PartitionOffsets {
  readonly #starts = new Map<string, Promise<bigint>>();
  readonly #ends = new Map<string, bigint>();

  /** Forgets everything; with a consumer, asks where each of `unstarted` starts. */
  reset(consumption: Consumption | undefined, unstarted: readonly { topic: string; partition: number }[] = []): void {
    this.#starts.clear();
    this.#ends.clear();
    if (consumption === undefined) return;
    for (const { topic, partition } of unstarted) {
      const position = consumption.startOffset(topic, partition);
      position.catch(() => undefined); // awaited by start(), whose caller fails the stream on an error
      this.#starts.set(partitionKey(topic, partition), position);
    }
  }

  /**
   * Where the partition starts (the group's committed offset, else the log start), for its first
   * message read, at `firstOffset`. An answer asked ahead that is behind that message is asked
   * again: the partition's previous owner may have committed since (its last commit can land after
   * the rebalance), and a stale start would look like offsets skipped by the stream.
   */
  async start(consumption: Consumption, topic: string, partition: number, firstOffset: bigint): Promise<bigint> {
    const key = partitionKey(topic, partition);
    const asked = this.#starts.get(key);
    this.#starts.delete(key);
    if (asked !== undefined) {
      const position = await asked;
      if (position >= firstOffset) return position;
    }
    return consumption.startOffset(topic, partition);
  }

  /**
   * Whether the messages in hand reach the end of their partition: nothing more to wait for. Kafka
   * is asked only when the end it gave last time is not beyond them (the rest is on its way).
   */
  async atEnd(consumption: Consumption, backlog: Backlog): Promise<boolean> {
    const known = this.#ends.get(backlog.key);
    if (known !== undefined && known > backlog.position) return false;
    const end = await consumption.endOffset(backlog.topic, backlog.partition);
    this.#ends.set(backlog.key, end);
    return end <= backlog.position;
  }
}
