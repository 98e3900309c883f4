/**
 * The money rules under faults, in Node against the simulator with faults injected after the work is done (the
 * answer is lost, the operation exists). For every create fault the assertion is the count of upstream operations
 * per user action: exactly one, and the answer names that one.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, it } from 'node:test';
import { createSessionHandler, MemoryStore, signWebhook, type SessionHandler, type SessionHandlerOptions, type SessionUser } from '../../src/server/index.js';
import type { OperationUpdate } from '../../src/server/index.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import type { Operation } from '../../src/types.js';

const EU: SessionUser = { id: 106, region: 'EU' };
const OTHER: SessionUser = { id: 110, region: 'EU' };
const RAMPOFF = { amount: '25', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' };
const PAYMENT = { fiatAmount: '50', fiat: 'EUR', symbol: 'USDC', chain: 'polygon', wallet: '0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a', method: 'card' };
const open: SessionHandler[] = [];
const sims: Simulator[] = [];

afterEach(() => {
  for (const h of open.splice(0)) h.close();
  for (const s of sims.splice(0)) s.close();
});

/** A session handler on a test simulator (closed after each test); the rest of its options are the test's. */
function instance(options: Partial<SessionHandlerOptions> & Pick<SessionHandlerOptions, 'fetch' | 'resolveUser'>): SessionHandler {
  const h = createSessionHandler({ apiOrigin: 'http://sim.test', apiKey: 'k', basePath: '/s', log: () => {}, ...options });
  open.push(h);
  return h;
}

function setup(extra: Partial<SessionHandlerOptions> = {}, user: SessionUser = EU) {
  const sim = createSimulator({ apiKey: 'k', webhookSecret: 's' });
  sims.push(sim);
  const logs: string[] = [];
  const h = instance({ webhookSecret: 's', fetch: sim.fetch, resolveUser: () => user, timeout: 200, log: (l) => logs.push(l), ...extra });
  return { sim, h, logs };
}

