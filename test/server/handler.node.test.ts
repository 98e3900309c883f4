import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSessionHandler, signWebhook, toNodeListener, type SessionUser } from '../../src/server/index.js';
import { interpret, UpstreamError } from '../../src/server/upstream.js';
import { decimal, jsonBody } from '../../src/lib/json.js';
import { parsePayment, parseRampoff } from '../../src/server/upstream-map.js';
import type { StatusEvent } from '../../src/types.js';

/**
 * A second, independent stub of the documented CryptopocketAPI over real HTTP: it answers with the
 * docs' own examples and records what the handler sent, so these tests check the handler against
 * the docs rather than against our simulator.
 */
interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
}

const API_KEY = 'b87bsdf8hdsj9fh9sd78fubsdoiufbj';
const SECRET = 'whsec-test';
let stub: Server;
let origin = '';
const recorded: Recorded[] = [];
/** Per path: the next answer (status, JSON text); a missing entry falls back to the docs' examples. */
let overrides: Record<string, { status: number; body: string; delayMs?: number }> = {};

const DOCS: Record<string, string> = {
  'GET /api/kyc/check': '{"status":"ok","data":{"kyc_status":"valid"}}',
  'POST /api/createRampoff':
    '{"status":"ok","data":{"rampoff":"payment created","wallet":"0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a","id":"ExM63FJ9ZsAZF2VfTfU4rn7Sq"}}',
  'GET /api/getRampoff':
    '{"status":"ok","data":{"id":"ExM63FJ9ZsAZF2VfTfU4rn7Sq","status":"finished","blockchain":"bsc","crypto":"BUSD","amount":"20000000000000000000","decimals":18,"fiat_amount":"4800.24"}}',
  'POST /api/createPayment':
    '{"status":"sucess","message":"payment_created","data":{"payment_id":"9NM6ICl2KDaUiMtkDm4JSTqdQ","iban":"ES6800491500051234567892","bic":"PFSSESM1XXX","concept":120037,"destination_name":"Fintech Payments, S.L"}}',
  'GET /api/payment/9NM6ICl2KDaUiMtkDm4JSTqdQ':
    '{"status":"ok","data":{"id":"9NM6ICl2KDaUiMtkDm4JSTqdQ","external_id":"order-abc-001","user_id":"106","status":"started","fiat_amount":15050,"fiat_symbol":"EUR","coin_symbol":"USDC","coin_amount":148.32,"created_at":"2026-06-26T10:30:00.000000Z","holder":null}}',
};

before(async () => {
  stub = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      recorded.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
      const key = `${req.method} ${url.pathname}`;
      const override = overrides[url.pathname];
      const answer = () => {
        if (override) {
          res.writeHead(override.status, { 'content-type': 'application/json' });
          res.end(override.body);
        } else if (DOCS[key]) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(DOCS[key]);
        } else {
          res.writeHead(404, { 'content-type': 'text/html' });
          res.end('<h1>Not Found</h1>');
        }
      };
      if (override?.delayMs) setTimeout(answer, override.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});

after(() => {
  stub.closeAllConnections();
  stub.close();
});

beforeEach(() => {
  recorded.length = 0;
  overrides = {};
});

const EU: SessionUser = { id: 106, region: 'EU' };
const logs: string[] = [];

function handler(user: SessionUser | null = EU, extra: Partial<Parameters<typeof createSessionHandler>[0]> = {}) {
  return createSessionHandler({
    apiOrigin: origin,
    apiKey: API_KEY,
    webhookSecret: SECRET,
    basePath: '/ramp',
    resolveUser: () => user,
    timeout: 500,
    log: (line) => logs.push(line),
    ...extra,
  });
}

function call(h: (r: Request) => Promise<Response>, path: string, init: RequestInit = {}) {
  return h(new Request(`http://shop.test/ramp/${path}`, init));
}

function post(body: unknown, key = 'key-12345678', headers: Record<string, string> = {}) {
  return { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers } };
}

