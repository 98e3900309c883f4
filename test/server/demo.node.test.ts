/**
 * The demo's backend as `npm start` wires it (session handler + simulator serving its own pages on the demo's origin):
 * a card purchase paid on the simulator's hosted checkout reaches `coins_sent` with no network at all, and a bank
 * transfer arrives when "simulate the incoming transfer" quotes its reference.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBackend } from '../../demo/backend.js';
import { until } from '../support/until.js';

const ORIGIN = 'http://localhost:8080';
const WALLET = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

function demo() {
  const backend = createBackend({
    publicOrigin: ORIGIN,
    pagesUrl: ORIGIN,
    simulatorClocks: { sendMs: 300 },
    sessions: [{ basePath: '/session', resolveUser: () => ({ id: 106, region: 'EU' }) }],
    handlerOptions: { pollMs: { first: 50, max: 100 } },
  });
  const call = (path: string, init: RequestInit = {}) => backend.handle(new Request(`${ORIGIN}${path}`, init));
  const buy = (method: string, key: string) =>
    call('/session/onramp/payments', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', 'idempotency-key': key },
      body: JSON.stringify({ fiatAmount: '100', method, symbol: 'USDC', chain: 'polygon', wallet: WALLET, callbackUrl: `${ORIGIN}/` }),
    });
  const status = async (id: string) => (await (await call(`/session/onramp/payments/${id}`)).json()).status as string;
  return { backend, call, buy, status };
}

describe('the demo, offline end to end', () => {
  it('a card purchase: the hosted checkout on the demo origin takes the payment, returns to the shop, and the tokens arrive (coins_sent)', async () => {
    const t = demo();
    const made = await t.buy('card', 'demo-card-0001');
    assert.equal(made.status, 201);
    const { id, paymentUrl } = await made.json();
    assert.ok(paymentUrl.startsWith(`${ORIGIN}/gateway/psd2?token=`), paymentUrl);
    const page = await t.call(new URL(paymentUrl).pathname + new URL(paymentUrl).search);
    const form = await page.text();
    assert.match(form, /<button type="submit" name="action" value="pay">Pay 100 EUR<\/button>/);
    assert.equal(await t.status(id), 'created', 'nothing is paid before the user pays');
    const paid = await t.call(new URL(paymentUrl).pathname + new URL(paymentUrl).search, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=pay',
    });
    const receipt = await paid.text();
    assert.match(receipt, /We received 100 EUR/);
    assert.match(receipt, new RegExp(`<a href="${ORIGIN}/">Return to the shop</a>`));
    await until(async () => (await t.status(id)) === 'completed', 'coins_sent', { ms: 5000, every: 50 });
    const upstream = t.backend.simulator!.payments.get(id)!;
    assert.equal(upstream.status, 'coins_sent');
    t.backend.close();
  });

  it('a declined card payment charges nothing: the purchase stays waiting for the payment', async () => {
    const t = demo();
    const { id, paymentUrl } = await (await t.buy('card', 'demo-card-0002')).json();
    const url = new URL(paymentUrl);
    const declined = await t.call(url.pathname + url.search, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=decline',
    });
    assert.match(await declined.text(), /The payment was declined. Nothing was charged./);
    assert.equal(await t.status(id), 'created');
    t.backend.close();
  });

  it('a bank transfer: "simulate the incoming transfer" with the reference the user was shown moves it to coins_sent; a wrong reference moves nothing', async () => {
    const t = demo();
    const { id, bankTransfer } = await (await t.buy('transfer', 'demo-transfer-01')).json();
    assert.match(bankTransfer.reference, /^\d+$/);
    const wrong = await t.call('/_simulator/transfer', { method: 'POST', body: JSON.stringify({ concept: '1' }) });
    assert.equal(wrong.status, 404);
    assert.equal(await t.status(id), 'created');
    const right = await t.call('/_simulator/transfer', { method: 'POST', body: JSON.stringify({ concept: bankTransfer.reference }) });
    assert.equal(right.status, 200);
    await until(async () => (await t.status(id)) === 'completed', 'coins_sent', { ms: 5000, every: 50 });
    t.backend.close();
  });
});
