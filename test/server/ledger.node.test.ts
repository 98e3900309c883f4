/**
 * The operation ledger on its own (src/server/ledger.ts), with a clock the test moves: what the widget is answered
 * for each way a create can end, and how many times the API is asked to create. "Exactly one send" is the assertion
 * wherever the outcome may have reached the API.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError } from '../../src/lib/read.js';
import { HttpError } from '../../src/server/http.js';
import { ClaimConflict, Ledger, outcomeUnknown, type Attempt, type CreateAdapter, type LedgerScope } from '../../src/server/ledger.js';
import { MemoryStore, StoreUnavailableError, type KeyValueStore } from '../../src/server/store.js';
import { UpstreamError } from '../../src/server/upstream.js';

const PENDING_MS = 30_000;
const WINDOW_MS = 120_000;
const HOUR = 60 * 60 * 1000;

interface Created {
  id: string;
}

/** A scripted flow: `find` answers what the test put there; `record` claims and returns the create's answer. */
class FakeAdapter implements CreateAdapter<unknown> {
  found: Created | undefined;
  findError: Error | undefined;
  recordError: (() => Error) | undefined;
  finds: Array<{ attempt: Attempt; at: number }> = [];
  records: Array<{ result: unknown; sent: boolean }> = [];

  async find(attempt: Attempt, _scope: LedgerScope, at: number) {
    this.finds.push({ attempt, at });
    if (this.findError) throw this.findError;
    return this.found;
  }

  async record(result: unknown, _attempt: Attempt, _scope: LedgerScope, sent: boolean) {
    this.records.push({ result, sent });
    const error = this.recordError?.();
    if (error) throw error;
    const { id } = result as Created;
    return { id, body: { id, status: 'waiting_payment' } };
  }
}

/** A ledger over `store` (a memory store on the test's clock by default), its adapters, clock and log. */
function setup(store?: KeyValueStore) {
  const adapters = { onramp: new FakeAdapter(), offramp: new FakeAdapter() };
  const logs: string[] = [];
  const clock = { now: 1_000_000 };
  const memory = store ?? new MemoryStore(() => clock.now);
  const ledger = new Ledger(memory, adapters, { now: () => clock.now, pendingMs: PENDING_MS, windowMs: WINDOW_MS, log: (line) => logs.push(line) });
  let sends = 0;
  /** A create that the API answers with `answer` (or fails with it; a promise: when it settles). */
  const create = (answer: Created | Error | Promise<Created>, scope: Partial<LedgerScope> = {}, hash = 'h1') =>
    ledger.create({ flow: 'onramp', userId: 'u1', key: 'k1', ...scope }, hash, { amount: '10.00' }, async () => {
      sends += 1;
      if (answer instanceof Error) throw answer;
      return answer;
    });
  const lookup = (scope: Partial<LedgerScope> = {}) => ledger.lookup({ flow: 'onramp', userId: 'u1', key: 'k1', ...scope });
  return { ledger, adapters, clock, logs, store: memory, create, lookup, sends: () => sends };
}

/** The error a promise rejects with, as the widget is answered (status, code, message, headers). */
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
  return { status: error.status, code: error.code, message: error.message, headers: error.headers };
}

const timeout = () => new UpstreamError('upstream_timeout', 'no answer', 0);
const CHECKING_PURCHASE = { status: 'checking', message: 'Checking whether your purchase was created…' };
const CHECKING_SALE = { status: 'checking', message: 'Checking whether your sale was created…' };

