/**
 * A lander in a process of its own whose warehouse is the parent's, over IPC (ipc-warehouse.ts):
 * several of them can share one chDB warehouse, and any can be killed with SIGKILL.
 *
 *   fork('ipc-lander-process.ts', ['<json: IpcLanderOptions>'], { serialization: 'advanced' })
 *
 * Sends `{ status: { partitions } }` whenever the partitions it owns change; SIGTERM stops it gracefully.
 */
import { RESERVATION_SPAN } from '@sluice/warehouse-clickhouse';
import { createLander, createStderrLog, runLanderUntilSignal } from '../src/index.ts';
import { ipcWarehouse } from './ipc-warehouse.ts';

export interface IpcLanderOptions {
  brokers: string[];
  topic: string;
  quarantineTopic: string;
  sequenceTopic: string;
  groupId: string;
  maxBatchEvents: number;
}

const options = JSON.parse(process.argv[2] ?? '') as IpcLanderOptions;
const lander = createLander(
  {
    ...options, maxWaitMs: 100, lagIntervalMs: 500,
    // The broker's minimum: the others need not wait 30 s for a killed one's partitions.
    sessionTimeoutMs: 6000,
  },
  { warehouse: ipcWarehouse(RESERVATION_SPAN), log: createStderrLog() },
);
let reported = '';
const timer = setInterval(() => {
  const partitions = lander.status().partitions;
  if (partitions.join() === reported || !process.connected) return;
  reported = partitions.join();
  process.send!({ status: { partitions } });
}, 50);
try {
  await runLanderUntilSignal(lander);
} finally {
  clearInterval(timer);
  process.disconnect();
}
