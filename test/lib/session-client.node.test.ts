/**
 * The widget's transport (`SessionClient`) and the shapes it reads, in Node: against scripted answers where a fault is
 * the point, and against the real session handler and simulator for the contract. The browser suite drives the same
 * client through the element; these tests pin its rules one by one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SessionClient, backoff } from '../../src/lib/session-client.js';
import { RampError, isRetryableStatus } from '../../src/lib/errors.js';
import { parseCreatedPayment, parseCreatedRampoff, parseOperation, parseOperationList, parseRegistration } from '../../src/lib/protocol-operations.js';
import { clearOpen, loadOpen, saveOpen } from '../../src/lib/resume.js';
import { OPEN_PREFIX, hasOpen } from '../../src/lib/resume-key.js';
import { explorerLink } from '../../src/lib/explorers.js';
import { chainLabel } from '../../src/lib/chains.js';
import { ShapeError } from '../../src/lib/read.js';
import { instance, simulator } from '../support/faults.js';

const BASE = 'https://shop.test/session/eu';
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const parseAny = (body: unknown) => body;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail('expected a failure'),
    (error: unknown) => error as RampError,
  );

/** A fetch that answers from a script (the last step repeats), recording every call. */
function scripted(steps: ((init: RequestInit) => Response | Promise<Response>)[]) {
  const calls: { url: string; init: RequestInit; headers: Headers }[] = [];
  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), init, headers: new Headers(init.headers) });
    return steps[Math.min(calls.length - 1, steps.length - 1)]!(init);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const client = (fetch: typeof globalThis.fetch, extra: Partial<ConstructorParameters<typeof SessionClient>[0]> = {}) =>
  new SessionClient({ url: BASE, fetch, timeout: 1000, retries: 2, ...extra });

/** Answers with `retry-after: 0` so retries do not wait for the backoff. */
const quick = (body: unknown, status: number) => () => json(body, status, { 'retry-after': '0' });

describe('session client: addresses and headers', () => {
  it('joins protocol paths under the session URL (with or without its slash) and drops empty query values', () => {
    for (const url of [BASE, `${BASE}/`]) {
      const address = new SessionClient({ url }).url('offramp/quote', { amount: '25', symbol: 'USDC', chain: undefined, fiat: '' });
      assert.equal(address.href, 'https://shop.test/session/eu/offramp/quote?amount=25&symbol=USDC');
    }
  });

  it('sends JSON with the session credentials, the bearer token when given, and the key of a create', async () => {
    const { fetch, calls } = scripted([() => json({ id: 'op-1', wallet: 'w' }, 201)]);
    await client(fetch, { token: 'tok-1', credentials: 'include' }).post('offramp/operations', { amount: '1' }, parseAny, { idempotencyKey: 'key-12345678' });
    const [call] = calls;
    assert.equal(call!.url, `${BASE}/offramp/operations`);
    assert.equal(call!.init.method, 'POST');
    assert.equal(call!.init.credentials, 'include');
    assert.equal(call!.init.body, '{"amount":"1"}');
    assert.equal(call!.headers.get('authorization'), 'Bearer tok-1');
    assert.equal(call!.headers.get('content-type'), 'application/json');
    assert.equal(call!.headers.get('accept'), 'application/json');
    assert.equal(call!.headers.get('idempotency-key'), 'key-12345678');
  });

  it('a GET carries no body, no content type, no key and no token unless given; credentials are same-origin by default', async () => {
    const { fetch, calls } = scripted([() => json({ ok: 1 })]);
    assert.deepEqual(await client(fetch).get('config', parseAny, { query: { a: 'b' } }), { ok: 1 });
    const [call] = calls;
    assert.equal(call!.url, `${BASE}/config?a=b`);
    assert.equal(call!.init.method, 'GET');
    assert.equal(call!.init.body, undefined);
    assert.equal(call!.init.credentials, 'same-origin');
    assert.equal(call!.headers.get('content-type'), null);
    assert.equal(call!.headers.get('idempotency-key'), null);
    assert.equal(call!.headers.get('authorization'), null);
  });
});

