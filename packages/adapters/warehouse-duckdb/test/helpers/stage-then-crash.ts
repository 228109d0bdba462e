/**
 * Child process for the crash test: stages batches with the materialiser held back, prints each
 * acknowledged batch's event ids as one JSON line, and then waits to be killed with SIGKILL.
 */
import { createDuckDbWarehouse } from '../../src/index.ts';
import { stagedBatch } from './staged-batches.ts';

const warehouse = await createDuckDbWarehouse({ path: process.argv[2]!, materializeIdleMs: 3_600_000, materializeUrgentEvents: Infinity });
for (let i = 0; i < 5; i++) {
  const batch = stagedBatch(40);
  await warehouse.append(batch);
  process.stdout.write(`${JSON.stringify(batch.events.map((e) => e.eventId))}\n`);
}
process.stdout.write(`pending ${warehouse.materialization().pendingEvents}\n`);
setInterval(() => undefined, 1000);