describe('ledger: a create answered by the API', () => {
  it('is sent once and answered 201 with the operation; the same key again is replayed, not sent', async () => {
    const t = setup();
    const first = await t.create({ id: 'op1' });
    assert.deepEqual(first, { status: 201, body: { id: 'op1', status: 'waiting_payment' }, created: { flow: 'onramp', id: 'op1', userId: 'u1' } });
    const again = await t.create({ id: 'op2' });
    assert.deepEqual(again, { status: 201, body: { id: 'op1', status: 'waiting_payment' }, headers: { 'idempotent-replayed': 'true' } });
    assert.equal(t.sends(), 1);
    assert.deepEqual(t.adapters.onramp.records, [{ result: { id: 'op1' }, sent: true }]);
  });

  it('a key is its user’s and its flow’s: another user or the other flow with the same key is a new create', async () => {
    const t = setup();
    await t.create({ id: 'op1' });
    const other = await t.create({ id: 'op2' }, { userId: 'u2' });
    const sale = await t.create({ id: 'op3' }, { flow: 'offramp' });
    assert.deepEqual(
      [other.body, sale.body],
      [
        { id: 'op2', status: 'waiting_payment' },
        { id: 'op3', status: 'waiting_payment' },
      ],
    );
    assert.equal(t.sends(), 3);
  });

  it('the same key with a different request is refused 422, and nothing is sent', async () => {
    const t = setup();
    await t.create({ id: 'op1' });
    assert.deepEqual(await refusal(t.create({ id: 'op2' }, {}, 'h2')), {
      status: 422,
      code: 'idempotency_mismatch',
      message: 'This Idempotency-Key was used with a different request.',
      headers: undefined,
    });
    assert.equal(t.sends(), 1);
  });

  it('holds the key for a day: replayed after 23 hours, a new create after 24', async () => {
    const t = setup();
    await t.create({ id: 'op1' });
    t.clock.now += 23 * HOUR;
    assert.equal((await t.create({ id: 'op2' })).headers?.['idempotent-replayed'], 'true');
    t.clock.now += HOUR;
    assert.deepEqual((await t.create({ id: 'op2' })).created, { flow: 'onramp', id: 'op2', userId: 'u1' });
    assert.equal(t.sends(), 2);
  });

  it('a double click waits for the first create and is replayed its answer', async () => {
    const t = setup();
    const [a, b] = await Promise.all([t.create({ id: 'op1' }), t.create({ id: 'op2' })]);
    assert.equal(a.status, 201);
    assert.deepEqual([b.status, b.body, b.headers], [201, { id: 'op1', status: 'waiting_payment' }, { 'idempotent-replayed': 'true' }]);
    assert.equal(t.sends(), 1);
  });

  it('answers 201 even when the ledger cannot write the created state (the ownership record names the key)', async () => {
    const store = new MemoryStore();
    const failing: KeyValueStore = {
      get: (k) => store.get(k),
      setIfAbsent: (k, v, ttl) => store.setIfAbsent(k, v, ttl),
      delete: (k) => store.delete(k),
      set: async (k, v, ttl) => {
        if (v.includes('"created"')) throw new StoreUnavailableError('down');
        return store.set(k, v, ttl);
      },
    };
    const t = setup(failing);
    assert.equal((await t.create({ id: 'op1' })).status, 201);
    assert.deepEqual(t.logs, ['onramp create: created and owned, ledger write failed']);
  });

  it('a create another instance claimed between our read and our claim is "in progress", not a second send', async () => {
    const store = new MemoryStore();
    const first = setup(store);
    void first.create(new Promise<Created>(() => {})); // sent, and the API never answers
    let reads = 0;
    const racing: KeyValueStore = {
      // our first read came before the other instance's claim landed
      get: async (k) => (reads++ === 0 ? undefined : store.get(k)),
      setIfAbsent: (k, v, ttl) => store.setIfAbsent(k, v, ttl),
      set: (k, v, ttl) => store.set(k, v, ttl),
      delete: (k) => store.delete(k),
    };
    const second = setup(racing);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await refusal(second.create({ id: 'op1' }))).code, 'request_in_progress');
    assert.equal(second.sends(), 0);
  });

  it('a record that vanishes between the claim and the read is a store failure, not a second send', async () => {
    const store = new MemoryStore();
    const racing: KeyValueStore = {
      get: async () => undefined,
      setIfAbsent: async () => false,
      set: (k, v, ttl) => store.set(k, v, ttl),
      delete: (k) => store.delete(k),
    };
    const t = setup(racing);
    const error = await t.create({ id: 'op1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof StoreUnavailableError);
    assert.equal(error.message, 'the ledger record vanished');
    assert.equal(t.sends(), 0);
  });
});

