/**
 * The session handler's idempotent creates.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recorded, overrides, RAMPOFF, handler, call, post } from '../support/handler-stub.js';

describe('session handler: idempotent creates', () => {
  it('replays the first answer for the same key: one upstream create', async () => {
    const h = handler();
    const [a, b] = await Promise.all([call(h, 'offramp/operations', post(RAMPOFF)), call(h, 'offramp/operations', post(RAMPOFF))]);
    const c = await call(h, 'offramp/operations', post(RAMPOFF));
    assert.deepEqual([a.status, b.status, c.status], [201, 201, 201]);
    assert.equal(c.headers.get('idempotent-replayed'), 'true');
    assert.equal(recorded.filter((r) => r.path === '/api/createRampoff').length, 1);
  });

  it('refuses the same key with a different body (422)', async () => {
    const h = handler();
    await call(h, 'offramp/operations', post(RAMPOFF));
    const res = await call(h, 'offramp/operations', post({ ...RAMPOFF, amount: '21' }));
    assert.equal(res.status, 422);
    assert.equal((await res.json()).error.code, 'idempotency_mismatch');
  });

  it('lets a create the API refused with a retryable code be sent again with the same key', async () => {
    const h = handler();
    overrides['/api/createRampoff'] = { status: 200, body: '{"status":"error","error":"error_payment_creation"}' };
    assert.equal((await call(h, 'offramp/operations', post(RAMPOFF))).status, 502);
    delete overrides['/api/createRampoff'];
    assert.equal((await call(h, 'offramp/operations', post(RAMPOFF))).status, 201);
    assert.equal(recorded.filter((r) => r.path === '/api/createRampoff').length, 2);
  });

  it('replays a definitive refusal for the same key without asking again', async () => {
    const h = handler();
    overrides['/api/createRampoff'] = { status: 200, body: '{"status":"error","error":"limit_exceded"}' };
    const first = await call(h, 'offramp/operations', post(RAMPOFF));
    delete overrides['/api/createRampoff'];
    const again = await call(h, 'offramp/operations', post(RAMPOFF));
    assert.deepEqual([first.status, again.status], [422, 422]);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(recorded.filter((r) => r.path === '/api/createRampoff').length, 1);
  });
});
