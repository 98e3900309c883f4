import { toChecksumAddress } from '../../src/lib/address.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBackend } from '../../demo/backend.js';
import { createSimulator } from '../../src/simulator/index.js';

const sim = () => createSimulator({ apiKey: 'k' });

async function api(s: ReturnType<typeof sim>, path: string, init: RequestInit & { auth?: string | null } = {}) {
  const headers = new Headers(init.headers);
  if (init.auth !== null) headers.set('auth', init.auth ?? 'k');
  const res = await s.handle(new Request(`http://api.test${path}`, { ...init, headers }));
  return { status: res.status, body: await res.json() };
}

const payment = (extra: Record<string, unknown> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    user_id: 106,
    payment_type: 'card',
    fiat_symbol: 'EUR',
    fiat_amount: 100,
    coin_symbol: 'USDC',
    coin_chain: 'polygon',
    wallet: '0x' + 'a'.repeat(40),
    ...extra,
  }),
});

describe('simulator speaks the documented API', () => {
  it('refuses a missing or wrong auth header with authorization_incorrect on HTTP 200', async () => {
    const s = sim();
    assert.deepEqual(await api(s, '/api/kyc/check?user_id=106', { auth: null }), { status: 200, body: { status: 'error', error: 'authorization_incorrect' } });
    assert.deepEqual(await api(s, '/api/kyc/check?user_id=106', { auth: 'nope' }), {
      status: 200,
      body: { status: 'error', error: 'authorization_incorrect' },
    });
  });

  it('answers card payments with "success" and transfers with "sucess" and a numeric concept', async () => {
    const s = sim();
    const card = await api(s, '/api/createPayment', payment());
    assert.equal(card.body.status, 'success');
    assert.equal(card.body.message, 'payment_created');
    assert.match(card.body.data.url_payment, /^https:\/\/demo\.cryptopocket\.io\/gateway\/psd2\?token=/);
    assert.match(card.body.data.payment_id, /^[A-Za-z0-9]{25}$/);
    const transfer = await api(s, '/api/createPayment', payment({ payment_type: 'transfer' }));
    assert.equal(transfer.body.status, 'sucess');
    assert.equal(typeof transfer.body.data.concept, 'number');
  });

  it('reproduces the documented business errors', async () => {
    const s = sim();
    assert.deepEqual((await api(s, '/api/createPayment', payment({ fiat_amount: 10 }))).body, { status: 'error', error: 'min_purchase', message: '20' });
    assert.equal((await api(s, '/api/createPayment', payment({ coin_symbol: 'USDT', coin_chain: 'ethereum' }))).body.error, 'coin_not_supported');
    assert.equal((await api(s, '/api/createPayment', payment({ fiat_amount: 6000 }))).body.error, 'limit_exceded');
    const kyc = await api(s, '/api/createPayment', payment({ user_id: 107 }));
    assert.equal(kyc.body.error, 'require_kyc');
    assert.match(kyc.body.data, /^https:\/\//);
    assert.equal((await api(s, '/api/createPayment', payment({ user_id: undefined }))).body.error, 'fail_mandatory_field');
    assert.equal((await api(s, '/api/createPayment', payment({ user_id: 1 }))).body.error, 'user_not_found');
    assert.equal((await api(s, '/api/createPayment', payment({ payment_type: 'KHIPU' }))).body.error, 'method_not_allowed');
  });

  it('moves payments started → payment_received → coins_sent with cents and a txid', async () => {
    const s = sim();
    const id = (await api(s, '/api/createPayment', payment({ fiat_amount: 150.5 }))).body.data.payment_id;
    const read = async () => (await api(s, `/api/payment/${id}`)).body.data;
    assert.equal((await read()).status, 'started');
    assert.equal((await read()).fiat_amount, 15050);
    assert.equal((await read()).user_id, '106');
    await s.step(id);
    assert.equal((await read()).status, 'payment_received');
    await s.step(id);
    const done = await read();
    assert.equal(done.status, 'coins_sent');
    assert.match(done.txid, /^0x[0-9a-f]{64}$/);
    assert.equal(await s.step(id), 0, 'a finished payment does not move');
  });

  it('moves rampoffs pending → crypto_received → finished, amounts in base units', async () => {
    const s = sim();
    const created = await api(s, '/api/createRampoff', {
      method: 'POST',
      body: JSON.stringify({ user_id: 106, amount: 20, symbol: 'ETH', blockchain: 'ethereum', iban: 'ES9121000418450200051332' }),
    });
    assert.equal(created.body.data.rampoff, 'payment created');
    assert.match(created.body.data.wallet, /^0x[0-9a-fA-F]{40}$/);
    assert.equal(created.body.data.wallet, toChecksumAddress(created.body.data.wallet), 'EIP-55 mixed case, as wallets write them');
    const id = created.body.data.id;
    await s.finish(id);
    const { data } = (await api(s, `/api/getRampoff?id=${id}`)).body;
    assert.deepEqual(
      { ...data, id: undefined },
      { id: undefined, status: 'finished', blockchain: 'ethereum', crypto: 'ETH', amount: '20000000000000000000', decimals: 18, fiat_amount: '56430' },
    );
  });

  it('signs webhooks that the session handler verifies, and the status stream carries them', async () => {
    const backend = createBackend({
      publicOrigin: 'http://shop.test',
      sessions: [{ basePath: '/s', resolveUser: () => ({ id: 106, region: 'EU' }) }],
      log: () => {},
    });
    const s = backend.simulator!;
    const create = await backend.handle(
      new Request('http://shop.test/s/offramp/operations', {
        method: 'POST',
        headers: { 'idempotency-key': 'sim-test-key-1', 'content-type': 'application/json' },
        body: JSON.stringify({ amount: '10', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' }),
      }),
    );
    const { id } = await create.json();
    const abort = new AbortController();
    const stream = await backend.handle(new Request(`http://shop.test/s/events?flow=offramp&id=${id}`, { signal: abort.signal }));
    assert.equal(stream.headers.get('content-type'), 'text/event-stream');
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) text += (await reader.read()).value ?? '';
    };
    await readUntil('"status":"created"');
    await s.step(id);
    await readUntil('"status":"funds_received"');
    await s.step(id);
    await readUntil('"status":"completed"');
    assert.ok(
      s.webhooks.every((w) => w.status === 200),
      JSON.stringify(s.webhooks),
    );
    assert.deepEqual(
      s.webhooks.map((w) => w.type),
      ['CRYPTO_RECEIVED', 'TRANSFER_RAMPOFF_FINISHED'],
    );
    assert.match(text, /"fiatAmount":"9.11"/);
    abort.abort();
    backend.close();
  });

  it('accepts webhook subscriptions form-encoded', async () => {
    const s = sim();
    const res = await s.handle(
      new Request('http://api.test/api/subscribeToWebhook', {
        method: 'POST',
        headers: { auth: 'k', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'url=https%3A%2F%2Fshop.test%2Fhook&type=COINS_SENT',
      }),
    );
    assert.deepEqual(await res.json(), { status: 'ok', data: 'subscription_created' });
  });
});

describe('session handler + simulator: activity and lookups', () => {
  it('merges both lists newest first, masks the IBAN, and finds a create by its key', async () => {
    const backend = createBackend({
      publicOrigin: 'http://shop.test',
      sessions: [{ basePath: '/s', resolveUser: () => ({ id: 106, region: 'EU' }) }],
      log: () => {},
    });
    const call = (path: string, init?: RequestInit) => backend.handle(new Request(`http://shop.test/s/${path}`, init));
    const create = (path: string, key: string, body: unknown) =>
      call(path, { method: 'POST', headers: { 'idempotency-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const sale = await (
      await create('offramp/operations', 'activity-key-1', { amount: '10', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' })
    ).json();
    await new Promise((r) => setTimeout(r, 5));
    const buy = await (
      await create('onramp/payments', 'activity-key-2', {
        fiatAmount: '50',
        fiat: 'EUR',
        symbol: 'USDC',
        chain: 'polygon',
        wallet: '0x' + 'b'.repeat(40),
        method: 'card',
      })
    ).json();
    const activity = await (await call('activity')).json();
    assert.deepEqual(
      activity.items.map((i: { id: string }) => i.id),
      [buy.id, sale.id],
    );
    assert.equal(activity.items[1].ibanMasked, '••••1332');
    assert.equal(activity.items[0].fiatAmount, '50');
    const found = await call('offramp/operations/by-key/activity-key-1');
    assert.equal(found.status, 200);
    assert.deepEqual(await found.json(), sale);
    assert.equal((await call('offramp/operations/by-key/never-used-key')).status, 404);
    const status = await (await call(`onramp/payments/${buy.id}`)).json();
    assert.match(status.paymentUrl, /^https:\/\/demo\.cryptopocket\.io\//, 'how to pay survives a reload');
    backend.close();
  });
});