describe('ledger: a create whose outcome is unknown', () => {
  it('is never sent again: 202 "checking" while reconciliation finds nothing, then the operation once it shows', async () => {
    const t = setup();
    assert.deepEqual(await t.create(timeout()), { status: 202, body: CHECKING_PURCHASE, headers: { 'retry-after': '2' } });
    assert.deepEqual(await t.create({ id: 'never' }), { status: 202, body: CHECKING_PURCHASE, headers: { 'retry-after': '2' } });
    t.adapters.onramp.found = { id: 'op1' };
    assert.deepEqual(await t.create({ id: 'never' }), {
      status: 201,
      body: { id: 'op1', status: 'waiting_payment' },
      created: { flow: 'onramp', id: 'op1', userId: 'u1' },
    });
    assert.equal(t.sends(), 1);
    assert.deepEqual(
      t.adapters.onramp.finds.map((f) => f.at),
      [1_000_000, 1_000_000, 1_000_000],
    );
    assert.deepEqual(t.adapters.onramp.records, [{ result: { id: 'op1' }, sent: false }]);
  });

  it('says "sale" for a sale', async () => {
    const t = setup();
    assert.deepEqual((await t.create(timeout(), { flow: 'offramp' })).body, CHECKING_SALE);
  });

  it('becomes not_created only after the window, and that answer is kept', async () => {
    const t = setup();
    await t.create(timeout());
    t.clock.now += WINDOW_MS;
    assert.equal((await t.create({ id: 'never' })).status, 202, 'still inside the window at its last millisecond');
    t.clock.now += 1;
    const notCreated = {
      status: 409,
      code: 'not_created',
      message: 'Your purchase was not created, and nothing was charged. You can start it again.',
      headers: undefined,
    };
    assert.deepEqual(await refusal(t.create({ id: 'never' })), notCreated);
    const replay = await t.create({ id: 'never' });
    assert.deepEqual(replay, {
      status: 409,
      body: { error: { code: 'not_created', message: notCreated.message } },
      headers: { 'idempotent-replayed': 'true' },
    });
    assert.equal(t.sends(), 1);
  });

  it('a sale not found says so as a sale', async () => {
    const t = setup();
    await t.create(timeout(), { flow: 'offramp' });
    t.clock.now += WINDOW_MS + 1;
    assert.equal(
      (await refusal(t.create({ id: 'x' }, { flow: 'offramp' }))).message,
      'Your sale was not created, and nothing was charged. You can start it again.',
    );
  });

  it('a lookup that fails is "checking", not a failure', async () => {
    const t = setup();
    t.adapters.onramp.findError = new UpstreamError('upstream_unavailable', 'down', 503);
    assert.equal((await t.create(timeout())).status, 202);
    assert.deepEqual(t.logs.at(-1), 'onramp reconcile: lookup failed (UpstreamError)');
  });

  it('a reconciliation match another create claimed meanwhile is dropped and looked for again', async () => {
    const t = setup();
    await t.create(timeout());
    t.adapters.onramp.found = { id: 'theirs' };
    t.adapters.onramp.recordError = () => new ClaimConflict('claimed');
    assert.deepEqual(await t.create({ id: 'x' }), { status: 202, body: CHECKING_PURCHASE, headers: { 'retry-after': '1' } });
    t.adapters.onramp.found = { id: 'mine' };
    t.adapters.onramp.recordError = undefined;
    assert.equal((await t.create({ id: 'x' })).status, 201);
    assert.deepEqual(
      t.adapters.onramp.records.map((r) => r.result),
      [{ id: 'theirs' }, { id: 'mine' }],
    );
    assert.equal(t.sends(), 1);
  });

  it('the API’s own answer held by another user’s create is refused 502 once, and that refusal is kept', async () => {
    const t = setup();
    t.adapters.onramp.recordError = () => new ClaimConflict('claimed');
    const bad = { status: 502, code: 'bad_response', message: 'The payment service sent an unexpected answer.', headers: undefined };
    assert.deepEqual(await refusal(t.create({ id: 'someone-elses' })), bad);
    t.adapters.onramp.recordError = undefined;
    const replay = await t.create({ id: 'someone-elses' });
    assert.deepEqual(replay, { status: 502, body: { error: { code: bad.code, message: bad.message } }, headers: { 'idempotent-replayed': 'true' } });
    assert.equal(t.sends(), 1);
  });

  it('created upstream but not recorded: "checking", and the retry records the same answer without sending', async () => {
    const t = setup();
    t.adapters.onramp.recordError = () => new StoreUnavailableError('down');
    assert.deepEqual(await t.create({ id: 'op1' }), { status: 202, body: CHECKING_PURCHASE, headers: { 'retry-after': '1' } });
    t.adapters.onramp.recordError = undefined;
    assert.deepEqual((await t.create({ id: 'other' })).created, { flow: 'onramp', id: 'op1', userId: 'u1' });
    assert.deepEqual(t.adapters.onramp.records, [
      { result: { id: 'op1' }, sent: true },
      { result: { id: 'op1' }, sent: true },
    ]);
    assert.equal(t.adapters.onramp.finds.length, 0, 'the answer is known: nothing to look for');
    assert.equal(t.sends(), 1);
  });

  it('an answer whose shape we could not read is unknown, not a failure', async () => {
    const t = setup();
    assert.equal((await t.create(new ShapeError('no id'))).status, 202);
    assert.equal(t.sends(), 1);
  });
});

