/**
 * Whose operation: the resolved user, never the request; lists filtered by the handler itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SessionUser } from '../../src/server/index.js';
import { parsePayment, parseRampoff } from '../../src/server/upstream-map.js';
import { recorded, overrides, EU, RAMPOFF, handler, call, post } from '../support/handler-stub.js';

describe('whose operation: the resolved user, never the request', () => {
  it('another user posting the same Idempotency-Key gets an operation of their own, not the first user’s answer replayed', async () => {
    const store = new (await import('../../src/server/store.js')).MemoryStore();
    const a = await call(
      handler(EU, { store }),
      'onramp/payments',
      post(
        { fiatAmount: '50', fiat: 'EUR', symbol: 'USDC', chain: 'polygon', wallet: '0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a', method: 'card' },
        'shared-key-1',
      ),
    );
    const b = await call(
      handler({ id: 555, region: 'EU' }, { store }),
      'onramp/payments',
      post(
        { fiatAmount: '50', fiat: 'EUR', symbol: 'USDC', chain: 'polygon', wallet: '0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a', method: 'card' },
        'shared-key-1',
      ),
    );
    assert.equal(a.status, 201);
    assert.equal(b.headers.get('idempotent-replayed'), null, 'not a replay of user 106’s answer');
    const creates = recorded.filter((r) => r.path === '/api/createPayment').map((r) => JSON.parse(r.body).user_id);
    assert.deepEqual(creates, [106, 555], 'each user’s create went upstream as that user');
  });

  it('a user_id in the request body is ignored: the upstream gets the resolved user', async () => {
    await call(handler(), 'offramp/operations', post({ ...RAMPOFF, user_id: 999, userId: '999' }));
    assert.equal(JSON.parse(recorded.find((r) => r.path === '/api/createRampoff')!.body).user_id, 106);
  });

  it('each upstream shape keeps its own network field, and an operation read without our record keeps it', async () => {
    assert.equal(parsePayment({ id: 'p', status: 'started', coin_chain: 'polygon', blockchain: 'bsc' }).chain, 'polygon');
    assert.equal(parseRampoff({ id: 'r', status: 'pending', blockchain: 'bsc', coin_chain: 'polygon' }).chain, 'bsc');
    overrides['/api/payment/9NM6ICl2KDaUiMtkDm4JSTqdQ'] = {
      status: 200,
      body: '{"status":"ok","data":{"id":"9NM6ICl2KDaUiMtkDm4JSTqdQ","user_id":"106","status":"started","fiat_amount":15050,"coin_symbol":"USDC","coin_chain":"polygon","coin_amount":148.32}}',
    };
    const op = await (await call(handler(), 'onramp/payments/9NM6ICl2KDaUiMtkDm4JSTqdQ')).json();
    assert.equal(op.chain, 'polygon', 'no record of ours was needed for the network');
  });
});
describe('lists: the handler filters by the resolved user itself', () => {
  it('a sale our record gives to another user stays theirs in lists where the upstream row names no user', async () => {
    const store = new (await import('../../src/server/store.js')).MemoryStore();
    assert.equal((await call(handler({ id: 555, region: 'EU' }, { store }), 'offramp/operations', post(RAMPOFF))).status, 201);
    const row = {
      id: 'ExM63FJ9ZsAZF2VfTfU4rn7Sq',
      status: 'pending',
      blockchain: 'bsc',
      crypto: 'BUSD',
      amount: '1',
      decimals: 0,
      created_at: '2026-06-26T10:30:00Z',
    };
    overrides['/api/rampoffs'] = { status: 200, body: JSON.stringify({ status: 'ok', data: { items: [row] } }) };
    overrides['/api/payments'] = { status: 200, body: JSON.stringify({ status: 'ok', data: [] }) };
    const ids = async (user: SessionUser, path: string) =>
      ((await (await call(handler(user, { store }), path)).json()).items as { id: string }[]).map((i) => i.id);
    assert.deepEqual(await ids({ id: 555, region: 'EU' }, 'offramp/operations'), ['ExM63FJ9ZsAZF2VfTfU4rn7Sq']);
    assert.deepEqual(await ids(EU, 'offramp/operations'), []);
    assert.deepEqual(await ids(EU, 'activity'), []);
  });

  it('drops rows of other users and rows whose owner is unknown, keeps ours', async () => {
    const h = handler();
    await call(h, 'offramp/operations', post(RAMPOFF)); // our record of ExM63FJ9ZsAZF2VfTfU4rn7Sq
    const row = (id: string, extra: object) => ({
      id,
      status: 'pending',
      blockchain: 'bsc',
      crypto: 'BUSD',
      amount: '1000000000000000000',
      decimals: 18,
      created_at: '2026-06-26T10:30:00.000000Z',
      ...extra,
    });
    overrides['/api/rampoffs'] = {
      status: 200,
      body: JSON.stringify({
        status: 'ok',
        data: {
          items: [
            row('ExM63FJ9ZsAZF2VfTfU4rn7Sq', {}),
            row('OursByUserId00000000000001', { user_id: '106' }),
            row('SomeoneElse000000000000001', { user_id: '107', fiat_amount: '4600.00' }),
            row('NobodyKnows000000000000001', {}),
          ],
        },
      }),
    };
    const res = await call(h, 'offramp/operations');
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).items.map((i: { id: string }) => i.id).sort(), ['ExM63FJ9ZsAZF2VfTfU4rn7Sq', 'OursByUserId00000000000001']);
    overrides['/api/payments'] = { status: 200, body: JSON.stringify({ status: 'ok', data: [] }) };
    const activity = await (await call(h, 'activity')).json();
    assert.ok(!JSON.stringify(activity).includes('4600'), 'another user’s 4,600 EUR sale never shows');
  });
});
