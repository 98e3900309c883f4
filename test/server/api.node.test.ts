/**
 * `CryptopocketApi` on its own, over a recording fetch: the paths, query names and body fields each call sends (the
 * wire names the docs give), what it reads from each answer under each of its names, and one read per operation at
 * a time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CryptopocketApi } from '../../src/server/api.js';

type Answer = { status?: number; body: unknown; delayMs?: number };

function api(answers: Record<string, Answer | ((url: URL) => Answer)>) {
  const sent: { method: string; path: string; query: Record<string, string>; body?: unknown }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    sent.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(init?.body ? { body: JSON.parse(String(init.body)) } : {}),
    });
    const found = answers[url.pathname];
    const answer = typeof found === 'function' ? found(url) : (found ?? { status: 404, body: { message: 'Not Found' } });
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
  };
  return { client: new CryptopocketApi({ origin: 'https://api.test', apiKey: 'k', fetch, timeout: 2000 }), sent };
}
const ok = (data: unknown): Answer => ({ body: { status: 'ok', data } });

describe('the API client: what it sends', () => {
  it('reads with the documented paths and query names', async () => {
    const { client, sent } = api({
      '/api/kyc/check': ok({ kyc_status: 'valid' }),
      '/api/payment-methods': ok(['card']),
      '/api/price': ok({ price: '0.93' }),
      '/api/quote': ok({ coin_amount: '9.3' }),
      '/api/rampoff/quote': ok({ fiat_amount: '9.3' }),
      '/api/available-assets': ok([{ symbol: 'USDC', decimals: 6, chains: ['polygon'] }]),
      '/api/payments': ok([]),
      '/api/rampoffs': ok({ data: [], next_page: 'p2' }),
    });
    await client.kyc('106');
    await client.paymentMethods('106');
    assert.equal(await client.price('USDC', 'EUR'), '0.93');
    assert.deepEqual(await client.onrampQuote({ amount: '10', symbol: 'USDC', chain: 'polygon', method: 'card' }), {
      tokenAmount: '9.3',
      fiatAmount: undefined,
      rate: undefined,
      fee: undefined,
      networkFee: undefined,
    });
    await client.offrampQuote({ amount: '10', symbol: 'USDC', chain: 'polygon', fiat: 'EUR' });
    assert.deepEqual(await client.assets('106'), [{ symbol: 'USDC', decimals: 6, chains: ['polygon'] }]);
    assert.deepEqual(await client.list('onramp', '106'), { items: [] });
    assert.deepEqual(await client.list('offramp', '106', 'p1'), { items: [], next: 'p2' });
    assert.deepEqual(
      sent.map(({ method, path, query }) => `${method} ${path} ${new URLSearchParams(query)}`),
      [
        'GET /api/kyc/check user_id=106',
        'GET /api/payment-methods user_id=106',
        'GET /api/price symbol=USDC&fiat=EUR',
        'GET /api/quote amount=10&symbol=USDC&chain=polygon&payment_type=card',
        'GET /api/rampoff/quote amount=10&symbol=USDC&blockchain=polygon&fiat_symbol=EUR',
        'GET /api/available-assets user_id=106',
        'GET /api/payments user_id=106',
        'GET /api/rampoffs user_id=106&page=p1',
      ],
    );
  });

  it('creates with the documented field names, amounts as exact numbers, optional fields only when given', async () => {
    const { client, sent } = api({
      '/api/createPayment': ok({ payment_id: 'p1' }),
      '/api/createRampoff': ok({ id: 'r1', wallet: '0xabc' }),
    });
    await client.createPayment({
      userId: '106',
      reference: 'key-1',
      method: 'card',
      fiat: 'EUR',
      fiatAmount: '50.10',
      symbol: 'USDC',
      chain: 'polygon',
      wallet: '0xw',
      callbackUrl: 'https://shop.example/back',
    });
    await client.createPayment({ userId: 'u-7', reference: 'key-2', method: 'transfer', fiat: 'ARS', fiatAmount: '1000', symbol: 'USDT', wallet: '0xw' });
    await client.createRampoff({ userId: '106', amount: '20.000001', symbol: 'USDC', chain: 'polygon', iban: 'ES91', bankName: 'Banco' });
    await client.createRampoff({ userId: '106', amount: '5', symbol: 'USDT' });
    assert.deepEqual(
      sent.map((s) => s.body),
      [
        {
          user_id: 106,
          external_id: 'key-1',
          payment_type: 'card',
          fiat_symbol: 'EUR',
          fiat_amount: 50.1,
          coin_symbol: 'USDC',
          coin_chain: 'polygon',
          wallet: '0xw',
          callback_url: 'https://shop.example/back',
        },
        { user_id: 'u-7', external_id: 'key-2', payment_type: 'transfer', fiat_symbol: 'ARS', fiat_amount: 1000, coin_symbol: 'USDT', wallet: '0xw' },
        { user_id: 106, amount: 20.000001, symbol: 'USDC', blockchain: 'polygon', iban: 'ES91', bank_name: 'Banco' },
        { user_id: 106, amount: 5, symbol: 'USDT' },
      ],
    );
    assert.deepEqual(
      sent.map((s) => `${s.method} ${s.path}`),
      ['POST /api/createPayment', 'POST /api/createPayment', 'POST /api/createRampoff', 'POST /api/createRampoff'],
    );
  });
});

describe('the API client: what it reads', () => {
  const payment = { userId: '106', reference: 'k', method: 'card', fiat: 'EUR', fiatAmount: '5', symbol: 'USDC', wallet: '0xw' };

  it('a created payment: its id, an https payment page and bank details under each of their names', async () => {
    const read = async (data: unknown) => api({ '/api/createPayment': ok(data) }).client.createPayment(payment);
    assert.deepEqual(await read({ payment_id: 'p1', url_payment: 'https://pay.example/1' }), { id: 'p1', paymentUrl: 'https://pay.example/1' });
    assert.deepEqual(await read({ id: 'p2', gateway_url: 'https://pay.example/2' }), { id: 'p2', paymentUrl: 'https://pay.example/2' });
    assert.deepEqual(await read({ id: 'p3', url: 'http://pay.example/3' }), { id: 'p3' }, 'only https');
    assert.deepEqual(await read({ id: 'p4', iban: 'ES68', bic: 'PFSS', destination_name: 'Fintech', concept: 120037 }), {
      id: 'p4',
      bankTransfer: { iban: 'ES68', bic: 'PFSS', beneficiary: 'Fintech', reference: '120037' },
    });
    assert.deepEqual((await read({ id: 'p5', iban: 'ES68', beneficiary: 'F', reference: 'R' })).bankTransfer, {
      iban: 'ES68',
      bic: '',
      beneficiary: 'F',
      reference: 'R',
    });
    assert.deepEqual((await read({ id: 'p6', iban: 'ES68' })).bankTransfer, { iban: 'ES68', bic: '', beneficiary: '', reference: '' });
    await assert.rejects(read('payment_created'), { name: 'ShapeError', message: 'createPayment: no data' });
    await assert.rejects(read({ url: 'https://pay.example' }), { name: 'ShapeError', message: 'createPayment: no payment_id' });
  });

  it('a created sale: its id and deposit address (wallet or address)', async () => {
    const read = async (data: unknown) => api({ '/api/createRampoff': ok(data) }).client.createRampoff({ userId: '1', amount: '1', symbol: 'USDC' });
    assert.deepEqual(await read({ id: 'r1', address: '0xabc' }), { id: 'r1', wallet: '0xabc' });
    await assert.rejects(read({ id: 'r1' }), { name: 'ShapeError', message: 'createRampoff: no id or wallet' });
    await assert.rejects(read({ wallet: '0xabc' }), { name: 'ShapeError', message: 'createRampoff: no id or wallet' });
    await assert.rejects(read(null), { name: 'ShapeError', message: 'createRampoff: no data' });
  });

  it('the enhanced verification link under each of its names, https only', async () => {
    const read = async (data: unknown) => {
      const { client, sent } = api({ '/api/onboarding-form': ok(data) });
      const url = await client.onboardingForm('106');
      assert.deepEqual(sent[0]!.body, { user_id: 106 });
      return url;
    };
    for (const key of ['url', 'link', 'onboarding_url', 'form_url']) assert.equal(await read({ [key]: 'https://kyc.example/2' }), 'https://kyc.example/2', key);
    assert.equal(await read('https://kyc.example/3'), 'https://kyc.example/3');
    assert.equal(await read('javascript:alert(1)'), undefined);
    assert.equal(await read({ other: 'https://kyc.example' }), undefined);
  });

  it('one operation: read once for everyone asking at the same moment, again afterwards; not found in any spelling is not_found', async () => {
    let reads = 0;
    const { client } = api({
      '/api/getRampoff': (url) => {
        reads += 1;
        return url.searchParams.get('id') === 'gone'
          ? { body: { status: 'error', error: 'rampoff_not_found' } }
          : { ...ok({ id: url.searchParams.get('id'), status: 'pending' }), delayMs: 20 };
      },
      '/api/payment/p1': { status: 404, body: { message: 'Not Found' } },
    });
    const together = await Promise.all([client.operation('offramp', 'r1'), client.operation('offramp', 'r1'), client.operation('offramp', 'r2')]);
    assert.deepEqual(
      together.map((op) => op.id),
      ['r1', 'r1', 'r2'],
    );
    assert.equal(reads, 2);
    await client.operation('offramp', 'r1');
    assert.equal(reads, 3, 'a later read asks again');
    await assert.rejects(client.operation('offramp', 'gone'), { code: 'not_found', message: 'No such operation.' });
    await assert.rejects(client.operation('onramp', 'p1'), { code: 'not_found', status: 404 });
  });
});
