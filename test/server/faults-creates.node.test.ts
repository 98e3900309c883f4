/**
 * One user action, one upstream operation, whatever fails: faults injected after the work is done (the answer is
 * lost, the operation exists), counted as upstream operations per user action (exactly one, and the answer names
 * that one); and an upstream call that hangs always ends in the timeout.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../src/server/index.js';
import { EU, RAMPOFF, PAYMENT, instance, setup, call, post, sleep, pressConfirm } from '../support/faults.js';

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
