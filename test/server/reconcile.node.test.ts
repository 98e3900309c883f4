/**
 * Reconciliation of a create whose outcome is unknown (the flows' ledger adapters, src/server/routes/{onramp,offramp}.ts)
 * over a scripted list of the user's operations: which upstream operation is taken as this create's, how many pages
 * are read for it, and which claims are refused. Taking the wrong one would show a user someone else's deposit address.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UpstreamOperation } from '../../src/server/api.js';
import { ownerOf, type Context, type OwnerRecord } from '../../src/server/context.js';
import { ClaimConflict, type LedgerScope } from '../../src/server/ledger.js';
import { onrampAdapter } from '../../src/server/routes/onramp.js';
import { offrampAdapter } from '../../src/server/routes/offramp.js';
import { guardStore, MemoryStore } from '../../src/server/store.js';
import { RECONCILE_PAGES } from '../../src/server/upstream-map.js';

const AT = Date.parse('2026-12-01T10:00:00Z');
const WINDOW = 120_000;
const SCOPE: LedgerScope = { flow: 'offramp', userId: '106', key: 'sell-key-1' };
const ATTEMPT = { symbol: 'USDC', amount: '25', chain: 'polygon', fiat: 'EUR' };
const iso = (ms: number) => new Date(ms).toISOString();

const sale = (id: string, extra: Partial<UpstreamOperation> = {}): UpstreamOperation => ({
  id,
  flow: 'offramp',
  status: 'created',
  raw: 'pending',
  userId: '106',
  symbol: 'USDC',
  chain: 'polygon',
  tokenAmount: '25',
  createdAt: iso(AT + 1000),
  wallet: `0xwallet-${id}`,
  ...extra,
});

/** A context with the user's operations in `pages` (page n+1 follows page n) and an empty store. */
function context(pages: UpstreamOperation[][], details: Record<string, Partial<UpstreamOperation>> = {}) {
  const reads: Array<string | undefined> = [];
  const logs: string[] = [];
  const store = guardStore(new MemoryStore(), 1000);
  const api = {
    async list(_flow: string, _user: string, page?: string) {
      reads.push(page);
      const n = page ? Number(page) : 0;
      return { items: pages[n] ?? [], ...(n + 1 < pages.length ? { next: String(n + 1) } : {}) };
    },
    async operation(_flow: string, id: string) {
      return { ...sale(id), wallet: undefined, ...details[id] };
    },
  };
  const ctx = { api, store, log: (line: string) => logs.push(line) } as unknown as Context;
  return { ctx, reads, logs, store };
}

const claim = (ctx: Context, id: string, record: OwnerRecord) => ctx.store.set(`owner:offramp:${id}`, JSON.stringify(record), 60_000);

describe('offramp reconciliation: which rampoff is this create’s', () => {
  it('the oldest matching rampoff, whatever order the API lists them in', async () => {
    const { ctx } = context([[sale('newer', { createdAt: iso(AT + 5000) }), sale('older', { createdAt: iso(AT + 2000) })]]);
    assert.deepEqual(await offrampAdapter(ctx, WINDOW).find(ATTEMPT, SCOPE, AT), { id: 'older', wallet: '0xwallet-older' });
  });

  it('skips a rampoff another create claimed; takes one this create claimed', async () => {
    const { ctx } = context([[sale('theirs', { createdAt: iso(AT + 1000) }), sale('mine', { createdAt: iso(AT + 2000) })]]);
    await claim(ctx, 'theirs', { userId: '106', key: 'another-key' });
    await claim(ctx, 'mine', { userId: '106', key: SCOPE.key });
    assert.deepEqual(await offrampAdapter(ctx, WINDOW).find(ATTEMPT, SCOPE, AT), { id: 'mine', wallet: '0xwallet-mine' });
  });

  it('a rampoff on another network is not this create’s', async () => {
    const { ctx } = context([[sale('bsc', { chain: 'bsc' })]]);
    assert.equal(await offrampAdapter(ctx, WINDOW).find(ATTEMPT, SCOPE, AT), undefined);
  });

  it('reads the deposit address of a listed rampoff that lacks one; without an address yet it is not taken', async () => {
    const { ctx, logs } = context([[sale('bare', { wallet: undefined }), sale('later', { wallet: undefined, createdAt: iso(AT + 3000) })]], {
      later: { wallet: '0xread-later' },
    });
    assert.deepEqual(await offrampAdapter(ctx, WINDOW).find(ATTEMPT, SCOPE, AT), { id: 'later', wallet: '0xread-later' });
    assert.deepEqual(logs, ['offramp reconcile: a matching rampoff has no deposit address yet']);
  });

  it('stops at the first page with a match, and otherwise reads at most the reconcile pages', async () => {
    const other = () => sale('other', { symbol: 'DAI' });
    const found = context([[other()], [sale('p1')], [sale('p2')]]);
    assert.equal((await offrampAdapter(found.ctx, WINDOW).find(ATTEMPT, SCOPE, AT))?.id, 'p1');
    assert.deepEqual(found.reads, [undefined, '1']);
    const never = context(Array.from({ length: RECONCILE_PAGES + 2 }, () => [other()]));
    assert.equal(await offrampAdapter(never.ctx, WINDOW).find(ATTEMPT, SCOPE, AT), undefined);
    assert.equal(never.reads.length, RECONCILE_PAGES);
    const short = context([[other()]]);
    await offrampAdapter(short.ctx, WINDOW).find(ATTEMPT, SCOPE, AT);
    assert.deepEqual(short.reads, [undefined], 'no next page: one read');
  });
});