const RAMPOFF = { amount: '20', symbol: 'BUSD', chain: 'bsc', fiat: 'EUR', iban: 'es91 2100 0418 4502 0005 1332' };

describe('session handler → documented API (independent stub over HTTP)', () => {
  it('creates a rampoff with the documented path, auth header and field names', async () => {
    const res = await call(handler(), 'offramp/operations', post(RAMPOFF));
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { id: 'ExM63FJ9ZsAZF2VfTfU4rn7Sq', wallet: '0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a' });
    const sent = recorded.find((r) => r.path === '/api/createRampoff')!;
    assert.equal(sent.method, 'POST');
    assert.equal(sent.headers.auth, API_KEY);
    assert.equal(sent.headers.authorization, undefined);
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(sent.body), { user_id: 106, amount: 20, symbol: 'BUSD', blockchain: 'bsc', iban: 'ES9121000418450200051332' });
  });

  it('reads rampoff status with GET /api/getRampoff?id= and base units + decimals', async () => {
    const h = handler();
    await call(h, 'offramp/operations', post(RAMPOFF));
    const res = await call(h, 'offramp/operations/ExM63FJ9ZsAZF2VfTfU4rn7Sq');
    assert.equal(res.status, 200);
    const op = await res.json();
    assert.deepEqual(recorded.at(-1)!.query, { id: 'ExM63FJ9ZsAZF2VfTfU4rn7Sq' });
    assert.equal(recorded.at(-1)!.path, '/api/getRampoff');
    assert.equal(op.status, 'completed');
    assert.equal(op.raw, 'finished');
    assert.equal(op.tokenAmount, '20');
    assert.equal(op.fiatAmount, '4800.24');
    assert.equal(op.ibanMasked, '••••1332');
  });

  it('creates a payment with createPayment field names and reads it back in cents', async () => {
    const h = handler();
    const res = await call(
      h,
      'onramp/payments',
      post(
        { fiatAmount: '150.50', fiat: 'EUR', symbol: 'USDC', chain: 'polygon', wallet: '0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a', method: 'transfer' },
        'order-abc-001',
      ),
    );
    assert.equal(res.status, 201, await res.clone().text());
    const created = await res.json();
    // "sucess" is success; the concept number becomes a string
    assert.deepEqual(created.bankTransfer, { iban: 'ES6800491500051234567892', bic: 'PFSSESM1XXX', beneficiary: 'Fintech Payments, S.L', reference: '120037' });
    const sent = JSON.parse(recorded.find((r) => r.path === '/api/createPayment')!.body);
    assert.deepEqual(sent, {
      user_id: 106,
      external_id: 'order-abc-001',
      payment_type: 'transfer',
      fiat_symbol: 'EUR',
      fiat_amount: 150.5,
      coin_symbol: 'USDC',
      coin_chain: 'polygon',
      wallet: '0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a',
    });
    const status = await (await call(h, 'onramp/payments/9NM6ICl2KDaUiMtkDm4JSTqdQ')).json();
    assert.equal(recorded.at(-1)!.path, '/api/payment/9NM6ICl2KDaUiMtkDm4JSTqdQ');
    assert.equal(status.fiatAmount, '150.5');
    assert.equal(status.tokenAmount, '148.32');
    assert.equal(status.status, 'created');
  });

  it('asks KYC with GET /api/kyc/check?user_id= and falls back to the documented EU methods', async () => {
    const res = await call(handler(), 'config');
    assert.equal(res.status, 200);
    const config = await res.json();
    assert.equal(recorded.find((r) => r.path === '/api/kyc/check')!.query.user_id, '106');
    assert.equal(config.kyc.status, 'valid');
    assert.deepEqual(config.paymentMethods, ['card', 'paypal', 'psd2', 'transfer']);
    assert.ok(config.assets.length > 0);
  });

  it('omits chain and IBAN for LATAM and sends bank_name', async () => {
    const res = await call(
      handler({ id: 200, region: 'LATAM', fiat: 'ARS' }),
      'offramp/operations',
      post({ amount: '20', symbol: 'USDT', fiat: 'ARS', bankName: 'Banco Nación', chain: 'bsc', iban: 'x' }),
    );
    assert.equal(res.status, 201);
    assert.deepEqual(JSON.parse(recorded.find((r) => r.path === '/api/createRampoff')!.body), {
      user_id: 200,
      amount: 20,
      symbol: 'USDT',
      bank_name: 'Banco Nación',
    });
  });
});

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

