import { Worker } from 'node:worker_threads';
import type { CompressionAlgorithmValue } from '@platformatic/kafka';
import { SluiceError } from '@sluice/core';
import type { ProduceRound } from './produce-round.ts';
import { storageUnavailable } from './storage-unavailable.ts';

/**
 * The Kafka producers run on a thread of their own (producer-worker.ts): writing the lines,
 * compressing record batches and the client's request encoding cost about a third of the ingest
 * process's CPU per event, and the ingest thread (HTTP, parsing, validation) was the bottleneck
 * (docs/decisions/0011). The ingest thread hands each round over as a ProduceRound and waits
 * for the answer; `produce` rejects with SLUICE_ERR_STORAGE_UNAVAILABLE when Kafka refused or
 * the thread died.
 */
export interface ProducerThread {
  /** Sends one round through producer `lane`; resolves once Kafka acknowledged all of it. */
  produce(lane: number, round: ProduceRound, transfer: ArrayBuffer[]): Promise<void>;
  /** Closes the producers (after the rounds in flight) and ends the thread. */
  close(): Promise<void>;
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
}

export type ToProducerThread =
  | { type: 'produce'; id: number; lane: number; round: ProduceRound }
  | { type: 'close' };

export type FromProducerThread =
  | { type: 'ready' }
  | { type: 'failed'; reason: string }
  | { type: 'done'; id: number; error?: string }
  | { type: 'closed' };

/** Starts the thread; it creates missing topics and registers the producers before this resolves. */
export async function startProducerThread(settings: ProducerThreadSettings): Promise<ProducerThread> {
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
          const request = pending.get(message.id);
          pending.delete(message.id);
          if (message.error === undefined) request?.resolve();
          else request?.reject(storageUnavailable(new Error(message.error)));
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
    produce(lane, round, transfer) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'produce', id, lane, round } satisfies ToProducerThread, transfer);
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
