/**
 * The session handler against the documented API: an independent stub over HTTP answers with the docs' own
 * examples, so these tests check the handler against the docs rather than against our simulator; the upstream
 * envelope's quirks; the Node http adapter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toNodeListener } from '../../src/server/index.js';
import { interpret, UpstreamError } from '../../src/server/upstream.js';
import { parsePayment, parseRampoff } from '../../src/server/upstream-map.js';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_KEY, recorded, RAMPOFF, handler, call, post } from '../support/handler-stub.js';

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

describe('Node http adapter, as Express and http.createServer use it', () => {
  async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void) {
    const server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { base, close: () => (server.closeAllConnections(), server.close()) };
  }

  it('hands the handler the method, the full URL (an Express mount keeps its path), every header and the body', async () => {
    const seen: { url: string; method: string; body: string; cookies: string[]; agent: string | null }[] = [];
    const echo = async (request: Request) => {
      seen.push({
        url: request.url,
        method: request.method,
        body: request.method === 'GET' ? '' : await request.text(),
        cookies: request.headers.getSetCookie(),
        agent: request.headers.get('user-agent'),
      });
      return new Response(null, { status: 204, headers: { 'x-answer': 'yes' } });
    };
    const plain = toNodeListener(echo);
    const mounted = toNodeListener(echo, { origin: 'https://shop.example' });
    const { base, close } = await serve((req, res) => {
      if (req.url?.startsWith('/mounted')) {
        // what Express does for app.use('/mounted', listener)
        Object.assign(req, { originalUrl: req.url, url: req.url.slice('/mounted'.length) || '/' });
        void mounted(req, res);
      } else void plain(req, res);
    });
    try {
      const got = await fetch(`${base}/ramp/config?x=1`, { headers: { 'user-agent': 'test-agent' } });
      assert.deepEqual([got.status, got.headers.get('x-answer'), await got.text()], [204, 'yes', '']);
      await fetch(`${base}/mounted/ramp/register`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(`${base}/cookies`, { method: 'PUT', headers: { 'set-cookie': ['a=1', 'b=2'] } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end('x');
      });
    } finally {
      close();
    }
    assert.equal(seen[0]!.url, `${base}/ramp/config?x=1`);
    assert.deepEqual([seen[0]!.method, seen[0]!.agent, seen[0]!.body], ['GET', 'test-agent', '']);
    assert.deepEqual([seen[1]!.url, seen[1]!.method, seen[1]!.body], ['https://shop.example/mounted/ramp/register', 'POST', '{"a":1}']);
    assert.deepEqual([seen[2]!.method, seen[2]!.cookies, seen[2]!.body], ['PUT', ['a=1', 'b=2'], 'x']);
  });

  it('streams the answer as it comes, and tells the handler when the client goes away', async () => {
    let aborted: Promise<void> | undefined;
    const stream = async (request: Request) => {
      aborted = new Promise((resolve) => request.signal.addEventListener('abort', () => resolve(), { once: true }));
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          controller.enqueue(new TextEncoder().encode(`data: ${(n += 1)}\n\n`));
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    };
    const { base, close } = await serve(toNodeListener(stream));
    try {
      const controller = new AbortController();
      const res = await fetch(`${base}/events`, { signal: controller.signal });
      assert.equal(res.headers.get('content-type'), 'text/event-stream');
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('data: 3')) text += new TextDecoder().decode((await reader.read()).value);
      assert.ok(text.startsWith('data: 1\n\ndata: 2\n\n'), text);
      controller.abort();
      await aborted;
    } finally {
      close();
    }
  });

  it('a handler that throws: a JSON 500 on its own, or Express’s next(error)', async () => {
    const fails = async (): Promise<Response> => {
      throw new Error('boom');
    };
    const passed: unknown[] = [];
    const alone = toNodeListener(fails);
    const express = toNodeListener(fails);
    const { base, close } = await serve((req, res) => {
      if (req.url === '/express')
        void express(req, res, (error) => {
          passed.push(error);
          res.writeHead(418).end();
        });
      else void alone(req, res);
    });
    try {
      const res = await fetch(`${base}/alone`);
      assert.equal(res.status, 500);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.deepEqual(await res.json(), { error: { code: 'server_error', message: 'Something went wrong on the server.' } });
      assert.equal((await fetch(`${base}/express`)).status, 418);
      assert.equal((passed[0] as Error).message, 'boom');
    } finally {
      close();
    }
  });
});