describe('session handler: idempotent creates', () => {
  it('replays the first answer for the same key: one upstream create', async () => {
    const h = handler();
    const [a, b] = await Promise.all([call(h, 'offramp/operations', post(RAMPOFF)), call(h, 'offramp/operations', post(RAMPOFF))]);
    const c = await call(h, 'offramp/operations', post(RAMPOFF));
    assert.deepEqual([a.status, b.status, c.status], [201, 201, 201]);
    assert.equal(c.headers.get('idempotent-replayed'), 'true');
    assert.equal(recorded.filter((r) => r.path === '/api/createRampoff').length, 1);
  });

  it('refuses the same key with a different body (422)', async () => {
    const h = handler();
    await call(h, 'offramp/operations', post(RAMPOFF));
    const res = await call(h, 'offramp/operations', post({ ...RAMPOFF, amount: '21' }));
    assert.equal(res.status, 422);
    assert.equal((await res.json()).error.code, 'idempotency_mismatch');
  });

  it('lets a create the API refused with a retryable code be sent again with the same key', async () => {
    const h = handler();
    overrides['/api/createRampoff'] = { status: 200, body: '{"status":"error","error":"error_payment_creation"}' };
    assert.equal((await call(h, 'offramp/operations', post(RAMPOFF))).status, 502);
    delete overrides['/api/createRampoff'];
    assert.equal((await call(h, 'offramp/operations', post(RAMPOFF))).status, 201);
    assert.equal(recorded.filter((r) => r.path === '/api/createRampoff').length, 2);
  });

  it('replays a definitive refusal for the same key without asking again', async () => {
    const h = handler();
    overrides['/api/createRampoff'] = { status: 200, body: '{"status":"error","error":"limit_exceded"}' };
    const first = await call(h, 'offramp/operations', post(RAMPOFF));
    delete overrides['/api/createRampoff'];
    const again = await call(h, 'offramp/operations', post(RAMPOFF));
    assert.deepEqual([first.status, again.status], [422, 422]);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(recorded.filter((r) => r.path === '/api/createRampoff').length, 1);
  });
});

