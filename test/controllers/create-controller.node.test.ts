/**
 * The create controller in Node, over a scripted session endpoint: the Idempotency-Key each press sends (the same one
 * on every retry of the same request, a new one for a changed or refused request), one request at a time, the
 * "Checking…" state while the endpoint finds out, and what the tab keeps so a reload can resume.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CreateController, newIdempotencyKey } from '../../src/controllers/create-controller.js';
import { loadOpen } from '../../src/lib/resume.js';
import { SessionClient } from '../../src/lib/session-client.js';

const SCOPE = 'https://shop.test/session';
const SALE = { amount: '25', symbol: 'USDC', chain: 'polygon', fiat: 'EUR' };

/** sessionStorage as the browser has it, for resume.ts. */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  get length() {
    return this.items.size;
  }
}
let storage: MemoryStorage;
before(() => Object.defineProperty(globalThis, 'sessionStorage', { configurable: true, get: () => storage }));
after(() => Reflect.deleteProperty(globalThis, 'sessionStorage'));
beforeEach(() => (storage = new MemoryStorage()));

type Answer = () => Response | Promise<Response>;
const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const created =
  (id: string): Answer =>
  () =>
    json({ id, wallet: '0xw' }, 201);
const refused =
  (status: number, code: string): Answer =>
  () =>
    json({ error: { code, message: code } }, status, { 'retry-after': '0' });
const checking: Answer = () => json({ status: 'checking', message: 'Checking whether your sale was created…' }, 202, { 'retry-after': '0' });

/** A controller on a host that records, at each update, whether a create is running and being checked. */
/** `scope: null`: a page whose session endpoint gives no scope. */
function setup(answers: Answer[], { scope = SCOPE as string | null } = {}) {
  const keys: Array<string | null> = [];
  const fetch = (async (_input: RequestInfo | URL, init: RequestInit = {}) => {
    keys.push(new Headers(init.headers).get('idempotency-key'));
    return answers[Math.min(keys.length - 1, answers.length - 1)]!();
  }) as typeof globalThis.fetch;
  const client = new SessionClient({ url: SCOPE, fetch, timeout: 1000, retries: 0 });
  const updates: Array<{ creating: boolean; checking: boolean }> = [];
  const host: ReactiveControllerHost = {
    addController: (_controller: ReactiveController) => {},
    removeController: () => {},
    requestUpdate: () => updates.push({ creating: controller.creating, checking: controller.checking }),
    updateComplete: Promise.resolve(true),
  };
  const controller: CreateController<{ id: string }> = new CreateController(host, () => client, {
    flow: 'offramp',
    path: 'offramp/operations',
    parse: (body) => body as { id: string },
    scope: () => scope ?? undefined,
  });
  return { controller, keys, updates };
}

describe('create controller: the Idempotency-Key', () => {
  it('a retry of the same request sends the same key; the created operation ends it, and the next one has a new key', async () => {
    const t = setup([refused(503, 'upstream_unavailable'), created('op-1'), created('op-2')]);
    assert.equal(await t.controller.create(SALE), undefined);
    assert.equal(t.controller.error?.code, 'upstream_unavailable');
    assert.deepEqual(await t.controller.create({ ...SALE }), { id: 'op-1', wallet: '0xw' });
    assert.equal(t.controller.error, undefined);
    await t.controller.create(SALE);
    assert.equal(t.keys[0], t.keys[1], 'the retry');
    assert.notEqual(t.keys[2], t.keys[1], 'a new operation');
    assert.match(t.keys[0]!, /^[0-9a-f]{32}$/);
  });

  it('a changed request gets a new key', async () => {
    const t = setup([refused(503, 'upstream_unavailable'), created('op-1')]);
    await t.controller.create(SALE);
    await t.controller.create({ ...SALE, amount: '30' });
    assert.notEqual(t.keys[0], t.keys[1]);
  });

  it('a refused request (nothing created) gets a new key when it is sent again', async () => {
    const t = setup([refused(422, 'min_purchase'), created('op-1')]);
    await t.controller.create(SALE);
    assert.equal(t.controller.error?.code, 'min_purchase');
    await t.controller.create(SALE);
    assert.notEqual(t.keys[0], t.keys[1]);
  });

  it('reset() forgets the key and the error: the same request is a new operation', async () => {
    const t = setup([refused(503, 'upstream_unavailable'), created('op-1')]);
    await t.controller.create(SALE);
    t.controller.reset();
    assert.equal(t.controller.error, undefined);
    await t.controller.create(SALE);
    assert.notEqual(t.keys[0], t.keys[1]);
  });

  it('keys are 32 hex characters and differ every time', () => {
    const keys = new Set(Array.from({ length: 100 }, newIdempotencyKey));
    assert.equal(keys.size, 100);
    for (const key of keys) assert.match(key, /^[0-9a-f]{32}$/);
  });
});