describe('ledger: a create still in flight elsewhere', () => {
  /** Instance A sends and waits on the API; instance B (same store) is asked with the same key. */
  function twoInstances() {
    const a = setup();
    const clock = a.clock;
    const b = new Ledger(a.store, a.adapters, { now: () => clock.now, pendingMs: PENDING_MS, windowMs: WINDOW_MS, log: () => {} });
    let answer: (value: Created) => void = () => {};
    const inFlight = a.ledger.create(
      { flow: 'onramp', userId: 'u1', key: 'k1' },
      'h1',
      { amount: '10.00' },
      () => new Promise<Created>((resolve) => (answer = resolve)),
    );
    const retry = () => b.create({ flow: 'onramp', userId: 'u1', key: 'k1' }, 'h1', { amount: '10.00' }, () => assert.fail('sent twice'));
    return { a, b, clock, inFlight, retry, answer: (value: Created) => answer(value) };
  }

  it('is "in progress" (409, Retry-After 1) while younger than pendingMs, and a lookup says the same', async () => {
    const t = twoInstances();
    await new Promise((resolve) => setImmediate(resolve));
    t.clock.now += PENDING_MS - 1;
    const inProgress = {
      status: 409,
      code: 'request_in_progress',
      message: 'The same request is still being processed. Please retry shortly.',
      headers: { 'retry-after': '1' },
    };
    assert.deepEqual(await refusal(t.retry()), inProgress);
    assert.deepEqual(await refusal(t.b.lookup({ flow: 'onramp', userId: 'u1', key: 'k1' })), inProgress);
    t.answer({ id: 'op1' });
    assert.equal((await t.inFlight).status, 201);
  });

  it('older than pendingMs (its process may have died) it is reconciled, never sent again', async () => {
    const t = twoInstances();
    await new Promise((resolve) => setImmediate(resolve));
    t.clock.now += PENDING_MS;
    assert.deepEqual(await t.retry(), { status: 202, body: CHECKING_PURCHASE, headers: { 'retry-after': '2' } });
    t.a.adapters.onramp.found = { id: 'op1' };
    assert.equal((await t.retry()).status, 201);
  });
});

