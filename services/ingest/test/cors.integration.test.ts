import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_TOKEN, createTestApp, exampleEvent, postBatch, removeDir, testConfig, type TestApp } from './helpers.ts';

describe('CORS on the capture endpoints', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp({ config: testConfig({ ingest: { corsOrigins: ['https://app.example.com'] } }) }); });
  after(async () => { await t.close(); await removeDir(t.dir); });

  test('a preflight from an allowed origin is answered 204 with the methods and headers a fetch needs', async () => {
    const response = await t.app.inject({
      method: 'OPTIONS', url: '/v1/batch',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    assert.equal(response.statusCode, 204);
    assert.equal(response.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.match(String(response.headers['access-control-allow-headers']), /authorization/);
    assert.match(String(response.headers['access-control-allow-methods']), /POST/);
  });

  test('responses to allowed origins carry the origin, errors included, so the SDK can read them', async () => {
    const ok = await postBatch(t.app, { events: [exampleEvent('track')] }, { origin: 'https://app.example.com' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example.com');
    const denied = await postBatch(t.app, { events: [] }, { origin: 'https://app.example.com', authorization: 'Bearer nope_nope_nope' });
    assert.equal(denied.statusCode, 401);
    assert.equal(denied.headers['access-control-allow-origin'], 'https://app.example.com');
  });

  test('other origins and non-capture routes get no CORS headers', async () => {
    const other = await t.app.inject({ method: 'OPTIONS', url: '/v1/batch', headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' } });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
    const admin = await t.app.inject({ method: 'GET', url: '/v1/events', headers: { origin: 'https://app.example.com', authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(admin.statusCode, 200);
    assert.equal(admin.headers['access-control-allow-origin'], undefined);
  });
});
