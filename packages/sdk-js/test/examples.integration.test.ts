/**
 * Shared test vectors through the real server: the example events sent by the SDK are stored as the
 * same rows as the example files posted unchanged over plain HTTP (the reference), apart from what
 * each sender owns (context.sdk, the request's sent_at). The Python SDK's suite compares its rows,
 * and the rows of this SDK's build (test/cross-language/send-examples.mjs), against the same reference.
 */
import { loadExamples } from '@sluice/schemas';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OTHER_WRITE_KEY } from '../../../services/ingest/test/helpers.ts';
import { createClient, type DeliveryError, type GenerationInput } from '../src/index.ts';
import { startIngest, WRITE_KEY, type Ingest, type StoredEvent } from './support/ingest.ts';

const examples = loadExamples().valid.map((e) => e.event as Record<string, unknown>);
let ingest: Ingest;
before(async () => {
  ingest = await startIngest();
});
after(() => ingest.stop());

/** A stored row without what differs per sender: the ingest sequence, source, sent_at and context.sdk. */
function comparable(row: StoredEvent): Record<string, unknown> {
  const { ingest_seq: _seq, source: _source, sent_at: _sentAt, received_at: _received, timestamp: _timestamp, event, ...columns } = row as StoredEvent & Record<string, unknown>;
  const { sent_at: _eventSentAt, context, ...payload } = event;
  const { sdk: _sdk, ...restOfContext } = (context ?? {}) as Record<string, unknown>;
  return { ...columns, event: { ...payload, ...(Object.keys(restOfContext).length > 0 && { context: restOfContext }) } };
}

test('every example sent through the SDK is stored like the example file posted as is', async () => {
  const reference = await fetch(`${ingest.url}/v1/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${OTHER_WRITE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sent_at: new Date().toISOString(), events: examples }),
  });
  assert.deepEqual(await reference.json(), { accepted: examples.length, duplicates: 0, rejected: [] });

  const errors: DeliveryError[] = [];
  const client = createClient({ endpoint: ingest.url, writeKey: WRITE_KEY, flushAt: 1000, onError: (e) => errors.push(e) });
  for (const { type, sent_at: _sentAt, ...fields } of examples) {
    if (type === 'track') {
      const { name, properties, ...rest } = fields;
      client.track(String(name), properties as Record<string, unknown>, rest);
    } else {
      const method = { generation: 'generation', feedback: 'feedback', outcome: 'outcome', consent: 'consent', erasure_request: 'erasureRequest' }[String(type)] as 'generation';
      client[method](fields as GenerationInput);
    }
  }
  assert.deepEqual(await client.shutdown(), { pending: 0 });
  assert.deepEqual(errors, []);

  const rows = await ingest.events();
  const bySource = (source: string) => new Map(rows.filter((r) => r.source === source).map((r) => [r.event_id, r]));
  const sdkRows = bySource('support-web');
  const referenceRows = bySource('coding-ide');
  assert.equal(sdkRows.size, examples.length);
  for (const [eventId, referenceRow] of referenceRows) {
    const sdkRow = sdkRows.get(eventId);
    assert.ok(sdkRow, `${eventId} stored from the SDK`);
    assert.deepEqual(comparable(sdkRow), comparable(referenceRow), `${eventId} (${referenceRow.type})`);
  }
});
