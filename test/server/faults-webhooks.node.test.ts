/**
 * Webhooks de-duplicated by the delivery, not by the operation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhook, type SessionHandler, type OperationUpdate } from '../../src/server/index.js';
import { RecordingStore } from '../support/recording-store.js';
import { RAMPOFF, PAYMENT, EU, instance, setup, call, post, sleep } from '../support/faults.js';

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

describe('webhooks: what the route reads of a delivery', () => {
  async function deliver(h: SessionHandler, payload: object, signature?: string) {
    const raw = JSON.stringify(payload);
    const ts = Math.floor(Date.now() / 1000);
    return call(h, 'webhooks', {
      method: 'POST',
      body: raw,
      headers: { 'X-API-Key': 'k', 'X-Timestamp': String(ts), 'X-Signature': signature ?? (await signWebhook('s', raw, ts)) },
    });
  }
  /** A sale the simulator has moved to crypto_received, which no webhook has told the handler yet. */
  async function movedSale(h: SessionHandler, sim: ReturnType<typeof setup>['sim'], key: string) {
    const { id } = (await (await call(h, 'offramp/operations', post(RAMPOFF, key))).json()) as { id: string };
    await sim.step(id);
    return id;
  }

  it('without a webhook secret there is no webhook endpoint (404), and a wrong signature is a 401 in words', async () => {
    const { sim } = setup();
    const plain = instance({ fetch: sim.fetch, resolveUser: () => EU });
    const none = await deliver(plain, { type: 'PAY_IN', id: 'abc' });
    assert.deepEqual([none.status, await none.json()], [404, { error: { code: 'not_found', message: 'Webhooks are not configured.' } }]);
    const { h } = setup();
    const forged = await deliver(h, { type: 'PAY_IN', id: 'abc' }, '0'.repeat(64));
    assert.deepEqual([forged.status, await forged.json()], [401, { error: { code: 'invalid_signature', message: 'Webhook signature rejected.' } }]);
  });

  it('reads the type under type, event or event_type in any case, and the operation under each id name', async () => {
    const { sim, h } = setup();
    const spellings = [
      { event: 'crypto_received', data: { rampoff_id: '' } },
      { event_type: 'Crypto_Received', data: { operation_id: '' } },
      { type: 'CRYPTO_RECEIVED', payment_id: '' },
    ];
    for (const [n, spelling] of spellings.entries()) {
      const id = await movedSale(h, sim, `sell-spelling-${n}`);
      const payload = JSON.parse(JSON.stringify(spelling).replace('""', JSON.stringify(id))) as object;
      assert.deepEqual(await (await deliver(h, payload)).json(), { received: true, applied: true }, JSON.stringify(payload));
    }
  });

  it('an unknown type or an id of another shape is received and not applied', async () => {
    const { sim, h } = setup();
    const id = await movedSale(h, sim, 'sell-odd-id');
    for (const payload of [
      { type: 'SOMETHING_ELSE', data: { id } },
      { type: 'CRYPTO_RECEIVED', data: { id: `${id}!` } },
      { type: 'CRYPTO_RECEIVED', data: { id: `!${id}` } },
      { type: 'CRYPTO_RECEIVED', data: {} },
    ]) {
      assert.deepEqual(await (await deliver(h, payload)).json(), { received: true, applied: false }, JSON.stringify(payload));
    }
    assert.deepEqual(await (await deliver(h, { type: 'CRYPTO_RECEIVED', data: { id } })).json(), { received: true, applied: true });
  });

  it('a delivery is known by webhook_id, delivery_id or a nested payload’s own id, whatever else changed in it', async () => {
    const { sim, h } = setup();
    for (const [n, name] of ['webhook_id', 'delivery_id', 'id'].entries()) {
      const id = await movedSale(h, sim, `sell-delivery-${n}`);
      const first = await (await deliver(h, { [name]: `d-${n}`, type: 'CRYPTO_RECEIVED', data: { id }, attempt: 1 })).json();
      const again = await (await deliver(h, { [name]: `d-${n}`, type: 'CRYPTO_RECEIVED', data: { id }, attempt: 2 })).json();
      assert.deepEqual(
        [first, again],
        [
          { received: true, applied: true },
          { received: true, applied: false, duplicate: true },
        ],
        name,
      );
    }
    // a flat payload's id is the operation's: another delivery for the same operation is not a duplicate
    const id = await movedSale(h, sim, 'sell-delivery-flat');
    await deliver(h, { type: 'CRYPTO_RECEIVED', id, attempt: 1 });
    assert.deepEqual(await (await deliver(h, { type: 'CRYPTO_RECEIVED', id, attempt: 2 })).json(), { received: true, applied: false });
  });
});

describe('webhooks: how long a delivery is remembered', () => {
  it('a delivery id is kept a day, so the API’s retries within a day are recognised', async () => {
    const store = new RecordingStore();
    const { sim, h } = setup({ store });
    const { id } = (await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-ttl'))).json()) as { id: string };
    await sim.step(id);
    const raw = JSON.stringify({ event_id: 'e-ttl', type: 'CRYPTO_RECEIVED', data: { id } });
    const ts = Math.floor(Date.now() / 1000);
    await call(h, 'webhooks', {
      method: 'POST',
      body: raw,
      headers: { 'X-API-Key': 'k', 'X-Timestamp': String(ts), 'X-Signature': await signWebhook('s', raw, ts) },
    });
    assert.deepEqual(store.ttls('webhook:'), [24 * 60 * 60 * 1000]);
  });
});
