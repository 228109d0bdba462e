/*
 * The preparation thread (docs/decisions/0020): runs prepareBatch for the ingest thread, one body
 * at a time, and sends the prepared body's bytes back without copying them.
 */
import { isSluiceError } from '@sluice/core';
import { createEventValidator } from '@sluice/schemas';
import { prepareBody } from '@sluice/warehouse-duckdb/prepare';
import { parentPort, workerData } from 'node:worker_threads';
import { createPrepareBatch } from './prepare-batch.ts';
import type { FromPreparation, PreparationSettings, ToPreparation } from './preparation-thread.ts';

const port = parentPort!;
const settings = workerData as PreparationSettings;
const prepareBatch = createPrepareBatch({
  validateEvent: createEventValidator(),
  // Each body arrives as this thread's own memory and is not read again once prepared: its entries
  // are compacted inside it, and it travels back as the prepared body's entries.
  prepareBody: (json, accepted) => prepareBody(json, accepted, { inPlace: true }),
  maxEventsPerBatch: settings.maxEventsPerBatch, maxFutureSkewMs: settings.maxFutureSkewMs,
});

port.on('message', ({ id, json, context }: ToPreparation) => {
  let reply: FromPreparation;
  try {
    reply = { id, batch: prepareBatch(json, context) };
  } catch (error) {
    reply = isSluiceError(error)
      ? { id, error: { code: error.code, message: error.message, ...(error.details ? { details: { ...error.details } } : {}) } }
      : { id, error: { code: 'SLUICE_ERR_INTERNAL', message: `preparing the batch failed: ${error instanceof Error ? error.message : String(error)}` } };
  }
  const body = 'batch' in reply ? reply.batch.body : null;
  port.postMessage(reply, body ? [body.ids.buffer, body.entries.buffer, body.entryEnds.buffer] as ArrayBuffer[] : []);
});
port.postMessage({ ready: true } satisfies FromPreparation);