describe('create controller: one request at a time, and "Checking…"', () => {
  it('a second press while the first is running sends nothing', async () => {
    let answer: (response: Response) => void = () => {};
    const t = setup([() => new Promise<Response>((resolve) => (answer = resolve))]);
    const first = t.controller.create(SALE);
    assert.equal(await t.controller.create(SALE), undefined);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(t.keys.length, 1);
    answer(json({ id: 'op-1', wallet: '0xw' }, 201));
    assert.deepEqual(await first, { id: 'op-1', wallet: '0xw' });
  });

  it('without a session endpoint yet, nothing is sent', async () => {
    const t = setup([created('op-1')]);
    const none = new CreateController(
      { addController: () => {}, removeController: () => {}, requestUpdate: () => {}, updateComplete: Promise.resolve(true) },
      () => undefined,
      { flow: 'offramp', path: 'offramp/operations', parse: (body) => body as { id: string }, scope: () => SCOPE },
    );
    assert.equal(await none.create(SALE), undefined);
    assert.deepEqual(t.keys, []);
  });

  it('while the endpoint checks, asks again with the same key and says so; the screen hears creating, checking, then done', async () => {
    const t = setup([checking, checking, created('op-1')]);
    assert.deepEqual(await t.controller.create(SALE), { id: 'op-1', wallet: '0xw' });
    assert.equal(new Set(t.keys).size, 1);
    assert.equal(t.keys.length, 3);
    assert.deepEqual(t.updates, [
      { creating: true, checking: false },
      { creating: true, checking: true },
      { creating: false, checking: false },
    ]);
  });
});

describe('create controller: what the tab keeps for a reload', () => {
  it('the key while creating, the id once created', async () => {
    let answer: (response: Response) => void = () => {};
    const t = setup([() => new Promise<Response>((resolve) => (answer = resolve))]);
    const pending = t.controller.create(SALE);
    await new Promise((resolve) => setImmediate(resolve));
    const seenWhileCreating = loadOpen(SCOPE);
    answer(json({ id: 'op-1', wallet: '0xw' }, 201));
    await pending;
    assert.deepEqual({ ...seenWhileCreating, at: 0 }, { flow: 'offramp', phase: 'creating', key: t.keys[0], at: 0 });
    assert.equal(seenWhileCreating?.phase === 'creating' && typeof seenWhileCreating.at, 'number');
    assert.deepEqual(loadOpen(SCOPE), { flow: 'offramp', phase: 'tracking', id: 'op-1' });
  });

  it('a refusal clears it; a retryable failure keeps the key for the retry', async () => {
    const t = setup([refused(503, 'upstream_unavailable'), refused(422, 'min_purchase')]);
    await t.controller.create(SALE);
    assert.deepEqual(loadOpen(SCOPE), { ...loadOpen(SCOPE), flow: 'offramp', phase: 'creating', key: t.keys[0] });
    await t.controller.create(SALE);
    assert.equal(loadOpen(SCOPE), undefined);
  });

  it('without a scope nothing is kept', async () => {
    const t = setup([created('op-1')], { scope: null });
    await t.controller.create(SALE);
    assert.equal(storage.length, 0);
  });
});