describe('ledger: a create refused for certain', () => {
  it('a 4xx refusal is kept and replayed with its own status and words; nothing is sent again', async () => {
    const t = setup();
    const error = await t.create(new UpstreamError('min_purchase', 'below', 200)).catch((e: unknown) => e);
    assert.ok(error instanceof UpstreamError);
    const replay = await t.create({ id: 'op1' });
    assert.deepEqual(replay, {
      status: 422,
      body: { error: { code: 'min_purchase', message: 'The amount is below the minimum.' } },
      headers: { 'idempotent-replayed': 'true' },
    });
    assert.equal(t.sends(), 1);
  });

  for (const [what, error] of [
    ['a 5xx refusal that asks for a retry', new UpstreamError('error_payment_creation', 'provider', 200)],
    ['a 429', new UpstreamError('rate_limited', 'slow down', 429)],
    ['a connection never made', new UpstreamError('upstream_unavailable', 'refused', 0, undefined, false)],
    ['our own refusal', new HttpError(400, 'invalid_amount', 'no')],
  ] as const) {
    it(`${what} releases the key: the same key is sent again`, async () => {
      const t = setup();
      await assert.rejects(t.create(error));
      assert.equal((await t.create({ id: 'op1' })).status, 201);
      assert.equal(t.sends(), 2);
    });
  }

  it('a lookup of a refused or unknown key is 404 not_found, and of an unknown one in progress 409', async () => {
    const t = setup();
    const notFound = { status: 404, code: 'not_found', message: 'Nothing was created with this key.', headers: undefined };
    assert.deepEqual(await refusal(t.lookup()), notFound);
    await t.create(timeout());
    assert.deepEqual(await refusal(t.lookup()), {
      status: 409,
      code: 'request_in_progress',
      message: 'The request is still being processed.',
      headers: { 'retry-after': '2' },
    });
    t.adapters.onramp.found = { id: 'op1' };
    assert.deepEqual(await t.lookup(), {
      status: 200,
      body: { id: 'op1', status: 'waiting_payment' },
      created: { flow: 'onramp', id: 'op1', userId: 'u1' },
    });
    assert.deepEqual(await t.lookup(), { status: 200, body: { id: 'op1', status: 'waiting_payment' } }, 'not marked as a replay');
    await assert.rejects(t.create(new UpstreamError('min_purchase', 'below', 200), { key: 'k2' }));
    assert.deepEqual(await refusal(t.lookup({ key: 'k2' })), notFound);
  });
});

describe('outcomeUnknown: whether a failed create may have reached the API', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['our own refusal', new HttpError(400, 'x', 'x'), false],
    ['an answer we could not read', new ShapeError('x'), true],
    ['an unexpected error', new TypeError('x'), true],
    ['the store failing', new StoreUnavailableError('x'), false],
    ['a connection never made', new UpstreamError('upstream_unavailable', 'x', 0, undefined, false), false],
    ['no answer', new UpstreamError('upstream_timeout', 'x', 0), true],
    ['no answer, whatever its code', new UpstreamError('connection_reset', 'x', 0), true],
    ['a 408, whatever its code', new UpstreamError('request_timeout', 'x', 408), true],
    ['a 500', new UpstreamError('upstream_error', 'x', 500), true],
    ['a 503', new UpstreamError('upstream_unavailable', 'x', 503), true],
    ['a 408', new UpstreamError('upstream_timeout', 'x', 408), true],
    ['a 400', new UpstreamError('upstream_error', 'x', 400), false],
    ['a 404', new UpstreamError('upstream_error', 'x', 404), false],
    ['a 429', new UpstreamError('rate_limited', 'x', 429), false],
    ['a business refusal in a 200', new UpstreamError('min_purchase', 'x', 200), false],
    ['an unreadable 200', new UpstreamError('bad_response', 'x', 200), true],
    ['an unknown upstream error in a 200', new UpstreamError('upstream_error', 'x', 200), true],
    ['unavailable in a 200', new UpstreamError('upstream_unavailable', 'x', 200), true],
    ['a timeout in a 200', new UpstreamError('upstream_timeout', 'x', 200), true],
  ];
  for (const [what, error, unknown] of cases) {
    it(`${what}: ${unknown ? 'unknown' : 'definitive'}`, () => assert.equal(outcomeUnknown(error), unknown));
  }
});
