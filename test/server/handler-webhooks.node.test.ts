/**
 * Webhooks, token authentication and webhook subscriptions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSessionHandler, signWebhook } from '../../src/server/index.js';
import { verifyWebhook } from '../../src/server/webhooks.js';
import type { StatusEvent } from '../../src/types.js';
import { API_KEY, SECRET, EU, handler, call } from '../support/handler-stub.js';

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
  it('subscribing: an existing subscription is updated; a wrong key or no answer stops it; only http(s) URLs; the sandbox by default', async () => {
    const { subscribeWebhooks } = await import('../../src/server/index.js');
    const sent: string[] = [];
    const answer = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    const exists = async (input: RequestInfo | URL) => {
      const url = String(input instanceof Request ? input.url : input);
      sent.push(url);
      return url.endsWith('/api/subscribeToWebhook')
        ? answer({ status: 'error', error: 'subscription_already_exists' })
        : answer({ status: 'ok', data: 'subscription_updated' });
    };
    const url = 'https://shop.example/ramp/webhooks';
    assert.deepEqual(await subscribeWebhooks({ url, apiKey: 'k', types: ['PAY_IN'], fetch: exists }), { PAY_IN: 'subscription_updated' });
    assert.deepEqual(sent, ['https://sandbox.cryptopocket.io/api/subscribeToWebhook', 'https://sandbox.cryptopocket.io/api/updateWebhookSubscription']);

    sent.length = 0;
    const wrongKey = async (input: RequestInfo | URL) => {
      sent.push(String(input));
      return answer({ status: 'error', error: 'authorization_incorrect' });
    };
    await assert.rejects(subscribeWebhooks({ url, apiKey: 'k', apiOrigin: 'http://api.test', fetch: wrongKey }), { code: 'authorization_incorrect' });
    assert.deepEqual(sent, ['http://api.test/api/subscribeToWebhook'], 'no update, no other type');

    sent.length = 0;
    const down = async (input: RequestInfo | URL) => {
      sent.push(String(input));
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
    };
    await assert.rejects(subscribeWebhooks({ url, apiKey: 'k', apiOrigin: 'http://api.test', fetch: down }), { status: 0 });
    assert.ok(
      sent.every((u) => u.endsWith('/api/subscribeToWebhook')),
      sent.join(' '),
    );

    for (const bad of ['ftp://shop.example/hook', 'shop.example/hook', ' https://shop.example/hook'])
      await assert.rejects(subscribeWebhooks({ url: bad, apiKey: 'k', fetch: exists }), { name: 'TypeError', message: 'url must be an http(s) URL' });
  });
});

describe('the in-memory bus (one instance)', () => {
  it('delivers to every subscriber of the operation, and forgets each one that leaves', async () => {
    const { MemoryBus } = await import('../../src/server/bus.js');
    const bus = new MemoryBus();
    const got: string[] = [];
    const event = (id: string) => ({ flow: 'offramp', id, status: 'completed', raw: 'finished' }) as StatusEvent;
    const first = bus.subscribe('offramp', 'op-1', (e) => got.push(`first ${e.id}`));
    const second = bus.subscribe('offramp', 'op-1', (e) => got.push(`second ${e.id}`));
    const other = bus.subscribe('offramp', 'op-2', (e) => got.push(`other ${e.id}`));
    assert.deepEqual([bus.count('offramp', 'op-1'), bus.count('onramp', 'op-1'), bus.size], [2, 0, 3]);
    await bus.publish(event('op-1'));
    first();
    assert.deepEqual([bus.count('offramp', 'op-1'), bus.size], [1, 2]);
    await bus.publish(event('op-1'));
    second();
    other();
    assert.deepEqual([bus.count('offramp', 'op-1'), bus.size], [0, 0]);
    await bus.publish(event('op-1'));
    const again = bus.subscribe('offramp', 'op-1', (e) => got.push(`again ${e.id}`));
    await bus.publish(event('op-1'));
    again();
    assert.deepEqual(got, ['first op-1', 'second op-1', 'second op-1', 'again op-1']);
  });
});

describe('webhook verification on its own', () => {
  const body = '{"type":"COINS_SENT","data":{"id":"p1"}}';
  const now = 1_700_000_000_000;
  const ts = String(now / 1000);
  async function headers(extra: Record<string, string> = {}, timestamp = ts, text = body) {
    return new Headers({ 'x-api-key': API_KEY, 'x-timestamp': timestamp, 'x-signature': await signWebhook(SECRET, text, Number(timestamp)), ...extra });
  }
  const verify = async (h: Headers, options: Partial<Parameters<typeof verifyWebhook>[2]> = {}, raw: string | Uint8Array = body) =>
    verifyWebhook(raw, h, { secret: SECRET, apiKey: API_KEY, now: () => now, ...options });

  it('accepts the API’s signature over the raw body and the timestamp, in either case, with spaces around', async () => {
    assert.deepEqual(await verify(await headers()), { ok: true });
    const h = await headers();
    h.set('x-signature', ` ${h.get('x-signature')!.toUpperCase()} `);
    h.set('x-timestamp', ` ${ts} `);
    assert.deepEqual(await verify(h), { ok: true });
    assert.deepEqual(await verify(await headers({ 'x-api-key': 'anything' }), { apiKey: undefined }), { ok: true }, 'no key to check');
  });

  it('names what is wrong: the key, the timestamp (malformed or more than 5 minutes off either way), the signature', async () => {
    const reason = async (h: Headers, options: Partial<Parameters<typeof verifyWebhook>[2]> = {}) => {
      const verdict = await verify(h, options);
      return verdict.ok ? 'ok' : verdict.reason;
    };
    assert.equal(await reason(await headers({ 'x-api-key': `${API_KEY}x` })), 'unknown X-API-Key');
    assert.equal(await reason(await headers({ 'x-api-key': '' })), 'unknown X-API-Key');
    for (const bad of ['', 'soon', '1700000000.5', '1'.repeat(13), '-1700000000'])
      assert.equal(await reason(await headers({ 'x-timestamp': bad })), 'missing or malformed X-Timestamp', bad);
    for (const [offset, verdict] of [
      [300, 'ok'],
      [-300, 'ok'],
      [301, 'X-Timestamp outside the allowed window'],
      [-301, 'X-Timestamp outside the allowed window'],
    ] as const)
      assert.equal(await reason(await headers({}, String(now / 1000 + offset))), verdict, String(offset));
    assert.equal(await reason(await headers({}, String(now / 1000 - 60)), { toleranceSeconds: 30 }), 'X-Timestamp outside the allowed window');
    for (const bad of ['', 'z'.repeat(64), 'a'.repeat(63), 'a'.repeat(65)])
      assert.equal(await reason(await headers({ 'x-signature': bad })), 'missing or malformed X-Signature', bad);
    assert.equal(await reason(await headers({ 'x-signature': 'a'.repeat(64) })), 'signature mismatch');
    assert.equal(await reason(await headers({}, ts, `${body} `)), 'signature mismatch', 'a body changed by one space');
  });

  it('checks the bytes as they arrived: a body that is not valid UTF-8 is not repaired first', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"a":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);
    const { hmacSha256Hex } = await import('../../src/lib/hmac.js');
    const signature = await hmacSha256Hex(SECRET, new Uint8Array([...bytes, ...new TextEncoder().encode(ts)]));
    const h = new Headers({ 'x-api-key': API_KEY, 'x-timestamp': ts, 'x-signature': signature });
    assert.deepEqual(await verify(h, {}, bytes), { ok: true });
    assert.equal((await verify(h, {}, new TextDecoder().decode(bytes))).ok, false, 'the repaired text signs differently');
  });
});
