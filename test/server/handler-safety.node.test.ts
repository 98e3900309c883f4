/**
 * The session handler's errors and safety: upstream failures as clean errors, no API key in answers or logs, CORS,
 * CSRF and limits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_KEY, recorded, overrides, DOCS, EU, logs, RAMPOFF, handler, call, post } from '../support/handler-stub.js';

describe('session handler: errors and safety', () => {
  it('rejects unauthenticated requests before any upstream call', async () => {
    const res = await call(handler(null), 'config');
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, 'unauthenticated');
    assert.equal(recorded.length, 0);
  });

  it('turns an HTTP-200 business error into a clean error with details', async () => {
    overrides['/api/createPayment'] = { status: 200, body: '{"status":"error","error":"require_kyc","data":"https://kyc.example/form/1"}' };
    const res = await call(
      handler(),
      'onramp/payments',
      post({ fiatAmount: '50', fiat: 'EUR', symbol: 'USDC', chain: 'polygon', wallet: '0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a', method: 'card' }),
    );
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), {
      error: { code: 'require_kyc', message: 'Please verify your identity first.', details: { url: 'https://kyc.example/form/1' } },
    });
  });

  it('maps upstream 5xx to 502 and a timeout to 504, without hanging', async () => {
    const h = handler();
    await call(h, 'offramp/operations', post(RAMPOFF));
    overrides['/api/getRampoff'] = { status: 500, body: '<html>oops</html>' };
    const res = await call(h, 'offramp/operations/ExM63FJ9ZsAZF2VfTfU4rn7Sq');
    assert.equal(res.status, 502);
    assert.equal((await res.json()).error.code, 'upstream_unavailable');
    overrides['/api/getRampoff'] = { status: 200, body: DOCS['GET /api/getRampoff']!, delayMs: 2000 };
    const started = Date.now();
    const slow = await call(h, 'offramp/operations/ExM63FJ9ZsAZF2VfTfU4rn7Sq');
    assert.equal(slow.status, 504);
    assert.ok(Date.now() - started < 1500);
  });

  it('never puts the API key in a response or a log line', async () => {
    logs.length = 0;
    overrides['/api/kyc/check'] = { status: 500, body: `{"message":"bad key ${API_KEY}"}` };
    overrides['/api/available-assets'] = { status: 200, body: `{"status":"error","error":"authorization_incorrect","message":"${API_KEY}"}` };
    const res = await call(handler(), 'config');
    const text = await res.text();
    assert.ok(!text.includes(API_KEY));
    assert.ok(logs.length > 0);
    assert.ok(
      logs.every((line) => !line.includes(API_KEY)),
      logs.join('\n'),
    );
  });

  it('validates input before calling upstream', async () => {
    const h = handler();
    assert.equal((await call(h, 'offramp/operations', post({ ...RAMPOFF, iban: 'ES91 2100 0418 4502 0005 1333' }))).status, 422);
    assert.equal((await call(h, 'offramp/operations', post({ ...RAMPOFF, amount: '-1' }))).status, 400);
    assert.equal(
      (await call(h, 'offramp/operations', { method: 'POST', body: JSON.stringify(RAMPOFF), headers: { 'content-type': 'application/json' } })).status,
      400,
      'no Idempotency-Key',
    );
    assert.equal((await call(h, 'offramp/operations', post('x'.repeat(20000)))).status, 413);
    assert.equal(recorded.length, 0);
  });

  it('refuses amounts outside the merchant’s limits before anything goes upstream, with the figure; the config carries them', async () => {
    const h = handler(EU, {
      amountLimits: { onramp: { EUR: { min: '20', max: '5000' } }, offramp: { BUSD: { max: '10' } } },
      support: { url: 'https://help.shop.test/', email: 'help@shop.test' },
    });
    const config = await (await call(h, 'config')).json();
    assert.deepEqual(config.limits, { onramp: { EUR: { min: '20', max: '5000' } }, offramp: { BUSD: { max: '10' } } });
    assert.deepEqual(config.support, { url: 'https://help.shop.test/', email: 'help@shop.test' });
    recorded.length = 0;
    const sale = await call(h, 'offramp/operations', post(RAMPOFF)); // 20 BUSD, over the 10 BUSD maximum
    assert.equal(sale.status, 422);
    assert.deepEqual((await sale.json()).error, { code: 'amount_above_maximum', message: 'The maximum is 10 BUSD.', details: { maximum: '10', unit: 'BUSD' } });
    const quote = await call(h, 'onramp/quote?amount=19.99&symbol=USDC&chain=polygon&fiat=EUR');
    assert.equal(quote.status, 422);
    assert.equal((await quote.json()).error.code, 'amount_below_minimum');
    assert.equal((await call(h, 'onramp/quote?amount=5000.01&symbol=USDC&chain=polygon&fiat=EUR')).status, 422);
    assert.equal(recorded.filter((r) => !r.path.includes('kyc') && !r.path.includes('Methods') && !r.path.includes('assets')).length, 0, 'nothing upstream');
    // a wrong option is a start-up error, not a silent no-limit
    assert.throws(() => handler(EU, { amountLimits: { onramp: { EUR: { max: '1e4' } } } }), /not a decimal/);
    assert.throws(() => handler(EU, { amountLimits: { onramp: { EUR: { min: '10', max: '5' } } } }), /min is above max/);
    assert.throws(() => handler(EU, { support: { url: 'javascript:alert(1)' } }), /https/);
  });

  it('a quote says how long the widget shows it (30 s, or the merchant’s choice) and names a network fee the API gives apart', async () => {
    overrides['/api/quote'] = { status: 200, body: '{"status":"ok","data":{"coin_amount":105.434782,"rate":"0.92","fee":"1.5","network_fee":"1.5"}}' };
    const quote = await (await call(handler(), 'onramp/quote?amount=100&symbol=USDC&chain=ethereum&fiat=EUR')).json();
    assert.deepEqual(quote, {
      flow: 'onramp',
      symbol: 'USDC',
      chain: 'ethereum',
      fiat: 'EUR',
      fiatAmount: '100',
      tokenAmount: '105.434782',
      source: 'quote',
      rate: '0.92',
      fee: '1.5',
      networkFee: '1.5',
      validFor: 30,
    });
    overrides['/api/quote'] = { status: 200, body: '{"status":"ok","data":{"coin_amount":"108"}}' };
    const held = await (await call(handler(EU, { quoteValidFor: 12 }), 'onramp/quote?amount=100&symbol=USDC&chain=ethereum&fiat=EUR')).json();
    assert.equal(held.validFor, 12);
    assert.equal(held.networkFee, undefined, 'no network fee line where the API names none');
    for (const quoteValidFor of [4, 3601, 1.5]) assert.throws(() => handler(EU, { quoteValidFor }), /quoteValidFor/);
  });

  it('a quote the API cannot give now is estimated from the price, marked so; a refusal stays a refusal', async () => {
    overrides['/api/price'] = { status: 200, body: '{"status":"ok","data":{"price":"0.92"}}' };
    const ask = async () => (await call(handler(), 'onramp/quote?amount=92&symbol=USDC&chain=ethereum&fiat=EUR')).json();
    for (const [why, answer] of [
      ['no such quote (404)', { status: 404, body: '{"message":"Not Found"}' }],
      ['the API down', { status: 503, body: '<html>down</html>' }],
      ['an answer without the figure', { status: 200, body: '{"status":"ok","data":{"rate":"0.92"}}' }],
      ['an unreadable answer', { status: 200, body: 'not json' }],
      ['an envelope status nobody documented', { status: 200, body: '{"status":"maybe","data":{"coin_amount":"1"}}' }],
      ['an HTTP 400 without a code', { status: 400, body: '<h1>Bad Request</h1>' }],
      ['too slow', { status: 200, body: '{"status":"ok","data":{"coin_amount":"1"}}', delayMs: 800 }],
    ] as const) {
      overrides['/api/quote'] = answer;
      const quote = await ask();
      assert.deepEqual([quote.tokenAmount, quote.rate, quote.source, quote.validFor], ['100', '0.92', 'price', 30], `${why}: ${JSON.stringify(quote)}`);
    }
    overrides['/api/quote'] = { status: 200, body: '{"status":"error","error":"min_purchase","message":"min 15 EUR"}' };
    const refused = await call(handler(), 'onramp/quote?amount=5&symbol=USDC&chain=ethereum&fiat=EUR');
    assert.equal(refused.status, 422);
    assert.deepEqual((await refused.json()).error, { code: 'min_purchase', message: 'The amount is below the minimum.', details: { minimum: '15' } });
    overrides['/api/quote'] = { status: 200, body: '{"status":"error","error":"something_new"}' };
    const unknown = await call(handler(), 'onramp/quote?amount=5&symbol=USDC&chain=ethereum&fiat=EUR');
    assert.deepEqual([unknown.status, (await unknown.json()).error.code], [502, 'upstream_error'], 'a refusal nobody documented is still a refusal');
  });

  it('does not show one user another user’s operation', async () => {
    await call(handler(), 'offramp/operations', post(RAMPOFF));
    const store = new (await import('../../src/server/store.js')).MemoryStore();
    const shared = { store };
    await call(handler(EU, shared), 'offramp/operations', post(RAMPOFF, 'k-other-1234'));
    const res = await call(handler({ id: 999, region: 'EU' }, shared), 'offramp/operations/ExM63FJ9ZsAZF2VfTfU4rn7Sq');
    assert.equal(res.status, 404);
    const payment = await call(handler({ id: 555, region: 'EU' }), 'onramp/payments/9NM6ICl2KDaUiMtkDm4JSTqdQ');
    assert.equal(payment.status, 404, 'the payment belongs to user_id "106"');
  });

  it('answers CORS only for configured origins, never with *', async () => {
    const h = handler(EU, { allowedOrigins: ['https://shop.example'] });
    const ok = await call(h, 'config', { headers: { origin: 'https://shop.example' } });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    const other = await call(h, 'config', { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});

describe('session handler: paths, CORS and CSRF as a browser meets them', () => {
  const json = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; message: string } }) });

  it('answers only under its base path; the base path may end in a slash, and is none by default', async () => {
    const h = handler();
    const outside = await h(new Request('http://shop.test/elsewhere/config'));
    assert.deepEqual(await json(outside), { status: 404, error: { code: 'not_found', message: 'Not found.' } });
    assert.equal((await h(new Request('http://shop.test/ramping/config'))).status, 404, 'a path that only starts like the base path');
    assert.equal((await h(new Request('http://shop.test/ramp'))).status, 404, 'the base path itself is no route');
    assert.equal((await h(new Request('http://shop.test/ramp//config'))).status, 200, 'a doubled slash after the base path');
    assert.equal((await handler(EU, { basePath: '/ramp/' })(new Request('http://shop.test/ramp/config'))).status, 200);
    const root = handler(EU, { basePath: undefined });
    assert.equal((await root(new Request('http://shop.test/config'))).status, 200);
    assert.equal((await root(new Request('http://shop.test/ramp/config'))).status, 404);
  });

  it('names the methods a route allows (405), and an unknown route is a 404', async () => {
    const h = handler();
    const wrong = await call(h, 'config', { method: 'DELETE' });
    assert.equal(wrong.headers.get('allow'), 'GET');
    assert.deepEqual(await json(wrong), { status: 405, error: { code: 'method_not_allowed', message: 'Method not allowed.' } });
    assert.deepEqual(await json(await call(h, 'no-such-route')), { status: 404, error: { code: 'not_found', message: 'Not found.' } });
  });

  it('tells a signed-out user to sign in, and a user with no account yet to create one, before any upstream call', async () => {
    assert.deepEqual(await json(await call(handler(null), 'config')), {
      status: 401,
      error: { code: 'unauthenticated', message: 'Please sign in again.' },
    });
    const required = { status: 403, error: { code: 'account_required', message: 'Create your Cryptopocket account first.' } };
    assert.deepEqual(await json(await call(handler({ id: '', region: 'EU' }), 'offramp/operations')), required, 'an empty id is no id');
    assert.deepEqual(await json(await call(handler({ merchantUserId: 'm-1', region: 'EU' }), 'offramp/operations')), required, 'not registered yet');
    assert.equal(recorded.length, 0);
  });

  it('answers a CORS preflight from an allowed origin with what the widget needs, and caches it', async () => {
    const h = handler(EU, { allowedOrigins: ['https://shop.example'] });
    const res = await call(h, 'offramp/operations', { method: 'OPTIONS', headers: { origin: 'https://shop.example' } });
    assert.equal(res.status, 204);
    assert.deepEqual(Object.fromEntries(res.headers), {
      'access-control-allow-origin': 'https://shop.example',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'content-type, idempotency-key, authorization, last-event-id',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-expose-headers': 'retry-after',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    assert.equal(recorded.length, 0);
  });

  it('CSRF: JSON in any spelling passes; a foreign, opaque or unreadable origin and a same-site page are refused with the reason', async () => {
    const h = handler();
    const refused = { status: 403, error: { code: 'forbidden_origin', message: 'This request came from a page that may not use this endpoint.' } };
    const create = (key: string, headers: Record<string, string>) => call(h, 'offramp/operations', post(RAMPOFF, key, headers));
    assert.equal((await create('csrf-spelling-1', { 'content-type': ' Application/JSON ; charset=utf-8' })).status, 201);
    assert.deepEqual(await json(await create('csrf-type-2', { 'content-type': 'text/plain;charset=UTF-8' })), {
      status: 415,
      error: { code: 'unsupported_media_type', message: 'Send the request as application/json.' },
    });
    assert.deepEqual(await json(await create('csrf-null-3', { origin: 'null' })), refused, 'a sandboxed frame or a file: page');
    assert.deepEqual(await json(await create('csrf-junk-4', { origin: 'not a url' })), refused);
    assert.deepEqual(await json(await create('csrf-site-5', { 'sec-fetch-site': 'same-site' })), refused, 'a sibling subdomain');
    assert.deepEqual(await json(await create('csrf-proxy-6', { origin: 'https://evil.example', 'x-forwarded-host': 'shop.example' })), refused);
    // X-Forwarded-Host may list every proxy: the first is the browser's host
    assert.equal((await create('csrf-proxy-7', { origin: 'https://shop.example', 'x-forwarded-host': ' shop.example , proxy.internal' })).status, 201);
    assert.equal(recorded.filter((r) => r.method === 'POST').length, 2);
  });
});

describe('session handler: its defaults and options', () => {
  it('calls the sandbox API unless told otherwise, and logs to stderr with its name', async () => {
    const urls: string[] = [];
    const lines: unknown[] = [];
    const error = console.error;
    console.error = (line: unknown) => void lines.push(line);
    try {
      const h = handler(EU, {
        apiOrigin: undefined,
        log: undefined,
        fetch: async (input) => {
          urls.push(String(input instanceof Request ? input.url : input));
          return new Response('<h1>down</h1>', { status: 503 });
        },
      });
      assert.equal((await call(h, 'offramp/operations/ExM63FJ9ZsAZF2VfTfU4rn7Sq')).status, 502);
    } finally {
      console.error = error;
    }
    assert.ok(urls.length > 0 && urls.every((url) => url.startsWith('https://sandbox.cryptopocket.io/api/')), urls.join(' '));
    assert.ok(lines.length > 0 && lines.every((line) => String(line).startsWith('[cryptopocket-ramp] ')), lines.join('\n'));
  });

  it('refuses an upstream answer larger than maxResponseBytes', async () => {
    const path = 'offramp/operations/ExM63FJ9ZsAZF2VfTfU4rn7Sq';
    await call(handler(), 'offramp/operations', post(RAMPOFF));
    assert.equal((await call(handler(EU, { maxResponseBytes: 100 }), path)).status, 502);
  });

  it('asks the API for its assets at most every 5 minutes', async () => {
    overrides['/api/available-assets'] = { status: 200, body: JSON.stringify({ status: 'ok', data: [{ symbol: 'BUSD', decimals: 18, chains: ['bsc'] }] }) };
    let clock = 1_000_000;
    const h = handler(EU, { now: () => clock });
    const asked = () => recorded.filter((r) => r.path === '/api/available-assets').length;
    await call(h, 'config');
    assert.equal(asked(), 1);
    clock += 5 * 60 * 1000;
    await call(h, 'config');
    assert.equal(asked(), 1, 'still fresh at 5 minutes');
    clock += 1;
    await call(h, 'config');
    assert.equal(asked(), 2, 'asked again after 5 minutes');
  });

  it('names the option that is wrong at start-up', () => {
    assert.throws(() => handler(EU, { registration: { termsUrl: 'http://shop.example/terms' } }), {
      name: 'TypeError',
      message: 'registration.termsUrl must be an https: URL',
    });
  });
});
