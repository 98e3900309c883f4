/**
 * Per-user rate limits, one POST /api/authenticate at a time, and activity newest first across pages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../src/server/index.js';
import { EU, OTHER, RAMPOFF, PAYMENT, instance, setup, call, post, simulator } from '../support/faults.js';

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
    const sim = simulator({ apiKey: 'k', apiSecret: 'sec' });
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
    const sim = simulator({ apiKey: 'k', now: () => clock });
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
