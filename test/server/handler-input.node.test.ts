/**
 * Input checked before anything goes upstream, and upstream hygiene.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decimal, jsonBody } from '../../src/lib/json.js';
import { recorded, overrides, EU, logs, RAMPOFF, handler, call, post } from '../support/handler-stub.js';

describe('input is checked before anything goes upstream', () => {
  const cases: [string, unknown, number, string][] = [
    ['a 27-digit EUR amount', { ...RAMPOFF, amount: '1'.repeat(27) }, 400, 'invalid_amount'],
    ['25 decimals', { ...RAMPOFF, amount: '1.' + '1'.repeat(25) }, 400, 'invalid_amount'],
    ['an exponent', { ...RAMPOFF, amount: '1e3' }, 400, 'invalid_amount'],
    ['a number instead of a string', { ...RAMPOFF, amount: 20 }, 400, 'invalid_amount'],
    ['zero', { ...RAMPOFF, amount: '0.000' }, 400, 'invalid_amount'],
    ['the old in-band decimal marker in symbol', { ...RAMPOFF, symbol: '@@cp-decimal:1' }, 400, 'unknown_asset'],
    ['a network with odd characters', { ...RAMPOFF, chain: 'p0lygon!' }, 400, 'invalid_request'],
    ['a non-SEPA IBAN for a euro payout', { ...RAMPOFF, iban: 'BR1800360305000010009795493C1' }, 422, 'iban_not_sepa'],
  ];
  it('with terms set: the config names them, and a create without acceptedTerms: true is refused before anything goes upstream', async () => {
    const h = handler(EU, { terms: { url: 'https://shop.example/terms', privacyUrl: 'https://shop.example/privacy' } });
    const config = await (await call(h, 'config')).json();
    assert.deepEqual(config.terms, { url: 'https://shop.example/terms', privacyUrl: 'https://shop.example/privacy' });
    for (const [accepted, key] of [
      [undefined, 'terms-none-1'],
      ['true', 'terms-string-1'],
      [false, 'terms-false-1'],
    ] as const) {
      const res = await call(h, 'offramp/operations', post({ ...RAMPOFF, ...(accepted === undefined ? {} : { acceptedTerms: accepted }) }, key));
      assert.equal(res.status, 422, String(accepted));
      assert.deepEqual((await res.json()).error, { code: 'terms_not_accepted', message: 'Accept the terms to continue.' });
    }
    assert.equal(recorded.filter((r) => r.method === 'POST').length, 0);
    assert.throws(() => handler(EU, { terms: { url: 'http://shop.example/terms' } }), /https/);
    assert.throws(() => handler(EU, { terms: { url: 'see https://shop.example/terms' } }), /https/);
  });

  for (const [name, body, status, code] of cases) {
    it(`offramp: ${name} → ${status} ${code}`, async () => {
      const res = await call(handler(), 'offramp/operations', post(body, `key-${name.replace(/\W/g, '').slice(0, 40)}`));
      assert.equal(res.status, status);
      assert.equal((await res.json()).error.code, code);
      assert.equal(recorded.filter((r) => r.method === 'POST').length, 0);
    });
  }

  it('onramp: 3 fiat decimals and a wallet of the wrong network are refused; the body never carries a forged number', async () => {
    const h = handler();
    const buy = { fiatAmount: '50', fiat: 'EUR', symbol: 'USDC', chain: 'polygon', wallet: '0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a', method: 'card' };
    assert.equal((await call(h, 'onramp/payments', post({ ...buy, fiatAmount: '50.001' }, 'buy-decimals-1'))).status, 400);
    assert.equal((await call(h, 'onramp/payments', post({ ...buy, wallet: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' }, 'buy-wallet-12'))).status, 422);
    assert.equal(recorded.filter((r) => r.method === 'POST').length, 0);
    // the upstream body is written by walking the value: a string that looks like a number marker stays a string
    assert.equal(jsonBody({ symbol: '@@cp-decimal:1', amount: decimal('20.50') }), '{"symbol":"@@cp-decimal:1","amount":20.50}');
  });

  it('an unknown symbol or network is a 400 when the API lists its assets', async () => {
    overrides['/api/available-assets'] = { status: 200, body: JSON.stringify({ status: 'ok', data: [{ symbol: 'USDC', decimals: 6, chains: ['polygon'] }] }) };
    const h = handler();
    const quote = await call(h, 'offramp/quote?amount=5&symbol=USDC&chain=p0lygon');
    assert.equal(quote.status, 400);
    assert.equal((await quote.json()).error.code, 'unknown_chain');
    const sale = await call(h, 'offramp/operations', post({ ...RAMPOFF, symbol: 'USDC', chain: 'polygon', amount: '1.1234567' }));
    assert.equal(sale.status, 400, 'USDC has 6 decimals');
    assert.equal(recorded.filter((r) => r.method === 'POST').length, 0);
  });

  it('creates need application/json and the page’s own origin (CSRF)', async () => {
    const h = handler();
    const plain = await call(h, 'offramp/operations', {
      method: 'POST',
      body: JSON.stringify(RAMPOFF),
      headers: { 'content-type': 'text/plain', 'idempotency-key': 'csrf-key-1' },
    });
    assert.equal(plain.status, 415);
    const foreign = await call(h, 'offramp/operations', post(RAMPOFF, 'csrf-key-2', { origin: 'https://evil.example' }));
    assert.equal(foreign.status, 403);
    assert.equal((await foreign.json()).error.code, 'forbidden_origin');
    const crossSite = await call(h, 'offramp/operations', post(RAMPOFF, 'csrf-key-3', { 'sec-fetch-site': 'cross-site' }));
    assert.equal(crossSite.status, 403);
    assert.equal(recorded.filter((r) => r.method === 'POST').length, 0);
    assert.equal(
      (await call(h, 'offramp/operations', post(RAMPOFF, 'csrf-key-4', { origin: 'http://shop.test', 'sec-fetch-site': 'same-origin' }))).status,
      201,
    );
    // behind a proxy the handler may see another host than the browser: the browser's Sec-Fetch-Site, or X-Forwarded-Host, says it is the same site
    assert.equal(
      (await call(h, 'offramp/operations', post(RAMPOFF, 'csrf-key-6', { origin: 'https://shop.example', 'sec-fetch-site': 'same-origin' }))).status,
      201,
    );
    assert.equal(
      (await call(h, 'offramp/operations', post(RAMPOFF, 'csrf-key-7', { origin: 'https://shop.example', 'x-forwarded-host': 'shop.example' }))).status,
      201,
    );
    const allowed = handler(EU, { allowedOrigins: ['https://shop.example'] });
    assert.equal((await call(allowed, 'offramp/operations', post(RAMPOFF, 'csrf-key-5', { origin: 'https://shop.example' }))).status, 201);
  });
});
describe('upstream hygiene', () => {
  it('payment_not_found and rampoff_not_found are a 404, the same answer as another user’s operation', async () => {
    overrides['/api/getRampoff'] = { status: 200, body: '{"status":"error","error":"rampoff_not_found"}' };
    overrides['/api/payment/Unknown0000000000000000001'] = { status: 200, body: '{"status":"error","error":"payment_not_found"}' };
    const h = handler();
    const rampoff = await call(h, 'offramp/operations/Unknown0000000000000000001');
    const payment = await call(h, 'onramp/payments/Unknown0000000000000000001');
    const theirs = await call(handler({ id: 555, region: 'EU' }), 'onramp/payments/9NM6ICl2KDaUiMtkDm4JSTqdQ');
    assert.deepEqual([rampoff.status, payment.status, theirs.status], [404, 404, 404]);
    const bodies = await Promise.all([rampoff.json(), payment.json(), theirs.json()]);
    assert.deepEqual(bodies[0], bodies[2]);
    assert.deepEqual(bodies[1], bodies[2]);
  });

  it('an unknown upstream code never reaches the browser; the log keeps a sanitised code', async () => {
    logs.length = 0;
    overrides['/api/getRampoff'] = { status: 200, body: '{"status":"error","error":"SQLSTATE[42S22] /var/www/app.php:42"}' };
    const res = await call(handler(), 'offramp/operations/ExM63FJ9ZsAZF2VfTfU4rn7Sq');
    const text = await res.text();
    assert.equal(res.status, 502);
    assert.equal(JSON.parse(text).error.code, 'upstream_error');
    assert.ok(!text.includes('SQLSTATE') && !text.includes('/var/www'));
    assert.ok(
      logs.some((l) => l.includes('unknown code SQLSTATE?42S22? ?var?www?app.php:42')),
      logs.join('\n'),
    );
  });

  it('an answer larger than the cap is refused without being read whole', async () => {
    const huge = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(64 * 1024).fill(32)); // spaces, forever
      },
    });
    let pulled = 0;
    const counting = huge.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, c) => ((pulled += chunk.byteLength), c.enqueue(chunk)) }),
    );
    const h = handler(EU, { fetch: async () => new Response(counting, { status: 200, headers: { 'content-type': 'application/json' } }) });
    const res = await call(h, 'offramp/operations/ExM63FJ9ZsAZF2VfTfU4rn7Sq');
    assert.equal(res.status, 502);
    assert.equal((await res.json()).error.code, 'bad_response');
    assert.ok(pulled < 2 * 1024 * 1024, `read ${pulled} bytes`);
  });

  it('a negative or malformed amount from upstream is bad_response (502), never a crash', async () => {
    overrides['/api/payment/9NM6ICl2KDaUiMtkDm4JSTqdQ'] = {
      status: 200,
      body: '{"status":"ok","data":{"id":"9NM6ICl2KDaUiMtkDm4JSTqdQ","user_id":"106","status":"started","fiat_amount":-15050,"coin_amount":-148.32}}',
    };
    const res = await call(handler(), 'onramp/payments/9NM6ICl2KDaUiMtkDm4JSTqdQ');
    assert.equal(res.status, 502);
    assert.equal((await res.json()).error.code, 'bad_response');
    overrides['/api/rampoff/quote'] = { status: 200, body: '{"status":"ok","data":{"fiat_amount":"-1"}}' };
    overrides['/api/price'] = { status: 200, body: '{"status":"ok","data":{"price":"0.92"}}' };
    const quote = await call(handler(), 'offramp/quote?amount=10&symbol=USDC&chain=polygon');
    assert.equal(quote.status, 200);
    assert.deepEqual((({ fiatAmount, source }) => ({ fiatAmount, source }))(await quote.json()), { fiatAmount: '9.2', source: 'price' }, 'the price fallback');
  });
});