const call = (h: SessionHandler, path: string, init: RequestInit = {}) => h(new Request(`http://shop.test/s/${path}`, init));
const post = (body: unknown, key: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the widget does: the same key on every try, again while the answer is "checking" or "in progress". */
async function pressConfirm(
  h: SessionHandler,
  path: string,
  body: unknown,
  key: string,
): Promise<{ status: number; body: { id?: string; wallet?: string; error?: { code: string } }; tries: number }> {
  for (let tries = 1; ; tries++) {
    const res = await call(h, path, post(body, key));
    const json = await res.json();
    const again = res.status === 202 || (res.status === 409 && json.error?.code === 'request_in_progress') || res.status === 503;
    if (!again || tries >= 40) return { status: res.status, body: json, tries };
    await sleep(Number(res.headers.get('retry-after') ?? 1) * 50);
  }
}

describe('one user action, one upstream operation, whatever fails', () => {
  for (const fault of [
    { name: 'accept-then-timeout', status: 'hang' as const },
    { name: 'accept-then-HTML-500', status: 500 },
    { name: 'accept-then-502', status: 502 },
    { name: 'accept-then-reset', status: 'reset' as const },
  ]) {
    it(`offramp, ${fault.name}: one rampoff, and the answer is its deposit address`, async () => {
      const { sim, h } = setup();
      sim.fail('/api/createRampoff', fault.status, 1, true);
      const result = await pressConfirm(h, 'offramp/operations', RAMPOFF, `sell-${fault.name}`);
      assert.equal(sim.rampoffs.size, 1);
      const [rampoff] = [...sim.rampoffs.values()];
      assert.equal(result.status, 201, JSON.stringify(result.body));
      assert.deepEqual(result.body, { id: rampoff!.id, wallet: rampoff!.wallet });
      // a later retry of the same action replays it
      const replay = await pressConfirm(h, 'offramp/operations', RAMPOFF, `sell-${fault.name}`);
      assert.equal(replay.body.id, rampoff!.id);
      assert.equal(sim.rampoffs.size, 1);
    });

    it(`onramp, ${fault.name}: one payment, found again by its external_id`, async () => {
      const { sim, h } = setup();
      sim.fail('/api/createPayment', fault.status, 1, true);
      const result = await pressConfirm(h, 'onramp/payments', PAYMENT, `buy-${fault.name}`);
      assert.equal(sim.payments.size, 1);
      const [payment] = [...sim.payments.values()];
      assert.equal(result.status, 201, JSON.stringify(result.body));
      assert.equal(result.body.id, payment!.id);
      assert.equal(payment!.external_id, `buy-${fault.name}`);
      assert.equal((await pressConfirm(h, 'onramp/payments', PAYMENT, `buy-${fault.name}`)).body.id, payment!.id);
      assert.equal(sim.payments.size, 1);
    });
  }

  it('the ownership write fails after the create: one rampoff, found on the retry', async () => {
    const store = new MemoryStore();
    let failOwner = 1;
    const flaky = Object.assign(Object.create(store) as MemoryStore, {
      setIfAbsent: (key: string, value: string, ttl: number) =>
        key.startsWith('owner:') && failOwner-- > 0 ? Promise.reject(new Error('READONLY')) : store.setIfAbsent(key, value, ttl),
    });
    const { sim, h } = setup({ store: flaky });
    const result = await pressConfirm(h, 'offramp/operations', RAMPOFF, 'sell-owner-write');
    assert.equal(result.tries > 1, true, 'the first answer said "checking"');
    assert.equal(result.status, 201);
    assert.equal(sim.rampoffs.size, 1);
    assert.equal(result.body.id, [...sim.rampoffs.keys()][0]);
  });

  it('a create that never reached the API (connection refused) is sent again with the same key: one rampoff', async () => {
    const { sim, h } = setup();
    let refuse = 1;
    const fetch: typeof globalThis.fetch = (input, init) =>
      String(input).includes('createRampoff') && refuse-- > 0
        ? Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }))
        : sim.fetch(input, init);
    const h2 = instance({ fetch, resolveUser: () => EU, timeout: 200 });
    const first = await call(h2, 'offramp/operations', post(RAMPOFF, 'sell-refused'));
    assert.equal(first.status, 502);
    assert.equal(sim.rampoffs.size, 0);
    const second = await call(h2, 'offramp/operations', post(RAMPOFF, 'sell-refused'));
    assert.equal(second.status, 201);
    assert.equal(sim.rampoffs.size, 1);
    void h;
  });

  it('an unknown create that the API never made is "checking" until the window ends, then "not created"; a new press creates one', async () => {
    let clock = Date.now();
    const { sim, h } = setup({ now: () => clock, reconcileWindowMs: 10_000 });
    sim.fail('/api/createRampoff', 'hang', 1, false); // times out before the API did anything
    const first = await call(h, 'offramp/operations', post(RAMPOFF, 'sell-lost'));
    assert.equal(first.status, 202);
    assert.deepEqual(await first.json(), { status: 'checking', message: 'Checking whether your sale was created…' });
    assert.equal((await call(h, 'offramp/operations', post(RAMPOFF, 'sell-lost'))).status, 202);
    clock += 11_000;
    const final = await call(h, 'offramp/operations', post(RAMPOFF, 'sell-lost'));
    assert.equal(final.status, 409);
    assert.equal((await final.json()).error.code, 'not_created');
    assert.equal(sim.rampoffs.size, 0, 'the same key never sent it again');
    assert.equal((await call(h, 'offramp/operations', post(RAMPOFF, 'sell-lost-2'))).status, 201);
    assert.equal(sim.rampoffs.size, 1);
  });

  it('two unknown sales of the same amount each end at their own rampoff', async () => {
    const { sim, h } = setup();
    sim.fail('/api/createRampoff', 500, 2, true);
    const a = await pressConfirm(h, 'offramp/operations', RAMPOFF, 'sell-twin-a');
    const b = await pressConfirm(h, 'offramp/operations', RAMPOFF, 'sell-twin-b');
    assert.equal(sim.rampoffs.size, 2);
    assert.notEqual(a.body.id, b.body.id);
    assert.deepEqual(new Set([a.body.id, b.body.id]), new Set(sim.rampoffs.keys()));
  });

  it('a pending create on another instance answers 409 in progress (the widget keeps its key), then the one result', async () => {
    const { sim, h } = setup();
    const slow = sim.fetch;
    const store = new MemoryStore();
    const gate: { release?: () => void } = {};
    const held = instance({
      store,
      resolveUser: () => EU,
      timeout: 2000,
      fetch: async (input, init) => {
        if (String(input).includes('createRampoff')) await new Promise<void>((r) => (gate.release = r));
        return slow(input, init);
      },
    });
    const other = instance({ store, resolveUser: () => EU, timeout: 2000, fetch: slow });
    const first = call(held, 'offramp/operations', post(RAMPOFF, 'sell-two-instances'));
    await sleep(20);
    const busy = await call(other, 'offramp/operations', post(RAMPOFF, 'sell-two-instances'));
    assert.equal(busy.status, 409);
    assert.equal((await busy.json()).error.code, 'request_in_progress');
    assert.ok(busy.headers.get('retry-after'));
    gate.release!();
    const created = await (await first).json();
    const again = await call(other, 'offramp/operations', post(RAMPOFF, 'sell-two-instances'));
    assert.deepEqual(await again.json(), created);
    assert.equal(sim.rampoffs.size, 1);
    void h;
  });
});

