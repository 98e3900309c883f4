/**
 * The routes as the widget sees them, over the docs' stub: the configuration each kind of user is given, what a
 * quote or a create forwards to the API, and the words of each refusal the widget shows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordingStore } from '../support/recording-store.js';
import { recorded, overrides, EU, RAMPOFF, handler, call, post } from '../support/handler-stub.js';

const WALLET = '0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a';
const BUY = { fiatAmount: '50', fiat: 'EUR', symbol: 'USDC', chain: 'polygon', wallet: WALLET, method: 'card' };
const ok = (data: unknown) => ({ status: 200, body: JSON.stringify({ status: 'ok', data }) });
const posts = () => recorded.filter((r) => r.method === 'POST');

async function refused(res: Response | Promise<Response>) {
  const answer = await res;
  return { status: answer.status, ...((await answer.json()) as { error: unknown }) };
}

describe('config: what each user is offered', () => {
  it('an API that cannot say the KYC status (503) gives "pending", not a failure', async () => {
    overrides['/api/kyc/check'] = { status: 503, body: '{"status":"error","error":"service_unavailable"}' };
    const res = await call(handler(), 'config');
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).kyc, { status: 'pending', raw: 'unknown' });
  });

  it('rejected merchant credentials on the KYC check fail the config (502), they are not read as "pending"', async () => {
    overrides['/api/kyc/check'] = { status: 200, body: '{"status":"error","error":"authorization_incorrect","message":"bad key"}' };
    const answer = await refused(call(handler(), 'config'));
    assert.deepEqual(answer, {
      status: 502,
      error: { code: 'authorization_incorrect', message: 'The payment service rejected the merchant credentials.' },
    });
  });

  it('the API’s own payment methods when it lists some; the documented EU defaults for an empty list; none in LATAM', async () => {
    overrides['/api/payment-methods'] = ok(['card']);
    assert.deepEqual((await (await call(handler(), 'config')).json()).paymentMethods, ['card']);
    overrides['/api/payment-methods'] = ok([]);
    assert.deepEqual((await (await call(handler(), 'config')).json()).paymentMethods, ['card', 'paypal', 'psd2', 'transfer']);
    const latam = await (await call(handler({ id: 200, region: 'LATAM', fiat: 'ARS' }), 'config')).json();
    assert.deepEqual(latam.paymentMethods, []);
  });

  it('LATAM: its region and fiat, the assets without networks; the EU keeps the networks; the stream is on', async () => {
    overrides['/api/available-assets'] = ok([{ symbol: 'USDC', decimals: 6, chains: ['polygon'] }]);
    const latam = await (await call(handler({ id: 200, region: 'LATAM', fiat: 'ars' }), 'config')).json();
    assert.deepEqual([latam.region, latam.fiats, latam.assets, latam.stream], ['LATAM', ['ARS'], [{ symbol: 'USDC', decimals: 6, chains: [] }], true]);
    const eu = await (await call(handler(), 'config')).json();
    assert.deepEqual(
      [eu.region, eu.fiats, eu.assets, eu.stream, eu.account],
      ['EU', ['EUR'], [{ symbol: 'USDC', decimals: 6, chains: ['polygon'] }], true, 'registered'],
    );
  });

  it('the account holder and the amount limits only when the merchant set them', async () => {
    const plain = await (await call(handler(), 'config')).json();
    assert.equal('accountHolder' in plain, false);
    assert.equal('limits' in plain, false);
    const limits = { onramp: { EUR: { min: '10', max: '500' } } };
    const set = await (await call(handler({ ...EU, accountHolder: 'Ana Pérez' }, { amountLimits: limits }), 'config')).json();
    assert.equal(set.accountHolder, 'Ana Pérez');
    assert.deepEqual(set.limits, limits);
    const saleOnly = { offramp: { EUR: { min: '5', max: '100' } } };
    assert.deepEqual((await (await call(handler(EU, { amountLimits: saleOnly }), 'config')).json()).limits, saleOnly);
  });

  it('the user’s KYC link when the API gives none, and the API’s own link when it does', async () => {
    const kycUrl = 'https://kyc.example/form/106';
    const mine = await (await call(handler({ ...EU, kycUrl }), 'config')).json();
    assert.deepEqual(mine.kyc, { status: 'valid', raw: 'valid', url: kycUrl });
    overrides['/api/kyc/check'] = ok({ kyc_status: 'pending', kyc_form_url: 'https://kyc.cryptopocket.example/x' });
    const theirs = await (await call(handler({ ...EU, kycUrl }), 'config')).json();
    assert.equal(theirs.kyc.url, 'https://kyc.cryptopocket.example/x');
  });

  it('a user without an account: EU methods or none in LATAM, KYC "unregistered", no call that needs an id', async () => {
    const eu = await (await call(handler({ region: 'EU' }), 'config')).json();
    assert.deepEqual([eu.account, eu.paymentMethods, eu.kyc], ['none', ['card', 'paypal', 'psd2', 'transfer'], { status: 'pending', raw: 'unregistered' }]);
    const latam = await (await call(handler({ region: 'LATAM' }), 'config')).json();
    assert.deepEqual(latam.paymentMethods, []);
    assert.equal(
      recorded.some((r) => r.path === '/api/kyc/check' || r.path === '/api/payment-methods'),
      false,
    );
  });

  it('price: another fiat than the user’s is refused by name', async () => {
    assert.deepEqual(await refused(call(handler(), 'price?symbol=USDC&fiat=USD')), {
      status: 422,
      error: { code: 'fiat_not_supported', message: 'Only EUR is available.' },
    });
  });
});

describe('quotes: what goes upstream, and what is refused first', () => {
  it('onramp: the payment method and network go to the API; a method of another shape is refused by name', async () => {
    overrides['/api/quote'] = ok({ coin_amount: '49.5', rate: '1.01' });
    const res = await call(handler(), 'onramp/quote?amount=50&symbol=USDC&chain=polygon&method=card');
    assert.equal(res.status, 200);
    const asked = recorded.find((r) => r.path === '/api/quote')!;
    assert.equal(asked.query.payment_type, 'card');
    assert.equal(asked.query.chain, 'polygon');
    for (const method of ['card!', '!card', 'x'.repeat(33)]) {
      assert.deepEqual(await refused(call(handler(), `onramp/quote?amount=50&symbol=USDC&chain=polygon&method=${encodeURIComponent(method)}`)), {
        status: 400,
        error: { code: 'invalid_request', message: 'Unknown payment method.' },
      });
    }
    assert.equal(recorded.filter((r) => r.path === '/api/quote').length, 1);
  });

  it('a quote in another fiat than the user’s is refused by name, both ways', async () => {
    for (const path of ['onramp/quote?amount=50&symbol=USDC&chain=polygon&fiat=USD', 'offramp/quote?amount=5&symbol=USDC&chain=polygon&fiat=USD']) {
      assert.deepEqual(await refused(call(handler(), path)), { status: 422, error: { code: 'fiat_not_supported', message: 'Only EUR is available.' } });
    }
  });

  it('offramp: the network goes to the API as blockchain', async () => {
    overrides['/api/rampoff/quote'] = ok({ fiat_amount: '4.8', rate: '0.96' });
    assert.equal((await call(handler(), 'offramp/quote?amount=5&symbol=USDC&chain=polygon')).status, 200);
    assert.equal(recorded.find((r) => r.path === '/api/rampoff/quote')!.query.blockchain, 'polygon');
  });
});

describe('creates: the words of each refusal, and nothing sent', () => {
  const cases: Array<[string, string, Record<string, unknown>, number, { code: string; message: string }]> = [
    ['onramp/payments', 'a method with a stray character', { ...BUY, method: 'card!' }, 400, { code: 'invalid_request', message: 'Unknown payment method.' }],
    [
      'onramp/payments',
      'a method with a leading stray character',
      { ...BUY, method: '!card' },
      400,
      { code: 'invalid_request', message: 'Unknown payment method.' },
    ],
    [
      'onramp/payments',
      'a wallet of another network',
      { ...BUY, wallet: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
      422,
      { code: 'invalid_wallet', message: 'The wallet address is not valid for this network.' },
    ],
    [
      'onramp/payments',
      'a javascript: callback',
      { ...BUY, callbackUrl: 'javascript:alert(1)' },
      422,
      { code: 'invalid_request', message: 'callbackUrl must be an http(s) URL.' },
    ],
    [
      'offramp/operations',
      'an IBAN with a wrong check',
      { ...RAMPOFF, iban: 'ES91 2100 0418 4502 0005 1333' },
      422,
      { code: 'invalid_iban', message: 'The IBAN is not valid.' },
    ],
    [
      'offramp/operations',
      'an IBAN outside SEPA',
      { ...RAMPOFF, iban: 'BR1800360305000010009795493C1' },
      422,
      { code: 'iban_not_sepa', message: 'Euro payouts go to an IBAN in the SEPA area.' },
    ],
  ];
  for (const [path, what, body, status, error] of cases) {
    it(`${path}: ${what} → ${status} ${error.code}`, async () => {
      assert.deepEqual(await refused(call(handler(), path, post(body, `key-${what.replace(/\W/g, '')}`))), { status, error });
      assert.equal(posts().length, 0);
    });
  }

  it('an https callback is forwarded to the API with the create', async () => {
    const res = await call(handler(), 'onramp/payments', post({ ...BUY, callbackUrl: 'https://shop.example/paid' }, 'key-callback-1'));
    assert.equal(res.status, 201);
    assert.equal(JSON.parse(posts()[0]!.body).callback_url, 'https://shop.example/paid');
  });
});

describe('what one user may read of another’s', () => {
  it('another user’s operation is a 404 before the API is even asked', async () => {
    const h = handler(EU, { resolveUser: (request: Request) => (request.headers.get('x-user') === 'other' ? { id: 110, region: 'EU' } : EU) });
    const created = await call(h, 'offramp/operations', post(RAMPOFF, 'key-mine-0001'));
    const { id } = (await created.json()) as { id: string };
    recorded.length = 0;
    const theirs = await call(h, `offramp/operations/${id}`, { headers: { 'x-user': 'other' } });
    assert.deepEqual([theirs.status, await theirs.json()], [404, { error: { code: 'not_found', message: 'No such operation.' } }]);
    assert.deepEqual(recorded, [], 'nothing of it was read upstream');
  });
});

describe('what the handler keeps', () => {
  it('who owns an operation is kept for thirty days', async () => {
    const store = new RecordingStore();
    const h = handler(EU, { store });
    assert.equal((await call(h, 'offramp/operations', post(RAMPOFF, 'key-owner-ttl'))).status, 201);
    assert.equal((await call(h, 'onramp/payments', post(BUY, 'key-owner-ttl-2'))).status, 201);
    assert.deepEqual(store.ttls('owner:'), [30 * 24 * 60 * 60 * 1000, 30 * 24 * 60 * 60 * 1000]);
  });
});

describe('terms', () => {
  it('with terms set, a create that accepts them goes through, once', async () => {
    const h = handler(EU, { terms: { url: 'https://shop.example/terms' } });
    const res = await call(h, 'offramp/operations', post({ ...RAMPOFF, acceptedTerms: true }, 'key-terms-ok-1'));
    assert.equal(res.status, 201);
    assert.equal(posts().filter((r) => r.path === '/api/createRampoff').length, 1);
  });
});
