/**
 * Webhooks de-duplicated by the delivery, not by the operation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhook, type SessionHandler, type OperationUpdate } from '../../src/server/index.js';
import { RAMPOFF, PAYMENT, setup, call, post, sleep } from '../support/faults.js';

describe('webhooks: de-duplicated by the delivery, not by the operation', () => {
  async function deliver(h: SessionHandler, payload: object, signatureCase: 'lower' | 'upper' = 'lower') {
    const raw = JSON.stringify(payload);
    const ts = Math.floor(Date.now() / 1000);
    const signature = await signWebhook('s', raw, ts);
    const res = await call(h, 'webhooks', {
      method: 'POST',
      body: raw,
      headers: { 'X-API-Key': 'k', 'X-Timestamp': String(ts), 'X-Signature': signatureCase === 'upper' ? signature.toUpperCase() : signature },
    });
    return res.json();
  }

  it('flat payloads: COINS_SENT after PAY_IN for the same payment is applied; a replay in upper case is not', async () => {
    const { sim, h } = setup();
    const { id } = await (await call(h, 'onramp/payments', post(PAYMENT, 'buy-flat'))).json();
    await sim.step(id);
    assert.deepEqual(await deliver(h, { type: 'PAY_IN', id }), { received: true, applied: true });
    await sim.step(id);
    assert.deepEqual(await deliver(h, { type: 'COINS_SENT', id }), { received: true, applied: true });
    assert.deepEqual(await deliver(h, { type: 'COINS_SENT', id }, 'upper'), { received: true, applied: false, duplicate: true });
  });

  it('an out-of-order webhook never moves the status back, and the hook runs once per change', async () => {
    const updates: [string, OperationUpdate][] = [];
    const { sim, h } = setup({ onOperationUpdate: (op, update) => void updates.push([op.status, update]) });
    const { id } = await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-order'))).json();
    await sim.finish(id);
    assert.equal((await deliver(h, { event_id: 'e-2', type: 'TRANSFER_RAMPOFF_FINISHED', data: { id } })).applied, true);
    assert.equal((await deliver(h, { event_id: 'e-1', type: 'CRYPTO_RECEIVED', data: { id } })).applied, false);
    assert.equal((await deliver(h, { event_id: 'e-3', type: 'TRANSFER_RAMPOFF_FINISHED', data: { id } })).applied, false);
    await sleep(10);
    assert.deepEqual(
      updates.map(([status, u]) => [status, u.dedupeId, u.source, u.userId]),
      [
        ['created', `offramp:${id}:created`, 'create', '106'],
        ['completed', `offramp:${id}:completed`, 'webhook', '106'],
      ],
    );
    assert.equal(updates[1]![1].previousStatus, 'created');
  });

  it('a hook that throws is retried with backoff and logged, never lost silently', async () => {
    let calls = 0;
    const { h, logs } = setup({
      onOperationUpdate: () => {
        calls++;
        if (calls < 3) throw new Error('merchant database down');
      },
    });
    // the retry delays are the handler's (1 s, 5 s…): the first retry comes after a second
    await call(h, 'offramp/operations', post(RAMPOFF, 'sell-hook'));
    await sleep(50);
    assert.equal(calls, 1);
    assert.ok(
      logs.some((l) => /onOperationUpdate failed for offramp:\w+:created \(attempt 1\), retrying in 1000 ms: merchant database down/.test(l)),
      logs.join('\n'),
    );
    await sleep(1100);
    assert.equal(calls, 2);
  });
});