describe('an upstream call that hangs always ends in the timeout', () => {
  // A fetch that follows only a copy of the signal (as undici's Request does) can lose it to the garbage collector,
  // and Node holds AbortSignal.timeout() weakly: gc() makes that happen now instead of by chance.
  const gc = (() => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();
  const hangOn = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

  it('a request the API never answers is a 504 after the timeout, even when the fetch loses the signal', { timeout: 5000 }, async () => {
    const { sim } = setup();
    const fetch: typeof globalThis.fetch = (input, init) =>
      String(input).includes('getRampoff') ? hangOn(new Request(input, init).signal) : sim.fetch(input, init);
    const h = instance({ fetch, resolveUser: () => EU, timeout: 150 });
    const created = await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-gc-timeout'))).json();
    const answer = call(h, `offramp/operations/${created.id}`);
    for (let i = 0; i < 5; i++) {
      await sleep(20);
      gc();
    }
    const res = await answer;
    assert.equal(res.status, 504);
    assert.equal((await res.json()).error.code, 'upstream_timeout');
  });

  it('an answer whose body stops halfway is a 504 after the timeout too', { timeout: 5000 }, async () => {
    const { sim } = setup();
    const fetch: typeof globalThis.fetch = (input, init) => {
      if (!String(input).includes('getRampoff')) return sim.fetch(input, init);
      const signal = new Request(input, init).signal;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"status":"success","data":{'));
          signal.addEventListener('abort', () => controller.error(signal.reason), { once: true });
        },
      });
      return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
    };
    const h = instance({ fetch, resolveUser: () => EU, timeout: 150 });
    const created = await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-stalled-body'))).json();
    const res = await call(h, `offramp/operations/${created.id}`);
    assert.equal(res.status, 504);
    assert.equal((await res.json()).error.code, 'upstream_timeout');
  });
});

describe('status that is always eventually right', () => {
  async function readEvents(res: Response, until: (ops: Operation[]) => boolean, timeoutMs = 5000): Promise<Operation[]> {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const ops: Operation[] = [];
    let buffer = '';
    const deadline = Date.now() + timeoutMs;
    while (!until(ops) && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), sleep(deadline - Date.now()).then(() => ({ done: true, value: undefined }))]);
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = buffer
          .slice(0, end)
          .split('\n')
          .find((l) => l.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) ops.push(JSON.parse(data.slice(6)).operation);
      }
    }
    await reader.cancel().catch(() => {});
    return ops;
  }

  it('with every webhook lost, the stream reaches completed through reconciliation', async (t) => {
    const { sim, h } = setup({ pollMs: { first: 30, max: 120 } });
    sim.webhooksEnabled = false;
    const { id } = await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-no-webhook'))).json();
    const stream = await call(h, `events?flow=offramp&id=${id}`);
    const started = Date.now();
    void sim.finish(id);
    const ops = await readEvents(stream, (list) => list.at(-1)?.status === 'completed');
    assert.equal(ops[0]?.status, 'created');
    assert.equal(ops.at(-1)?.status, 'completed');
    assert.equal(ops.at(-1)?.fiatAmount !== undefined, true, 'the final figures come from the API');
    const ms = Date.now() - started;
    assert.ok(ms < 2000);
    t.diagnostic(
      `lost webhooks: the stream showed the final state ${ms} ms after the API reached it (polling every 30 ms, doubling to 120 ms here; 5 s doubling to 60 s by default)`,
    );
  });

  it('1,000 streams on one operation: one upstream read per status change', async () => {
    const { sim, h } = setup({ limits: { streamsPerUser: 2000 }, pollMs: { first: 60_000, max: 60_000 } });
    let reads = 0;
    const counting = instance({
      webhookSecret: 's',
      resolveUser: () => EU,
      limits: { streamsPerUser: 2000 },
      pollMs: { first: 60_000, max: 60_000 },
      fetch: (input, init) => {
        if (String(input).includes('/api/getRampoff')) reads++;
        return sim.fetch(input, init);
      },
    });
    const { id } = await (await call(counting, 'offramp/operations', post(RAMPOFF, 'sell-thousand'))).json();
    const streams = await Promise.all(Array.from({ length: 1000 }, () => call(counting, `events?flow=offramp&id=${id}`)));
    assert.ok(streams.every((s) => s.status === 200));
    const readers = streams.map((s) => readEvents(s, (ops) => ops.at(-1)?.status === 'funds_received'));
    await sleep(50);
    reads = 0;
    await sim.step(id); // the API moves on…
    const raw = JSON.stringify({ event_id: 'evt-thousand', type: 'CRYPTO_RECEIVED', data: { id } });
    const ts = Math.floor(Date.now() / 1000);
    const res = await call(counting, 'webhooks', {
      method: 'POST',
      body: raw,
      headers: { 'x-api-key': 'k', 'x-timestamp': String(ts), 'x-signature': await signWebhook('s', raw, ts) },
    });
    assert.deepEqual(await res.json(), { received: true, applied: true });
    const seen = await Promise.all(readers);
    assert.ok(
      seen.every((ops) => ops.at(-1)?.status === 'funds_received'),
      'every stream saw the change',
    );
    assert.equal(reads, 1, 'one upstream read for 1,000 streams');
    void h;
  });

  it('open streams per user are capped (429)', async () => {
    const { h } = setup({ limits: { streamsPerUser: 2 } });
    const { id } = await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-capped'))).json();
    const a = await call(h, `events?flow=offramp&id=${id}`);
    const b = await call(h, `events?flow=offramp&id=${id}`);
    const c = await call(h, `events?flow=offramp&id=${id}`);
    assert.deepEqual([a.status, b.status, c.status], [200, 200, 429]);
    await a.body!.cancel();
    const d = await call(h, `events?flow=offramp&id=${id}`);
    assert.equal(d.status, 200, 'a closed stream frees its place');
    await Promise.all([b.body!.cancel(), d.body!.cancel()]);
  });

  it('another user cannot open a stream on an operation (404, the same as an unknown id)', async () => {
    const { sim, h } = setup();
    const { id } = await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-mine'))).json();
    const other = instance({ fetch: sim.fetch, resolveUser: () => OTHER });
    const theirs = await call(other, `events?flow=offramp&id=${id}`);
    const unknown = await call(other, 'events?flow=offramp&id=NoSuchOperation123');
    assert.equal(theirs.status, 404);
    assert.equal(unknown.status, 404);
    assert.deepEqual(await theirs.json(), await unknown.json());
  });
});

