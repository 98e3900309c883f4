/**
 * The upstream client under the API client (src/server/upstream.ts): every envelope and error form the docs show,
 * the auth header or token, form bodies, what a refused connection means, and answers too large or cut off.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Json } from '../../src/lib/read.js';
import { interpret, Upstream, UpstreamError } from '../../src/server/upstream.js';

const error = (code: string, message: string, status: number, data?: Json) => (thrown: unknown) => {
  assert.ok(thrown instanceof UpstreamError, String(thrown));
  assert.deepEqual([thrown.code, thrown.message, thrown.status, thrown.data], [code, message, status, data]);
  return true;
};

describe('envelopes and errors as the API writes them', () => {
  it('success as ok, success or sucess in any case; the data, or the whole answer when it has no envelope', () => {
    for (const status of ['ok', 'success', 'sucess', 'OK', 'Success'])
      assert.deepEqual(interpret(200, { status, data: { id: 1 }, message: 'payment_created' }), { data: { id: 1 }, message: 'payment_created' }, status);
    assert.deepEqual(interpret(200, { status: 'ok' }), { data: null, message: undefined });
    assert.deepEqual(interpret(200, { id: 7 }), { data: { id: 7 }, message: undefined });
    assert.throws(() => interpret(200, { status: 'maybe', data: 1 }), error('upstream_error', 'Unexpected status "maybe".', 200));
  });

  it('an answer that is no JSON object: by its HTTP status', () => {
    assert.throws(() => interpret(0, undefined), error('upstream_unavailable', 'The payment service failed (0).', 0));
    assert.throws(() => interpret(500, undefined), error('upstream_unavailable', 'The payment service failed (500).', 500));
    assert.throws(() => interpret(503, ['x']), error('upstream_unavailable', 'The payment service failed (503).', 503));
    for (const [status, code] of [
      [401, 'authorization_incorrect'],
      [403, 'authorization_incorrect'],
      [404, 'not_found'],
      [429, 'rate_limited'],
      [400, 'upstream_error'],
      [499, 'upstream_error'],
    ] as const)
      assert.throws(() => interpret(status, undefined), error(code, `The payment service answered ${status}.`, status), String(status));
    assert.throws(() => interpret(200, undefined), error('bad_response', 'The payment service sent an unreadable answer.', 200));
    assert.throws(() => interpret(302, 'text'), error('bad_response', 'The payment service sent an unreadable answer.', 302));
  });

  it('a business error: its code from error (text or {code}), else a code-like message; its data, or the message', () => {
    assert.throws(
      () => interpret(200, { status: 'error', error: 'require_kyc', data: 'https://kyc.example' }),
      error('require_kyc', 'require_kyc', 200, 'https://kyc.example'),
    );
    assert.throws(
      () => interpret(200, { status: 'ERROR', error: { code: 'min_purchase' }, message: 'min 15 EUR' }),
      error('min_purchase', 'min 15 EUR', 200, 'min 15 EUR'),
    );
    for (const status of ['fail', 'failed'])
      assert.throws(() => interpret(200, { status, message: 'limit_exceded' }), error('limit_exceded', 'limit_exceded', 200, null), status);
    assert.throws(() => interpret(200, { status: 'error', message: 'Something broke' }), error('upstream_error', 'Something broke', 200, 'Something broke'));
    assert.throws(() => interpret(200, { status: 'error', error: { message: 'x' } }), error('upstream_error', 'upstream_error', 200, null));
  });

  it('HTTP errors with a JSON body: Laravel’s 422, 5xx, other 4xx, each with its code', () => {
    assert.throws(
      () => interpret(422, { message: 'The given data was invalid.', errors: { amount: ['required'] } }),
      error('invalid_request', 'The given data was invalid.', 422, 'The given data was invalid.'),
    );
    assert.throws(() => interpret(400, { errors: {} }), error('invalid_request', 'invalid_request', 400, null));
    assert.throws(() => interpret(502, { message: 'Bad Gateway' }), error('upstream_unavailable', 'Bad Gateway', 502, 'Bad Gateway'));
    assert.throws(() => interpret(404, { message: 'Not Found' }), error('not_found', 'Not Found', 404, 'Not Found'));
    assert.throws(() => interpret(429, {}), error('rate_limited', 'rate_limited', 429, null));
    assert.throws(
      () => interpret(401, { status: 'ok', message: 'authorization_incorrect' }),
      error('authorization_incorrect', 'authorization_incorrect', 401, null),
    );
  });
});

describe('the upstream client', () => {
  function upstream(
    answer: (url: URL, init: RequestInit) => Response | Promise<Response>,
    extra: { apiSecret?: string; origin?: string; maxResponseBytes?: number } = {},
  ) {
    const calls: { url: string; headers: Record<string, string>; body?: string }[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      calls.push({ url: url.href, headers: { ...(init?.headers as Record<string, string>) }, ...(init?.body ? { body: String(init.body) } : {}) });
      return answer(url, init ?? {});
    };
    return { client: new Upstream({ origin: extra.origin ?? 'https://api.test', apiKey: 'key-1', fetch, timeout: 1000, ...extra }), calls };
  }
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('sends the key in auth, the query without empty values, JSON or a form; the origin may end in /api', async () => {
    const { client, calls } = upstream(() => json({ status: 'ok', data: 1 }), { origin: 'https://api.test/api/' });
    await client.call('GET', '/api/price', { query: { symbol: 'USDC', chain: undefined } });
    await client.call('POST', '/api/subscribeToWebhook', { form: { url: 'https://shop.example/hook', type: 'PAY_IN' } });
    await client.call('POST', '/api/createRampoff', { body: '{"amount":20.5}' });
    assert.deepEqual(calls, [
      { url: 'https://api.test/api/price?symbol=USDC', headers: { accept: 'application/json', auth: 'key-1' } },
      {
        url: 'https://api.test/api/subscribeToWebhook',
        headers: { accept: 'application/json', auth: 'key-1', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'url=https%3A%2F%2Fshop.example%2Fhook&type=PAY_IN',
      },
      {
        url: 'https://api.test/api/createRampoff',
        headers: { accept: 'application/json', auth: 'key-1', 'content-type': 'application/json' },
        body: '{"amount":20.5}',
      },
    ]);
  });

  it('with a secret: one token for every call, read under any of its names; a new one once when it expires', async () => {
    for (const data of ['tok-1', { token: 'tok-1' }, { auth: 'tok-1' }, { access_token: 'tok-1' }, { api_token: 'tok-1' }]) {
      const { client, calls } = upstream((url) => (url.pathname === '/api/authenticate' ? json({ status: 'ok', data }) : json({ status: 'ok', data: 'x' })), {
        apiSecret: 's',
      });
      await Promise.all([client.call('GET', '/api/a'), client.call('GET', '/api/b')]);
      assert.deepEqual(
        calls.map((c) => `${new URL(c.url).pathname} ${c.headers.auth ?? '-'}`),
        ['/api/authenticate -', '/api/a tok-1', '/api/b tok-1'],
        JSON.stringify(data),
      );
      assert.deepEqual(JSON.parse(calls[0]!.body!), { api_key: 'key-1', api_secret: 's' });
    }
    let issued = 0;
    const { client, calls } = upstream(
      (url, init) => {
        if (url.pathname === '/api/authenticate') return json({ status: 'ok', data: { token: `tok-${(issued += 1)}` } });
        return (init.headers as Record<string, string>).auth === 'tok-1'
          ? json({ status: 'error', error: 'authorization_incorrect' })
          : json({ status: 'ok', data: 'done' });
      },
      { apiSecret: 's' },
    );
    assert.deepEqual(await client.call('GET', '/api/a'), { data: 'done', message: undefined });
    assert.deepEqual(
      calls.map((c) => `${new URL(c.url).pathname} ${c.headers.auth ?? '-'}`),
      ['/api/authenticate -', '/api/a tok-1', '/api/authenticate -', '/api/a tok-2'],
    );
  });

  it('with a secret: no token in the answer, or a failed authentication, is told; the next call authenticates again', async () => {
    let answer: unknown = { status: 'ok', data: { nothing: 'here' } };
    const { client, calls } = upstream((url) => (url.pathname === '/api/authenticate' ? json(answer) : json({ status: 'ok', data: 1 })), { apiSecret: 's' });
    await assert.rejects(client.call('GET', '/api/a'), error('authorization_incorrect', 'The payment service gave no token.', 200));
    answer = { status: 'error', error: 'authorization_incorrect' };
    await assert.rejects(client.call('GET', '/api/a'), { code: 'authorization_incorrect' });
    answer = { status: 'ok', data: 'tok' };
    await client.call('GET', '/api/a');
    assert.deepEqual(
      calls.map((c) => new URL(c.url).pathname),
      ['/api/authenticate', '/api/authenticate', '/api/authenticate', '/api/a'],
    );
    const other = upstream(
      (url) => (url.pathname === '/api/authenticate' ? json({ status: 'ok', data: 'tok' }) : json({ status: 'error', error: 'user_banned' })),
      { apiSecret: 's' },
    );
    await assert.rejects(other.client.call('GET', '/api/a'), { code: 'user_banned' });
    assert.equal(other.calls.length, 2, 'another refusal is not retried');
  });

  it('a connection never made cannot have reached the API; any other failure may have', async () => {
    for (const [code, reached] of [
      ['ECONNREFUSED', false],
      ['ENOTFOUND', false],
      ['EAI_AGAIN', false],
      ['ECONNRESET', true],
      [undefined, true],
    ] as const) {
      const { client } = upstream(() => {
        throw new TypeError('fetch failed', code ? { cause: Object.assign(new Error(code), { code }) } : {});
      });
      await assert.rejects(client.call('POST', '/api/createRampoff', { body: '{}' }), (thrown: unknown) => {
        assert.ok(thrown instanceof UpstreamError);
        assert.deepEqual(
          [thrown.code, thrown.message, thrown.status, thrown.mayHaveReached],
          ['upstream_unavailable', 'The payment service could not be reached.', 0, reached],
        );
        return true;
      });
    }
  });

  it('an answer larger than the limit, declared or streamed, is refused; one cut off is unavailable; none is unreadable', async () => {
    const tooLarge = error('bad_response', 'The payment service sent an answer that is too large.', 200);
    const big = JSON.stringify({ status: 'ok', data: 'x'.repeat(200) });
    await assert.rejects(upstream(() => new Response(big), { maxResponseBytes: 100 }).client.call('GET', '/api/a'), tooLarge);
    // declared too large: refused before a byte of the body is read
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(10));
      },
    });
    await assert.rejects(
      upstream(() => new Response(endless, { headers: { 'content-length': '101' } }), { maxResponseBytes: 100 }).client.call('GET', '/api/a'),
      tooLarge,
    );
    assert.ok(pulled <= 1, `${pulled} chunks read`);
    const declared = JSON.stringify({ status: 'ok', data: 'z' });
    assert.equal(
      (
        await upstream(() => new Response(declared, { headers: { 'content-length': String(declared.length) } }), {
          maxResponseBytes: declared.length,
        }).client.call('GET', '/api/a')
      ).data,
      'z',
      'exactly the limit, declared',
    );
    const stream = (chunks: string[], fail = false) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          if (fail) controller.error(new Error('reset'));
          else controller.close();
        },
      });
    await assert.rejects(
      upstream(() => new Response(stream([big.slice(0, 80), big.slice(80)])), { maxResponseBytes: 100 }).client.call('GET', '/api/a'),
      tooLarge,
    );
    assert.deepEqual(await upstream(() => new Response(stream(['{"status":"ok",', '"data":2}'])), { maxResponseBytes: 100 }).client.call('GET', '/api/a'), {
      data: 2,
      message: undefined,
    });
    const exact = JSON.stringify({ status: 'ok', data: 'y'.repeat(50) });
    assert.equal((await upstream(() => new Response(exact), { maxResponseBytes: exact.length }).client.call('GET', '/api/a')).data, 'y'.repeat(50));
    await assert.rejects(
      upstream(() => new Response(stream(['{"status":'], true))).client.call('GET', '/api/a'),
      error('upstream_unavailable', 'The payment service answer was cut off.', 200),
    );
    await assert.rejects(
      upstream(() => new Response(null, { status: 200 })).client.call('GET', '/api/a'),
      error('bad_response', 'The payment service sent an unreadable answer.', 200),
    );
  });
});