describe('webhooks', () => {
  const body = JSON.stringify({ event_id: 'evt-1', type: 'TRANSFER_RAMPOFF_FINISHED', data: { id: 'ExM63FJ9ZsAZF2VfTfU4rn7Sq' } });

  async function deliver(h: ReturnType<typeof handler>, raw: string, headers: Record<string, string>) {
    return call(h, 'webhooks', { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...headers } });
  }

  async function signed(raw: string, ts = Math.floor(Date.now() / 1000)) {
    return { 'x-api-key': API_KEY, 'x-timestamp': String(ts), 'x-signature': await signWebhook(SECRET, raw, ts) };
  }

  it('accepts a valid signature and feeds the status stream once', async () => {
    const h = handler();
    const seen: StatusEvent[] = [];
    h.bus.subscribe('offramp', 'ExM63FJ9ZsAZF2VfTfU4rn7Sq', (e) => seen.push(e));
    const headers = await signed(body);
    const res = await deliver(h, body, headers);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: true, applied: true });
    assert.deepEqual(
      seen.map(({ operation, ...event }) => ({ ...event, fiatAmount: operation?.fiatAmount })),
      [{ id: 'ExM63FJ9ZsAZF2VfTfU4rn7Sq', flow: 'offramp', status: 'completed', raw: 'finished', fiatAmount: '4800.24' }],
      'the operation is read once and travels with the event',
    );
    const replay = await deliver(h, body, headers);
    assert.equal(replay.status, 200, 'a replay is acknowledged');
    assert.equal(seen.length, 1, '…but not applied twice');
  });

  it('verifies the HMAC over the raw bytes, even when they are not valid UTF-8', async () => {
    const h = handler();
    // a holder name sent in Latin-1: 0xE9 is not UTF-8; decoding it first would change the signed bytes
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"event_id":"evt-latin1","type":"TRANSFER_RAMPOFF_FINISHED","data":{"id":"ExM63FJ9ZsAZF2VfTfU4rn7Sq","holder":"Jos'),
      0xe9,
      ...new TextEncoder().encode('"}}'),
    ]);
    const ts = Math.floor(Date.now() / 1000);
    const { hmacSha256Hex } = await import('../../src/lib/hmac.js');
    const signature = await hmacSha256Hex(SECRET, new Uint8Array([...bytes, ...new TextEncoder().encode(String(ts))]));
    const res = await call(h, 'webhooks', {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, 'x-timestamp': String(ts), 'x-signature': signature },
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).applied, true);
  });

  it('rejects a wrong, malformed or missing signature, a stale timestamp and a wrong key, with 401', async () => {
    const h = handler();
    const seen: StatusEvent[] = [];
    h.bus.subscribe('offramp', 'ExM63FJ9ZsAZF2VfTfU4rn7Sq', (e) => seen.push(e));
    const good = await signed(body);
    const cases: Record<string, string>[] = [
      { ...good, 'x-signature': good['x-signature']!.replace(/.$/, (c) => (c === '0' ? '1' : '0')) },
      { ...good, 'x-signature': 'zz' },
      { ...good, 'x-signature': '' },
      { ...good, 'x-signature': good['x-signature']! + '00' },
      await signed(body, Math.floor(Date.now() / 1000) - 301),
      await signed(body, Math.floor(Date.now() / 1000) + 400),
      { ...good, 'x-timestamp': 'yesterday' },
      { ...good, 'x-api-key': 'someone-else' },
    ];
    for (const headers of cases) assert.equal((await deliver(h, body, headers)).status, 401, JSON.stringify(headers));
    // the body is signed raw: re-serialised JSON does not verify
    assert.equal((await deliver(h, JSON.stringify(JSON.parse(body), null, 2), good)).status, 401);
    assert.equal(seen.length, 0);
  });
});

describe('upstream envelope quirks', () => {
  it('treats ok, success and sucess as success', () => {
    for (const status of ['ok', 'success', 'sucess']) assert.deepEqual(interpret(200, { status, data: { a: 1 } }).data, { a: 1 });
  });
  it('reads business errors on HTTP 200 from error or message', () => {
    assert.throws(
      () => interpret(200, { status: 'error', error: 'limit_exceded' }),
      (e: UpstreamError) => e.code === 'limit_exceded',
    );
    assert.throws(
      () => interpret(200, { status: 'error', message: 'coin_not_supported' }),
      (e: UpstreamError) => e.code === 'coin_not_supported',
    );
    assert.throws(
      () => interpret(200, { status: 'error', error: 'min_purchase', message: '20' }),
      (e: UpstreamError) => e.code === 'min_purchase' && e.data === '20',
    );
  });
  it('reads Laravel-style 422 validation and non-JSON failures', () => {
    assert.throws(
      () => interpret(422, { message: 'The email field is required.', errors: { email: ['x'] } }),
      (e: UpstreamError) => e.code === 'invalid_request',
    );
    assert.throws(
      () => interpret(503, undefined),
      (e: UpstreamError) => e.code === 'upstream_unavailable',
    );
    assert.throws(
      () => interpret(404, { status: 'error', error: 'user_not_in_integration' }),
      (e: UpstreamError) => e.code === 'user_not_in_integration',
    );
  });
  it('reads amounts in cents, base units and numbers; user_id as number or string', () => {
    const p = parsePayment({ id: 'x', user_id: 100067, status: 'coins_sent', fiat_amount: 15050, coin_amount: 148.32, txid: '0xabc' });
    assert.equal(p.fiatAmount, '150.5');
    assert.equal(p.tokenAmount, '148.32');
    assert.equal(p.userId, '100067');
    assert.equal(p.status, 'completed');
    const r = parseRampoff({ id: 'y', status: 'weird_new_state', amount: '1500000', decimals: 6, fiat_amount: '1.38' });
    assert.equal(r.tokenAmount, '1.5');
    assert.equal(r.status, 'processing');
  });
});

