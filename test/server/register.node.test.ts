/**
 * Registration of a merchant user who has no Cryptopocket account yet: the handler in front of the simulator
 * in-process. Identity comes from resolveUser only; one account per merchant user, whatever is pressed twice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSessionHandler, type SessionUser } from '../../src/server/index.js';
import { createSimulator } from '../../src/simulator/index.js';

function setup(users: Record<string, SessionUser>, editable: ('name' | 'email')[] = [], now?: () => number) {
  const simulator = createSimulator({ apiKey: 'k', ...(now ? { now, kycReviewMs: 3000 } : {}) });
  const registered: { user: SessionUser; id: string; url: string | undefined }[] = [];
  const handler = createSessionHandler({
    apiOrigin: 'http://simulator.invalid',
    apiKey: 'k',
    basePath: '/s',
    fetch: simulator.fetch,
    log: () => {},
    resolveUser: (request) => users[request.headers.get('x-user') ?? ''] ?? null,
    registration: { editable, termsUrl: 'https://cryptopocket.io/terms', onUserRegistered: (user, id, url) => void registered.push({ user, id, url }) },
  });
  const call = (who: string, path: string, body?: unknown, key = `key-${who}-00000`) =>
    handler(
      new Request(`http://shop.test/s/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'x-user': who, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', 'idempotency-key': key },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  const registrations = () => simulator.requests.filter((r) => r.path === '/api/registerUser').length;
  return { simulator, handler, call, registered, registrations, close: () => (handler.close(), simulator.close()) };
}

describe('the in-memory store', () => {
  it('setIfAbsent is one winner among callers at the same moment (claims and locks rely on it)', async () => {
    const { MemoryStore } = await import('../../src/server/index.js');
    const store = new MemoryStore();
    const wins = await Promise.all(Array.from({ length: 50 }, () => store.setIfAbsent('claim', 'x', 60_000)));
    assert.equal(wins.filter(Boolean).length, 1);
  });
});

describe('registration (a merchant user without a Cryptopocket account)', () => {
  it('config says account none with what registering needs; nothing else works before; register makes one account, handed to the merchant once', async () => {
    const t = setup({ nina: { merchantUserId: 'shop-42', region: 'EU', name: 'Nina Ros', email: 'nina@shop.test' } });
    const before = await (await t.call('nina', 'config')).json();
    assert.equal(before.account, 'none');
    assert.deepEqual(before.registration, { name: 'Nina Ros', email: 'nina@shop.test', editable: [], termsUrl: 'https://cryptopocket.io/terms' });
    const quote = await t.call('nina', 'onramp/quote?amount=50&symbol=USDC&chain=polygon');
    assert.equal(quote.status, 403);
    assert.equal((await quote.json()).error.code, 'account_required');
    // the body cannot change what the merchant did not make editable, nor say who registers
    const made = await t.call('nina', 'register', { email: 'someone-else@shop.test', user_id: 106, merchantUserId: 'shop-1' });
    assert.equal(made.status, 201);
    assert.deepEqual(await made.json(), { kycUrl: `https://demo.cryptopocket.io/kyc/${t.registered[0]!.id}` });
    assert.equal(t.registered.length, 1);
    assert.equal(t.registered[0]!.user.merchantUserId, 'shop-42');
    const sent = JSON.parse(t.simulator.requests.find((r) => r.path === '/api/registerUser')!.body);
    assert.deepEqual({ name: sent.name, email: sent.email }, { name: 'Nina Ros', email: 'nina@shop.test' });
    const after = await (await t.call('nina', 'config')).json();
    assert.equal(after.account, 'registered');
    assert.equal(after.kyc.status, 'pending');
    assert.equal(after.kyc.raw, 'unused');
    // again: the same answer, no second account
    assert.equal((await t.call('nina', 'register', {})).status, 200);
    assert.equal(t.registrations(), 1);
    t.close();
  });

  it('a double press makes one upstream registration', async () => {
    const t = setup({ omar: { merchantUserId: 'shop-43', region: 'EU', name: 'Omar Gil', email: 'omar@shop.test' } });
    const answers = await Promise.all([t.call('omar', 'register', {}), t.call('omar', 'register', {})]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409]);
    assert.equal(t.registrations(), 1);
    assert.equal(t.registered.length, 1);
    t.close();
  });

  it('an email that already has an account, or a throwaway one, gets its own clear answer', async () => {
    const t = setup(
      {
        a: { merchantUserId: 'shop-50', region: 'EU', name: 'Ana Uno', email: 'same@shop.test' },
        b: { merchantUserId: 'shop-51', region: 'EU', name: 'Ana Dos', email: 'same@shop.test' },
        c: { merchantUserId: 'shop-52', region: 'EU', name: 'Temp User' },
      },
      ['email'],
    );
    assert.equal((await t.call('a', 'register', {})).status, 201);
    const taken = await t.call('b', 'register', {});
    assert.equal(taken.status, 409);
    assert.deepEqual((await taken.json()).error, { code: 'user_already_exists', message: 'An account with this email already exists at Cryptopocket.' });
    const throwaway = await t.call('c', 'register', { email: 'temp@mailinator.com' });
    assert.equal(throwaway.status, 422);
    assert.equal((await throwaway.json()).error.code, 'email_not_allowed');
    assert.equal((await t.call('c', 'register', { email: 'not an email' })).status, 422);
    assert.equal(t.registered.length, 1);
    t.close();
  });
});

describe('verification pages and higher limits', () => {
  const WALLET = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
  const page = (t: ReturnType<typeof setup>, url: string, method = 'GET') => t.simulator.handle(new Request(url, { method }));

  it('a new customer submits the KYC form: processing, then valid on the simulator clock; the form escapes what it shows', async () => {
    let clock = 1_000_000;
    const t = setup({ lia: { merchantUserId: 'shop-60', region: 'EU', name: 'Lia <b>Sol</b>', email: 'lia@shop.test' } }, [], () => clock);
    const { kycUrl } = await (await t.call('lia', 'register', {})).json();
    const form = await (await page(t, kycUrl)).text();
    assert.match(form, /Lia &#60;b&#62;Sol&#60;\/b&#62;/);
    assert.match(form, /<form method="post">/);
    const kyc = async () => (await (await t.call('lia', 'config')).json()).kyc.raw;
    assert.equal(await kyc(), 'unused');
    assert.equal((await page(t, kycUrl, 'POST')).status, 200);
    assert.equal(await kyc(), 'processing');
    clock += 2999;
    assert.equal(await kyc(), 'processing');
    clock += 1;
    // the form itself knows the review is done, before any API call asks
    assert.match(await (await page(t, kycUrl)).text(), /Your identity is already verified\./);
    assert.equal(await kyc(), 'valid');
    t.close();
  });

  it('kyc_reinforced_required without a link: the handler asks for the enhanced verification link; after the form, the same purchase goes through once', async () => {
    const t = setup({ ana: { id: '106', region: 'EU' } });
    const buy = { fiatAmount: '4000', method: 'transfer', symbol: 'USDC', chain: 'polygon', wallet: WALLET };
    const refused = await t.call('ana', 'onramp/payments', buy, 'buy-4000-first');
    assert.equal(refused.status, 403);
    const { error } = await refused.json();
    assert.equal(error.code, 'kyc_reinforced_required');
    assert.equal(error.details.url, 'https://demo.cryptopocket.io/onboarding/106');
    const asked = t.simulator.requests.filter((r) => r.path === '/api/onboarding-form');
    assert.deepEqual(
      asked.map((r) => JSON.parse(r.body)),
      [{ user_id: 106 }],
    );
    assert.equal(t.simulator.payments.size, 0);
    assert.equal((await page(t, error.details.url, 'POST')).status, 200);
    const made = await t.call('ana', 'onramp/payments', buy, 'buy-4000-again');
    assert.equal(made.status, 201);
    assert.equal(t.simulator.payments.size, 1);
    t.close();
  });

  it('no link to be had (the onboarding form fails): the refusal stays as it was, and nothing is created', async () => {
    const t = setup({ ana: { id: '106', region: 'EU' } });
    t.simulator.fail('/api/onboarding-form', 500);
    const refused = await t.call('ana', 'onramp/payments', { fiatAmount: '4000', method: 'transfer', symbol: 'USDC', chain: 'polygon', wallet: WALLET });
    assert.equal(refused.status, 403);
    const { error } = await refused.json();
    assert.equal(error.code, 'kyc_reinforced_required');
    assert.equal(error.details, undefined);
    assert.equal(t.simulator.payments.size, 0);
    t.close();
  });
});