describe('session client: retries only where they are safe', () => {
  // the client's per-attempt timeout is an AbortSignal.timeout(), whose timer does not keep Node's event loop alive
  let keepAlive: ReturnType<typeof setInterval>;
  before(() => (keepAlive = setInterval(() => {}, 1000)));
  after(() => clearInterval(keepAlive));

  it('a dropped connection on a GET is retried, then the answer is used', async () => {
    const { fetch, calls } = scripted([() => Promise.reject(new TypeError('fetch failed')), () => json({ ok: 1 })]);
    assert.deepEqual(await client(fetch, { retries: 1 }).get('config', parseAny), { ok: 1 });
    assert.equal(calls.length, 2);
  });

  it('a GET that keeps failing is tried 1 + retries times and ends in the last error', async () => {
    const { fetch, calls } = scripted([quick({ error: { code: 'upstream_unavailable', message: 'down' } }, 502)]);
    const error = await failure(client(fetch).get('config', parseAny));
    assert.equal(calls.length, 3);
    assert.equal(error.code, 'upstream_unavailable');
    assert.equal(error.status, 502);
    assert.equal(error.retryable, true);
  });

  it('a create without a key is sent once, whatever the error; with a key it is retried with the same key', async () => {
    const bare = scripted([quick({ error: { code: 'upstream_unavailable', message: 'x' } }, 502), () => json({ id: 'a', wallet: 'w' }, 201)]);
    assert.equal((await failure(client(bare.fetch).post('offramp/operations', {}, parseAny))).code, 'upstream_unavailable');
    assert.equal(bare.calls.length, 1);
    const keyed = scripted([quick({ error: { code: 'upstream_unavailable', message: 'x' } }, 502), () => json({ id: 'a', wallet: 'w' }, 201)]);
    assert.deepEqual(await client(keyed.fetch).post('offramp/operations', {}, parseAny, { idempotencyKey: 'same-key-123' }), { id: 'a', wallet: 'w' });
    assert.deepEqual(
      keyed.calls.map((c) => c.headers.get('idempotency-key')),
      ['same-key-123', 'same-key-123'],
    );
  });

  it('a refusal (4xx) is not retried', async () => {
    const { fetch, calls } = scripted([() => json({ error: { code: 'invalid_amount', message: 'Enter an amount greater than zero.' } }, 400)]);
    const error = await failure(client(fetch).get('offramp/quote', parseAny));
    assert.equal(calls.length, 1);
    assert.deepEqual([error.code, error.message, error.retryable, error.status], ['invalid_amount', 'Enter an amount greater than zero.', false, 400]);
  });

  it('409 request_in_progress is retried with the same key (never a new one)', async () => {
    const { fetch, calls } = scripted([quick({ error: { code: 'request_in_progress', message: 'running' } }, 409), () => json({ id: 'b', wallet: 'w' }, 201)]);
    assert.deepEqual(await client(fetch).post('offramp/operations', {}, parseAny, { idempotencyKey: 'key-abcdefgh' }), { id: 'b', wallet: 'w' });
    assert.equal(calls.length, 2);
  });

  it('Retry-After is honoured (in whole seconds, at most 30)', async () => {
    const { fetch } = scripted([() => json({ error: { code: 'rate_limited', message: 'slow down' } }, 429, { 'retry-after': '120' })]);
    const error = await failure(client(fetch, { retries: 0 }).get('config', parseAny));
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.details.retryAfterMs, '30000');
    const { fetch: again, calls } = scripted([() => json({}, 429, { 'retry-after': '1' }), () => json({ ok: 1 })]);
    const started = Date.now();
    assert.deepEqual(await client(again, { retries: 1 }).get('config', parseAny), { ok: 1 });
    assert.ok(Date.now() - started >= 950, 'waited the second the server asked for');
    assert.equal(calls.length, 2);
    const dated = scripted([() => json({}, 503, { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' })]);
    assert.equal((await failure(client(dated.fetch, { retries: 0 }).get('config', parseAny))).details.retryAfterMs, undefined);
  });

  it('a timeout is a typed, retryable error, and each attempt has its own', async () => {
    let calls = 0;
    const hanging = ((_url: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true }));
    }) as typeof globalThis.fetch;
    const error = await failure(new SessionClient({ url: BASE, fetch: hanging, timeout: 40, retries: 1 }).get('config', parseAny));
    assert.deepEqual([error.code, error.retryable], ['timeout', true]);
    assert.equal(calls, 2);
  });

  it('the caller aborting ends the call with its reason, without a retry', async () => {
    const controller = new AbortController();
    const { fetch, calls } = scripted([
      (init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
          setTimeout(() => controller.abort(new Error('superseded')), 10);
        }),
    ]);
    await assert.rejects(client(fetch).get('offramp/quote', parseAny, { signal: controller.signal }), /superseded/);
    assert.equal(calls.length, 1);
  });

  it('backoff is full jitter: between 0 and base·2^attempt, capped', () => {
    const samples = (attempt: number) => Array.from({ length: 200 }, () => backoff(attempt, 100, 1000));
    for (const [attempt, top] of [
      [1, 200],
      [2, 400],
      [5, 1000],
    ] as const) {
      const values = samples(attempt);
      assert.ok(
        values.every((v) => v >= 0 && v <= top),
        `attempt ${attempt}`,
      );
      assert.ok(Math.max(...values) > top / 2, `attempt ${attempt} reaches toward its cap`);
    }
    assert.ok(backoff(1) <= 600);
  });
});