describe('webhooks: de-duplicated by the delivery, not by the operation', () => {
  async function deliver(h: SessionHandler, payload: object, signatureCase: 'lower' | 'upper' = 'lower') {
    const raw = JSON.stringify(payload);
    const ts = Math.floor(Date.now() / 1000);
    const signature = await signWebhook('s', raw, ts);
    const res = await call(h, 'webhooks', {
      method: 'POST',
      body: raw,
      headers: { 'X-API-Key': 'k', 'X-Timestamp': String(ts), 'X-Signature': signatureCase === 'upper' ? signature.toUpperCase() : signature },
    });
    return res.json();
  }

  it('flat payloads: COINS_SENT after PAY_IN for the same payment is applied; a replay in upper case is not', async () => {
    const { sim, h } = setup();
    const { id } = await (await call(h, 'onramp/payments', post(PAYMENT, 'buy-flat'))).json();
    await sim.step(id);
    assert.deepEqual(await deliver(h, { type: 'PAY_IN', id }), { received: true, applied: true });
    await sim.step(id);
    assert.deepEqual(await deliver(h, { type: 'COINS_SENT', id }), { received: true, applied: true });
    assert.deepEqual(await deliver(h, { type: 'COINS_SENT', id }, 'upper'), { received: true, applied: false, duplicate: true });
  });

  it('an out-of-order webhook never moves the status back, and the hook runs once per change', async () => {
    const updates: [string, OperationUpdate][] = [];
    const { sim, h } = setup({ onOperationUpdate: (op, update) => void updates.push([op.status, update]) });
    const { id } = await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-order'))).json();
    await sim.finish(id);
    assert.equal((await deliver(h, { event_id: 'e-2', type: 'TRANSFER_RAMPOFF_FINISHED', data: { id } })).applied, true);
    assert.equal((await deliver(h, { event_id: 'e-1', type: 'CRYPTO_RECEIVED', data: { id } })).applied, false);
    assert.equal((await deliver(h, { event_id: 'e-3', type: 'TRANSFER_RAMPOFF_FINISHED', data: { id } })).applied, false);
    await sleep(10);
    assert.deepEqual(
      updates.map(([status, u]) => [status, u.dedupeId, u.source, u.userId]),
      [
        ['created', `offramp:${id}:created`, 'create', '106'],
        ['completed', `offramp:${id}:completed`, 'webhook', '106'],
      ],
    );
    assert.equal(updates[1]![1].previousStatus, 'created');
  });

  it('a hook that throws is retried with backoff and logged, never lost silently', async () => {
    let calls = 0;
    const { h, logs } = setup({
      onOperationUpdate: () => {
        calls++;
        if (calls < 3) throw new Error('merchant database down');
      },
    });
    // the retry delays are the handler's (1 s, 5 s…): the first retry comes after a second
    await call(h, 'offramp/operations', post(RAMPOFF, 'sell-hook'));
    await sleep(50);
    assert.equal(calls, 1);
    assert.ok(
      logs.some((l) => /onOperationUpdate failed for offramp:\w+:created \(attempt 1\), retrying in 1000 ms: merchant database down/.test(l)),
      logs.join('\n'),
    );
    await sleep(1100);
    assert.equal(calls, 2);
  });
});