describe('Node http adapter', () => {
  it('serves the handler over real HTTP', async () => {
    const server = createServer(toNodeListener(handler()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ramp/offramp/operations`, post(RAMPOFF, 'http-key-123'));
      assert.equal(res.status, 201);
      assert.equal((await res.json()).id, 'ExM63FJ9ZsAZF2VfTfU4rn7Sq');
      assert.equal((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status, 404);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('token authentication and webhook subscriptions (simulator)', () => {
  it('with an API secret: authenticates once, sends the token in auth, re-authenticates when it expires', async () => {
    const { createSimulator } = await import('../../src/simulator/index.js');
    const sim = createSimulator({ apiKey: 'key-1', apiSecret: 'secret-1' });
    const h = createSessionHandler({
      apiOrigin: 'http://sim.test',
      apiKey: 'key-1',
      apiSecret: 'secret-1',
      basePath: '/ramp',
      fetch: sim.fetch,
      resolveUser: () => EU,
      log: () => {},
    });
    assert.equal((await call(h, 'price?symbol=USDC')).status, 200);
    assert.equal((await call(h, 'price?symbol=USDT')).status, 200);
    const auths = sim.requests.filter((r) => r.path === '/api/authenticate');
    assert.equal(auths.length, 1, 'one token for many calls');
    assert.deepEqual(JSON.parse(auths[0]!.body), { api_key: 'key-1', api_secret: 'secret-1' });
    const priced = sim.requests.filter((r) => r.path === '/api/price');
    assert.ok(
      priced.every((r) => r.auth && r.auth !== 'key-1'),
      'the token, not the key, goes in auth',
    );
    sim.expireTokens();
    assert.equal((await call(h, 'price?symbol=ETH')).status, 200, 'an expired token is renewed transparently');
    assert.equal(sim.requests.filter((r) => r.path === '/api/authenticate').length, 2);
    const wrong = createSessionHandler({
      apiOrigin: 'http://sim.test',
      apiKey: 'key-1',
      apiSecret: 'nope',
      basePath: '/ramp',
      fetch: sim.fetch,
      resolveUser: () => EU,
      log: () => {},
    });
    const refused = await call(wrong, 'price?symbol=USDC');
    assert.equal(refused.status, 502);
    assert.equal((await refused.json()).error.code, 'authorization_incorrect');
  });

  it('subscribes the webhook URL to the four event types, form-encoded', async () => {
    const { createSimulator } = await import('../../src/simulator/index.js');
    const { subscribeWebhooks } = await import('../../src/server/index.js');
    const sim = createSimulator({ apiKey: 'key-2' });
    const results = await subscribeWebhooks({
      url: 'https://shop.example/api/ramp-session/webhooks',
      apiKey: 'key-2',
      apiOrigin: 'http://sim.test',
      fetch: sim.fetch,
    });
    assert.deepEqual(results, {
      PAY_IN: 'subscription_created',
      COINS_SENT: 'subscription_created',
      CRYPTO_RECEIVED: 'subscription_created',
      TRANSFER_RAMPOFF_FINISHED: 'subscription_created',
    });
    const sent = sim.requests.filter((r) => r.path === '/api/subscribeToWebhook');
    assert.equal(sent.length, 4);
    assert.equal(sent[0]!.contentType, 'application/x-www-form-urlencoded');
    assert.equal(new URLSearchParams(sent[0]!.body).get('url'), 'https://shop.example/api/ramp-session/webhooks');
  });
});

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