describe('session client: what each answer means', () => {
  it('202 checking is its own error: retryable, the server’s message, its wait; it uses no retry', async () => {
    const { fetch, calls } = scripted([() => json({ status: 'checking', message: 'Checking whether your sale was created…' }, 202, { 'retry-after': '3' })]);
    const error = await failure(client(fetch).post('offramp/operations', {}, parseAny, { idempotencyKey: 'key-checking1' }));
    assert.deepEqual([error.code, error.message, error.retryable, error.status], ['checking', 'Checking whether your sale was created…', true, 202]);
    assert.equal(error.details.retryAfterMs, '3000');
    assert.equal(calls.length, 1);
    const plain = scripted([() => json({ status: 'checking' }, 202)]);
    const fallback = await failure(client(plain.fetch).post('offramp/operations', {}, parseAny, { idempotencyKey: 'key-checking2' }));
    assert.deepEqual([fallback.message, fallback.details.retryAfterMs], ['Checking whether the operation was created…', '1000']);
  });

  it('a 202 that is not "checking" is an answer like any other', async () => {
    const { fetch } = scripted([() => json({ status: 'accepted', id: 'x' }, 202)]);
    assert.deepEqual(await client(fetch).get('config', parseAny), { status: 'accepted', id: 'x' });
  });

  for (const [status, body, code] of [
    [401, { error: { code: 'whatever', message: 'Sign in again.' } }, 'session_expired'],
    [403, {}, 'session_expired'],
    [403, { error: { code: 'forbidden', message: 'no' } }, 'session_expired'],
    [403, { error: { code: 'unauthenticated', message: 'no' } }, 'session_expired'],
    [403, { error: { code: 'require_kyc', message: 'Please verify your identity first.' } }, 'require_kyc'],
    [404, {}, 'not_found'],
    [429, {}, 'rate_limited'],
    [500, {}, 'server_error'],
    [418, {}, 'server_error'],
  ] as const) {
    it(`${status} ${JSON.stringify(body)} is ${code}`, async () => {
      const { fetch, calls } = scripted([quick(body, status)]);
      const error = await failure(client(fetch, { retries: 0 }).get('config', parseAny));
      assert.equal(error.code, code);
      assert.equal(error.status, status);
      assert.equal(calls.length, 1);
      assert.equal(error.message, 'error' in body ? body.error.message : `The session endpoint answered ${status}.`);
      assert.equal(error.retryable, isRetryableStatus(status));
    });
  }

  it('error details are kept as text; a details URL only when it is https', async () => {
    const details = { url: 'https://kyc.example/form/1', minimum: '20', nested: { x: 1 }, count: 3 };
    const { fetch } = scripted([() => json({ error: { code: 'require_kyc', message: 'verify', details } }, 403)]);
    assert.deepEqual((await failure(client(fetch).get('config', parseAny))).details, { url: 'https://kyc.example/form/1', minimum: '20' });
    const evil = scripted([() => json({ error: { code: 'require_kyc', message: 'verify', details: { url: 'javascript:alert(1)' } } }, 403)]);
    assert.deepEqual((await failure(client(evil.fetch).get('config', parseAny))).details, {});
  });

  it('an unreadable answer, or one of the wrong shape, is bad_response and not retried', async () => {
    const html = scripted([() => new Response('<html>oops</html>', { status: 200 })]);
    const unreadable = await failure(client(html.fetch).get('config', parseAny));
    assert.deepEqual([unreadable.code, unreadable.retryable, unreadable.status], ['bad_response', false, 200]);
    assert.equal(html.calls.length, 1);
    const shaped = scripted([() => json({ id: 7 })]);
    const wrong = await failure(
      client(shaped.fetch).get('offramp/operations/x', (body) => {
        throw new ShapeError(`operation: id is ${typeof (body as { id: unknown }).id}`);
      }),
    );
    assert.deepEqual([wrong.code, wrong.message], ['bad_response', 'Unexpected answer from the session endpoint (operation: id is number).']);
  });

  it('RampError.from keeps a RampError and makes anything else a retryable network error', () => {
    const known = new RampError('timeout', 'slow', true);
    assert.equal(RampError.from(known), known);
    const other = RampError.from(new Error('boom'));
    assert.deepEqual([other.code, other.message, other.retryable, other.status, other.name], ['network_error', 'Error: boom', true, 0, 'RampError']);
    assert.deepEqual([0, 408, 429, 500, 503, 400, 404, 409].map(isRetryableStatus), [true, true, true, true, true, false, false, false]);
  });
});