describe('offramp reconciliation: claiming the rampoff', () => {
  it('an unclaimed rampoff is claimed with what the status call needs, and answered with its deposit address', async () => {
    const { ctx } = context([]);
    const answer = await offrampAdapter(ctx, WINDOW).record({ id: 'r1', wallet: '0xabc' }, ATTEMPT, SCOPE, false);
    assert.deepEqual(answer, { id: 'r1', body: { id: 'r1', wallet: '0xabc' } });
    assert.deepEqual(await ownerOf(ctx, 'offramp', 'r1'), { userId: '106', key: SCOPE.key, ...ATTEMPT, wallet: '0xabc' });
  });

  it('this create’s own claim again: answered; the API’s own answer to this create for the same user: answered', async () => {
    const { ctx } = context([]);
    await claim(ctx, 'r1', { userId: '106', key: SCOPE.key });
    assert.equal((await offrampAdapter(ctx, WINDOW).record({ id: 'r1', wallet: '0xabc' }, ATTEMPT, SCOPE, false)).id, 'r1');
    await claim(ctx, 'r2', { userId: '106', key: 'first-press' });
    assert.equal((await offrampAdapter(ctx, WINDOW).record({ id: 'r2', wallet: '0xabc' }, ATTEMPT, SCOPE, true)).id, 'r2');
  });

  it('another create’s rampoff found by reconciliation, or another user’s even as the API’s answer, is a conflict', async () => {
    const { ctx } = context([]);
    await claim(ctx, 'r1', { userId: '106', key: 'first-press' });
    await assert.rejects(offrampAdapter(ctx, WINDOW).record({ id: 'r1', wallet: '0xabc' }, ATTEMPT, SCOPE, false), ClaimConflict);
    await claim(ctx, 'r2', { userId: '110', key: SCOPE.key });
    await assert.rejects(offrampAdapter(ctx, WINDOW).record({ id: 'r2', wallet: '0xabc' }, ATTEMPT, SCOPE, true), ClaimConflict);
    assert.equal((await ownerOf(ctx, 'offramp', 'r2'))?.userId, '110', 'the claim stays its owner’s');
  });
});

describe('onramp reconciliation: found by our reference', () => {
  const payment = (id: string, externalId: string, userId = '106'): UpstreamOperation => ({
    id,
    flow: 'onramp',
    status: 'created',
    raw: 'started',
    userId,
    externalId,
  });
  const scope: LedgerScope = { flow: 'onramp', userId: '106', key: 'buy-key-1' };

  it('the payment carrying this create’s key, on a later page, and only the user’s own', async () => {
    const { ctx, reads } = context([[payment('a', 'other-key'), payment('b', scope.key, '110')], [payment('c', scope.key)]]);
    assert.deepEqual(await onrampAdapter(ctx).find({}, scope, AT), { id: 'c' });
    assert.deepEqual(reads, [undefined, '1']);
  });

  it('reads at most the reconcile pages, and one when there is no next page', async () => {
    const never = context(Array.from({ length: RECONCILE_PAGES + 2 }, () => [payment('a', 'other-key')]));
    assert.equal(await onrampAdapter(never.ctx).find({}, scope, AT), undefined);
    assert.equal(never.reads.length, RECONCILE_PAGES);
    const one = context([[payment('a', 'other-key')]]);
    await onrampAdapter(one.ctx).find({}, scope, AT);
    assert.deepEqual(one.reads, [undefined]);
  });

  it('records how to pay, so a reloaded page can show it again', async () => {
    const { ctx } = context([]);
    const bankTransfer = { iban: 'ES6800491500051234567892', bic: 'PFSSESM1XXX', reference: '120037', beneficiary: 'Fintech Payments, S.L' };
    const answer = await onrampAdapter(ctx).record(
      { id: 'p1', paymentUrl: 'https://pay.example/p1', bankTransfer },
      { method: 'transfer', wallet: '0xw', chain: 'polygon' },
      scope,
      true,
    );
    assert.deepEqual(answer, { id: 'p1', body: { id: 'p1', method: 'transfer', paymentUrl: 'https://pay.example/p1', bankTransfer } });
    assert.deepEqual(await ownerOf(ctx, 'onramp', 'p1'), {
      userId: '106',
      key: scope.key,
      method: 'transfer',
      wallet: '0xw',
      chain: 'polygon',
      paymentUrl: 'https://pay.example/p1',
      bankTransfer,
    });
    const plain = await onrampAdapter(ctx).record({ id: 'p2' }, { method: 'card', wallet: '0xw' }, scope, true);
    assert.deepEqual(plain.body, { id: 'p2', method: 'card' });
    assert.deepEqual(await ownerOf(ctx, 'onramp', 'p2'), { userId: '106', key: scope.key, method: 'card', wallet: '0xw' });
  });
});