describe('per-user rate limits', () => {
  it('quotes and creates over the limit get 429 with Retry-After; another user is not affected', async () => {
    const store = new MemoryStore();
    const { h, sim } = setup({ store, limits: { quotesPerMinute: 3, createsPerMinute: 2 } });
    const quotes = [];
    for (let i = 0; i < 4; i++) quotes.push(await call(h, 'offramp/quote?amount=10&symbol=USDC&chain=polygon'));
    assert.deepEqual(
      quotes.map((r) => r.status),
      [200, 200, 200, 429],
    );
    assert.equal((await quotes[3]!.json()).error.code, 'rate_limited');
    assert.ok(Number(quotes[3]!.headers.get('retry-after')) >= 1);
    const creates = [];
    for (let i = 0; i < 3; i++) creates.push((await call(h, 'offramp/operations', post(RAMPOFF, `sell-limited-${i}`))).status);
    assert.deepEqual(creates, [201, 201, 429]);
    assert.equal(sim.rampoffs.size, 2);
    const other = instance({ fetch: sim.fetch, resolveUser: () => OTHER, store, limits: { quotesPerMinute: 3 } });
    assert.equal((await call(other, 'offramp/quote?amount=10&symbol=USDC&chain=polygon')).status, 200);
  });
});

describe('authentication: one POST /api/authenticate at a time', () => {
  it('100 concurrent calls after the token expired make one authenticate', async () => {
    const sim = createSimulator({ apiKey: 'k', apiSecret: 'sec' });
    sims.push(sim);
    const h = instance({ apiSecret: 'sec', fetch: sim.fetch, resolveUser: () => EU, limits: { quotesPerMinute: 1000 } });
    assert.equal((await call(h, 'price?symbol=USDC')).status, 200);
    sim.expireTokens();
    const before = sim.requests.filter((r) => r.path === '/api/authenticate').length;
    const answers = await Promise.all(Array.from({ length: 100 }, () => call(h, 'price?symbol=USDC')));
    assert.ok(answers.every((r) => r.status === 200));
    assert.equal(sim.requests.filter((r) => r.path === '/api/authenticate').length - before, 1);
  });
});

describe('activity: newest first across pages', () => {
  it('interleaved buys and sells come out in order over "Load more", each once', async () => {
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const sim = createSimulator({ apiKey: 'k', now: () => clock });
    sims.push(sim);
    const h = instance({ fetch: sim.fetch, resolveUser: () => EU, now: () => clock, limits: { createsPerMinute: 1000 } });
    // 12 sales, then mostly buys with a sale every fifth, a minute apart: page n of buys and page n of sells cover
    // different times, so merging them page by page would put newer buys on page 2 than the sales on page 1
    const made: string[] = [];
    for (let i = 0; i < 32; i++) {
      clock += 60_000;
      const buy = i >= 12 && i % 5 !== 0;
      const res = buy
        ? await call(h, 'onramp/payments', post({ ...PAYMENT, fiatAmount: String(20 + i) }, `act-buy-${i}`))
        : await call(h, 'offramp/operations', post({ ...RAMPOFF, amount: String(1 + i) }, `act-sell-${i}`));
      assert.equal(res.status, 201);
      made.push((await res.json()).id);
    }
    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await call(h, `activity${cursor ? `?cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as { items: { id: string; createdAt: string }[]; next?: string };
      seen.push(...body.items);
      cursor = body.next;
      if (!cursor) break;
    }
    assert.equal(seen.length, 32);
    assert.deepEqual(
      seen.map((o) => o.id),
      [...made].reverse(),
      'newest first, across every page boundary',
    );
    assert.equal((await call(h, 'activity?cursor=3')).status, 400);
  });
});
