import { Worker } from 'node:worker_threads';
import type { CompressionAlgorithmValue } from '@platformatic/kafka';
import { SluiceError } from '@sluice/core';
import type { ProduceRound } from './produce-round.ts';
import { storageUnavailable } from './storage-unavailable.ts';

/**
 * The Kafka producers run on a thread of their own (producer-worker.ts): writing the lines,
 * compressing record batches and the client's request encoding cost about a third of the ingest
 * process's CPU per event, and the ingest thread (HTTP, parsing, validation) was the bottleneck
 * (docs/decisions/0011). The ingest thread hands each append over as a ProduceRound at once; the
 * producer thread gathers what is waiting into produce rounds itself, so a round starts as soon
 * as a producer is free, without waiting for the busy ingest thread to hear of the last one.
 * `append` rejects with SLUICE_ERR_STORAGE_UNAVAILABLE when Kafka refused or the thread died.
 */
export interface ProducerThread {
  /** Queues one append; resolves once Kafka acknowledged the round that carried it. */
  append(round: ProduceRound, transfer: ArrayBuffer[]): Promise<void>;
  /** Closes the producers and ends the thread; call once every append has been answered. */
  close(): Promise<void>;
}

/** One produce round as the producer thread reports it (for the group-commit metrics). */
export interface RoundReport {
  requests: number;
  events: number;
  durationMs: number;
  ok: boolean;
}

export interface ProducerThreadSettings {
  brokers: string[];
  clientId: string;
  topic: string;
  quarantineTopic: string;
  /** For topics created at startup. */
  topicLayout: { partitions?: number; replicationFactor?: number };
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  retries: number;
  startupTimeoutMs: number;
  compression: CompressionAlgorithmValue;
  producers: number;
  /** Most events (accepted + quarantined) one produce round carries. */
  maxBatchEvents: number;
}

export type ToProducerThread =
  | { type: 'append'; id: number; round: ProduceRound }
  | { type: 'close' };

export type FromProducerThread =
  | { type: 'ready' }
  | { type: 'failed'; reason: string }
  | { type: 'done'; ids: number[]; error?: string; report: RoundReport }
  | { type: 'closed' };

/** Starts the thread; it creates missing topics and registers the producers before this resolves. */
export async function startProducerThread(settings: ProducerThreadSettings, onRound: (report: RoundReport) => void = () => {}): Promise<ProducerThread> {
  const worker = new Worker(new URL('./producer-worker.ts', import.meta.url), { workerData: settings });
  const pending = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  let nextId = 0;
  let dead: SluiceError | null = null;
  let onClosed: (() => void) | null = null;

  const started = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromProducerThread) => {
      switch (message.type) {
        case 'ready':
          resolve();
          break;
        case 'failed':
          reject(new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', `Kafka is unavailable at ${settings.brokers.join(', ')}: ${message.reason}`));
          break;
        case 'done': {
          onRound(message.report);
          const error = message.error === undefined ? null : storageUnavailable(new Error(message.error));
          for (const id of message.ids) {
            const request = pending.get(id);
            pending.delete(id);
            if (error === null) request?.resolve();
            else request?.reject(error);
          }
          break;
        }
        case 'closed':
          onClosed?.();
          break;
      }
    });
    const die = (cause: unknown) => {
      dead ??= new SluiceError('SLUICE_ERR_STORAGE_UNAVAILABLE', 'the Kafka producer thread stopped', { cause });
      reject(dead);
      for (const request of pending.values()) request.reject(dead);
      pending.clear();
      onClosed?.();
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`exit code ${code}`)));
  });

  try {
    await started;
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  return {
    append(round, transfer) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'append', id, round } satisfies ToProducerThread, transfer);
      });
    },
    async close() {
      if (!dead) {
        await new Promise<void>((resolve) => {
          onClosed = resolve;
          worker.postMessage({ type: 'close' } satisfies ToProducerThread);
        });
      }
      await worker.terminate();
    },
  };
}