describe('session client against the session handler and the simulator', () => {
  it('config, a quote, and one press of Confirm retried with its key: one upstream operation', async () => {
    const sim = simulator({ apiKey: 'k' });
    const handler = instance({ basePath: '/session/eu', fetch: sim.fetch, resolveUser: () => ({ id: 106, region: 'EU' }) });
    const session = new SessionClient({ url: BASE, fetch: (input, init) => handler(new Request(input, init)) });
    const config = (await session.get('config', parseAny)) as { region: string };
    assert.equal(config.region, 'EU');
    const quote = (await session.get('offramp/quote', parseAny, { query: { amount: '25', symbol: 'USDC', chain: 'polygon', fiat: 'EUR' } })) as {
      fiatAmount: string;
    };
    assert.match(quote.fiatAmount, /^\d+(\.\d{1,2})?$/);
    const body = { amount: '25', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' };
    const first = parseCreatedRampoff(await session.post('offramp/operations', body, parseAny, { idempotencyKey: 'client-node-key-1' }));
    const again = parseCreatedRampoff(await session.post('offramp/operations', body, parseAny, { idempotencyKey: 'client-node-key-1' }));
    assert.deepEqual(again, first);
    assert.equal(sim.rampoffs.size, 1);
    const op = parseOperation(await session.get(`offramp/operations/${first.id}`, parseAny), 'offramp');
    assert.deepEqual([op.id, op.status, op.wallet], [first.id, 'created', first.wallet]);
    const error = await failure(session.get('offramp/operations/NoSuchOperation000000001', parseAny));
    assert.deepEqual([error.code, error.status, error.retryable], ['not_found', 404, false]);
  });
});

describe('the protocol’s operations, read before use', () => {
  const op = { id: 'op-1', flow: 'offramp', status: 'processing', raw: 'crypto_received' };

  it('an operation: the fields it names, amounts as exact decimals, an https payment link only', () => {
    const full = {
      ...op,
      symbol: 'USDC',
      chain: 'polygon',
      fiat: 'EUR',
      wallet: '0xabc',
      txid: '0x1',
      ibanMasked: '••••1332',
      createdAt: '2026-12-01T10:00:00Z',
      method: 'card',
      fiatAmount: '22.77',
      tokenAmount: '25',
      paymentUrl: 'https://pay.example/1',
      bankTransfer: { iban: 'ES68', bic: 'PFSSESM1XXX', beneficiary: 'Fintech', reference: '120037' },
    };
    assert.deepEqual(parseOperation(full), full);
    assert.deepEqual(parseOperation({ ...op, symbol: '', paymentUrl: 'javascript:alert(1)' }), op);
    assert.deepEqual(parseOperation({ ...op, bankTransfer: { iban: 'ES68', reference: 'r' } }).bankTransfer, {
      iban: 'ES68',
      bic: '',
      beneficiary: '',
      reference: 'r',
    });
    assert.equal(parseOperation({ ...op, bankTransfer: null }).bankTransfer, undefined);
  });

  it('a status the widget knows is kept as the handler gave it, whatever the raw one says', () => {
    const known = ['created', 'payment_pending', 'funds_received', 'processing', 'completed', 'failed', 'expired'];
    for (const flow of ['onramp', 'offramp'])
      assert.deepEqual(
        known.map((status) => parseOperation({ ...op, flow, status, raw: 'something_else' }).status),
        known,
        flow,
      );
  });

  it('a status the widget does not know is read from the raw upstream status of its flow', () => {
    assert.equal(parseOperation({ ...op, status: 'launched', raw: 'finished' }).status, 'completed');
    assert.equal(parseOperation({ ...op, flow: 'onramp', status: undefined, raw: 'payment_received' }).status, 'funds_received');
  });

  it('a wrong shape is a ShapeError, never an operation with holes', () => {
    for (const [bad, message] of [
      [null, 'operation: expected an object'],
      [[], 'operation: expected an object'],
      [{ ...op, flow: 'sideways' }, 'operation: bad flow'],
      [{ ...op, id: undefined }, 'operation: missing id'],
      [{ ...op, raw: undefined }, 'operation: missing raw'],
      [{ ...op, fiatAmount: 22.77 }, 'operation: fiatAmount is not a decimal'],
      [{ ...op, tokenAmount: '1e3' }, 'operation: tokenAmount is not a decimal'],
      [{ ...op, bankTransfer: { iban: 'ES68' } }, 'bankTransfer: missing reference'],
      [{ ...op, bankTransfer: { reference: 'r' } }, 'bankTransfer: missing iban'],
      [{ ...op, bankTransfer: 'ES68' }, 'bankTransfer: expected an object'],
    ] as const)
      assert.throws(() => parseOperation(bad), { name: 'ShapeError', message }, JSON.stringify(bad));
    assert.throws(() => parseOperation(op, 'onramp'), { name: 'ShapeError', message: 'operation: wrong flow' });
    assert.equal(parseOperation({ ...op, flow: 'onramp' }, 'onramp').flow, 'onramp');
  });

  it('lists keep their cursor only when there is one', () => {
    assert.deepEqual(parseOperationList({ items: [op], next: 'c2' }, 'offramp'), { items: [op], next: 'c2' });
    assert.deepEqual(parseOperationList({ items: [] }, 'offramp'), { items: [] });
    assert.throws(() => parseOperationList({ items: [op] }, 'onramp'), ShapeError);
    assert.throws(() => parseOperationList({ items: 'x' }, 'offramp'), { name: 'ShapeError', message: 'list items: expected a list' });
    assert.throws(() => parseOperationList([], 'offramp'), { name: 'ShapeError', message: 'list: expected an object' });
  });

  it('a created sale needs its id and deposit address; a created purchase its id and method', () => {
    assert.deepEqual(parseCreatedRampoff({ id: 'r1', wallet: '0xabc', extra: 1 }), { id: 'r1', wallet: '0xabc' });
    assert.throws(() => parseCreatedRampoff({ id: 'r1' }), { name: 'ShapeError', message: 'rampoff: missing wallet' });
    assert.throws(() => parseCreatedRampoff({ wallet: '0xabc' }), { name: 'ShapeError', message: 'rampoff: missing id' });
    assert.throws(() => parseCreatedRampoff([]), { name: 'ShapeError', message: 'rampoff: expected an object' });
    assert.deepEqual(parseCreatedPayment({ id: 'p1', method: 'card', paymentUrl: 'https://pay.example/p1' }), {
      id: 'p1',
      method: 'card',
      paymentUrl: 'https://pay.example/p1',
    });
    assert.deepEqual(parseCreatedPayment({ id: 'p1', method: 'transfer', paymentUrl: 'http://pay.example/p1' }), { id: 'p1', method: 'transfer' });
    assert.deepEqual(
      parseCreatedPayment({ id: 'p1', method: 'transfer', bankTransfer: { iban: 'ES68', bic: 'B', beneficiary: 'F', reference: 'R' } }).bankTransfer,
      {
        iban: 'ES68',
        bic: 'B',
        beneficiary: 'F',
        reference: 'R',
      },
    );
    assert.throws(() => parseCreatedPayment({ id: 'p1' }), { name: 'ShapeError', message: 'payment: missing method' });
    assert.throws(() => parseCreatedPayment({ method: 'card' }), { name: 'ShapeError', message: 'payment: missing id' });
    assert.throws(() => parseCreatedPayment(null), { name: 'ShapeError', message: 'payment: expected an object' });
  });

  it('registration: only for a user without an account, the editable fields it names, an https terms link', () => {
    assert.equal(parseRegistration({ account: 'ready' }), undefined);
    assert.deepEqual(parseRegistration({ account: 'none' }), { name: '', email: '', editable: [] });
    assert.deepEqual(
      parseRegistration({
        account: 'none',
        registration: { name: 'Ada', email: 'ada@example.com', editable: ['email', 'iban', 'name'], termsUrl: 'https://shop.test/terms' },
      }),
      { name: 'Ada', email: 'ada@example.com', editable: ['email', 'name'], termsUrl: 'https://shop.test/terms' },
    );
    assert.deepEqual(parseRegistration({ account: 'none', registration: { editable: 'name', termsUrl: 'javascript:x' } }), {
      name: '',
      email: '',
      editable: [],
    });
  });
});

describe('resuming an open operation (this tab’s storage)', () => {
  /** sessionStorage as a browser has it, or blocked (sandboxed frames, privacy modes). */
  function withStorage(run: (items: Map<string, string>) => void, blocked = false): void {
    const items = new Map<string, string>();
    const storage = {
      getItem: (key: string) => (blocked ? fail() : (items.get(key) ?? null)),
      setItem: (key: string, value: string) => (blocked ? fail() : void items.set(key, value)),
      removeItem: (key: string) => (blocked ? fail() : void items.delete(key)),
    };
    const fail = (): never => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    Object.defineProperty(globalThis, 'sessionStorage', { configurable: true, get: () => storage });
    try {
      run(items);
    } finally {
      delete (globalThis as { sessionStorage?: unknown }).sessionStorage;
    }
  }

  it('keeps the operation per session endpoint, and forgets it', () => {
    withStorage((items) => {
      saveOpen('/session/eu', { flow: 'offramp', phase: 'tracking', id: 'op-1' });
      saveOpen('/session/eu', { flow: 'onramp', phase: 'creating', key: 'key-12345678', at: 1700 });
      saveOpen('/session/us', { flow: 'offramp', phase: 'tracking', id: 'op-2' });
      assert.deepEqual(loadOpen('/session/eu'), { flow: 'onramp', phase: 'creating', key: 'key-12345678', at: 1700 });
      assert.deepEqual(loadOpen('/session/us'), { flow: 'offramp', phase: 'tracking', id: 'op-2' });
      assert.equal(items.get(`${OPEN_PREFIX}/session/us`), '{"flow":"offramp","phase":"tracking","id":"op-2"}');
      assert.equal(hasOpen('/session/eu'), true);
      clearOpen('/session/eu');
      assert.equal(loadOpen('/session/eu'), undefined);
      assert.equal(hasOpen('/session/eu'), false);
      assert.equal(hasOpen('/session/us'), true);
    });
  });

  it('reads back only what it wrote: anything else stored there is ignored', () => {
    withStorage((items) => {
      const stored = (value: unknown) => {
        items.set(`${OPEN_PREFIX}s`, typeof value === 'string' ? value : JSON.stringify(value));
        return loadOpen('s');
      };
      assert.deepEqual(stored({ flow: 'onramp', phase: 'creating', key: 'key-12345678', at: 'soon' }), {
        flow: 'onramp',
        phase: 'creating',
        key: 'key-12345678',
      });
      for (const bad of [
        '{not json',
        'null',
        '"op-1"',
        { flow: 'sideways', phase: 'tracking', id: 'op-1' },
        { flow: 'offramp', phase: 'tracking', id: '<img src=x>' },
        { flow: 'offramp', phase: 'tracking', id: 'x'.repeat(65) },
        { flow: 'offramp', phase: 'tracking', id: 7 },
        { flow: 'offramp', phase: 'creating', key: 'short' },
        { flow: 'offramp', phase: 'creating', key: 'k'.repeat(129) },
        { flow: 'offramp', phase: 'paused', id: 'op-1' },
        { flow: 'offramp', phase: 'tracking', id: 'op-1<' },
        { flow: 'offramp', phase: 'tracking', id: '<op-1' },
        { flow: 'offramp', phase: 'tracking', id: '' },
        { flow: 'offramp', phase: 'creating', key: 'key-12345678!' },
        { flow: 'offramp', phase: 'creating', key: '!key-12345678' },
        { flow: 'offramp', phase: 'creating', id: 'op-1' },
        { flow: 'offramp', phase: 'tracking', key: 'key-12345678' },
      ])
        assert.equal(stored(bad), undefined, JSON.stringify(bad));
      // what it writes, at the edges of what it accepts
      for (const good of [
        { flow: 'offramp', phase: 'tracking', id: 'a_B-9' },
        { flow: 'onramp', phase: 'tracking', id: 'x'.repeat(64) },
        { flow: 'offramp', phase: 'creating', key: 'k:1.2_3-' },
        { flow: 'offramp', phase: 'creating', key: 'k'.repeat(128), at: 0 },
      ])
        assert.deepEqual(stored(good), good, JSON.stringify(good));
      assert.deepEqual(stored('{"flow":"onramp","phase":"creating","key":"key-12345678","at":1e999}'), {
        flow: 'onramp',
        phase: 'creating',
        key: 'key-12345678',
      });
    });
  });

  it('blocked or missing storage: nothing kept, nothing thrown', () => {
    withStorage(() => {
      saveOpen('s', { flow: 'offramp', phase: 'tracking', id: 'op-1' });
      assert.equal(loadOpen('s'), undefined);
      assert.equal(hasOpen('s'), false);
      clearOpen('s');
    }, true);
    assert.equal(loadOpen('s'), undefined);
    assert.equal(hasOpen('s'), false);
  });
});

describe('names and links of networks', () => {
  it('a transaction link only for a known explorer and a well-formed hash', () => {
    const tx = `0x${'ab'.repeat(32)}`;
    const links = ['Polygon', 'ethereum', 'bsc', 'arbitrum', 'optimism', 'base'].map((chain) => explorerLink(chain, tx));
    assert.deepEqual(links, [
      { name: 'Polygonscan', url: `https://polygonscan.com/tx/${tx}` },
      { name: 'Etherscan', url: `https://etherscan.io/tx/${tx}` },
      { name: 'BscScan', url: `https://bscscan.com/tx/${tx}` },
      { name: 'Arbiscan', url: `https://arbiscan.io/tx/${tx}` },
      { name: 'Optimism Explorer', url: `https://optimistic.etherscan.io/tx/${tx}` },
      { name: 'Basescan', url: `https://basescan.org/tx/${tx}` },
    ]);
    assert.equal(explorerLink('polygon', tx.toUpperCase().replace('0X', '0x'))?.name, 'Polygonscan', 'hex digits in either case');
    assert.equal(explorerLink('polygon', tx.slice(0, -1)), undefined);
    assert.equal(explorerLink('tron', tx), undefined);
    assert.equal(explorerLink(undefined, tx), undefined);
    assert.equal(explorerLink('polygon', `${tx}00`), undefined);
    assert.equal(explorerLink('polygon', `javascript:${tx}`), undefined);
  });

  it('networks by their names; an unknown one as given', () => {
    assert.deepEqual(['bsc', 'POLYGON', 'tron', 'ethereum', 'arbitrum', 'optimism', 'base', 'solana'].map(chainLabel), [
      'BNB Smart Chain',
      'Polygon',
      'Tron',
      'Ethereum',
      'Arbitrum',
      'Optimism',
      'Base',
      'solana',
    ]);
  });
});
