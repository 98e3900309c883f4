/**
 * The in-memory store on a clock, the guard every store call goes through (a store that hangs or fails answers
 * store_unavailable), and the per-user limits built on it: windows, Retry-After, defaults, open streams.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpError } from '../../src/server/http.js';
import { Limits } from '../../src/server/limits.js';
import { guardStore, MemoryStore, StoreUnavailableError, withTimeout, type KeyValueStore } from '../../src/server/store.js';

describe('the in-memory store on a clock', () => {
  it('an entry lives for its time to live, to the millisecond', async () => {
    let clock = 1_000;
    const store = new MemoryStore(() => clock);
    await store.set('a', 'x', 500);
    clock = 1_499;
    assert.equal(await store.get('a'), 'x');
    clock = 1_500;
    assert.equal(await store.get('a'), undefined);
    assert.equal(await store.setIfAbsent('a', 'y', 100), true, 'an expired entry is absent');
    assert.equal(await store.setIfAbsent('a', 'z', 100), false);
    assert.equal(await store.get('a'), 'y');
    await store.delete('a');
    assert.equal(await store.get('a'), undefined);
  });

  it('a claim (setIfAbsent) is free again at the millisecond it expires, even unread', async () => {
    let clock = 0;
    const store = new MemoryStore(() => clock);
    assert.equal(await store.setIfAbsent('claim', 'a', 500), true);
    clock = 499;
    assert.equal(await store.setIfAbsent('claim', 'b', 500), false);
    clock = 500;
    assert.equal(await store.setIfAbsent('claim', 'c', 500), true);
  });

  it('counts up within the time to live, and starts again after it', async () => {
    let clock = 0;
    const store = new MemoryStore(() => clock);
    assert.deepEqual([await store.increment('n', 1000), await store.increment('n', 1000), await store.increment('n', 1000)], [1, 2, 3]);
    clock = 999;
    assert.equal(await store.increment('n', 1000), 4, 'the first count set the expiry');
    clock = 1000;
    assert.equal(await store.increment('n', 1000), 1);
  });

  it('forgets expired entries as it grows, without losing live ones', async () => {
    let clock = 0;
    const store = new MemoryStore(() => clock);
    for (let i = 0; i < 300; i++) await store.set(`old-${i}`, 'x', 10);
    await store.set('live', 'y', 10_000);
    clock = 100;
    for (let i = 0; i < 300; i++) await store.set(`new-${i}`, 'x', 10_000);
    const entries = (store as unknown as { entries: Map<string, unknown> }).entries;
    assert.ok(entries.size < 400, `${entries.size} entries kept`);
    assert.equal(await store.get('live'), 'y');
    assert.equal(await store.get('new-299'), 'x');
  });
});

describe('every store call is bounded', () => {
  it('a store that does not answer in time, or fails, is store_unavailable, with why', async () => {
    const hangs = () => new Promise<never>(() => {});
    await assert.rejects(withTimeout(hangs, 20), { name: 'StoreUnavailableError', message: 'the store did not answer in 20 ms' });
    await assert.rejects(
      withTimeout(() => Promise.reject(new Error('ECONNRESET')), 1000),
      (error: unknown) => error instanceof StoreUnavailableError && error.message === 'ECONNRESET',
    );
    await assert.rejects(
      withTimeout(() => Promise.reject('text'), 1000),
      { name: 'StoreUnavailableError', message: 'the store failed' },
    );
    const own = new StoreUnavailableError('down');
    await assert.rejects(
      withTimeout(() => Promise.reject(own), 1000),
      (error) => error === own,
    );
    assert.equal(await withTimeout(async () => 'ok', 1000), 'ok');
  });

  it('the guarded store passes every call through, and counts with get and set when the store cannot count', async () => {
    const calls: string[] = [];
    const data = new Map<string, string>();
    const plain: KeyValueStore = {
      async get(key) {
        calls.push(`get ${key}`);
        return data.get(key);
      },
      async set(key, value, ttl) {
        calls.push(`set ${key}=${value} ${ttl}`);
        data.set(key, value);
      },
      async setIfAbsent(key, value, ttl) {
        calls.push(`setIfAbsent ${key}=${value} ${ttl}`);
        return true;
      },
      async delete(key) {
        calls.push(`delete ${key}`);
      },
    };
    const store = guardStore(plain, 1000);
    assert.equal(await store.setIfAbsent('c', 'v', 5), true);
    await store.delete('c');
    assert.deepEqual([await store.increment('n', 60), await store.increment('n', 60)], [1, 2]);
    assert.deepEqual(calls, ['setIfAbsent c=v 5', 'delete c', 'get n', 'set n=1 60', 'get n', 'set n=2 60']);
    const counting = guardStore({ ...plain, increment: async () => 41 }, 1000);
    assert.equal(await counting.increment('n', 60), 41);
  });
});

describe('per-user limits', () => {
  const limits = (options = {}, now = () => 0, store = guardStore(new MemoryStore(now), 1000)) => new Limits(store, options, now);
  const refused = (status: number, code: string, retryAfter: string) => (error: unknown) =>
    error instanceof HttpError && error.status === status && error.code === code && error.headers?.['retry-after'] === retryAfter;

  it('120 quotes and 10 creates a minute by default, per user and kind, with the seconds left in the minute', async () => {
    let clock = 60_000 * 5 + 15_500;
    const l = limits({}, () => clock);
    for (let i = 0; i < 120; i++) await l.take('quote', 'u1');
    await assert.rejects(l.take('quote', 'u1'), refused(429, 'rate_limited', '45'));
    for (let i = 0; i < 10; i++) await l.take('create', 'u1');
    await assert.rejects(l.take('create', 'u1'), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.deepEqual(
        [error.message, error.details, error.headers],
        ['Too many requests. Please wait a moment.', { retryAfterSeconds: '45' }, { 'retry-after': '45' }],
      );
      return true;
    });
    await l.take('create', 'u2');
    clock = 60_000 * 6 - 1;
    await assert.rejects(l.take('create', 'u1'), refused(429, 'rate_limited', '1'), 'never less than a second');
    clock = 60_000 * 6;
    await l.take('create', 'u1');
  });

  it('a store that is down: quotes still go through, creates do not', async () => {
    const down = guardStore(
      {
        get: async () => undefined,
        set: async () => {},
        setIfAbsent: async () => true,
        delete: async () => {},
        increment: async () => {
          throw new Error('ECONNREFUSED');
        },
      },
      1000,
    );
    const l = limits({}, () => 0, down);
    await l.take('quote', 'u1');
    await assert.rejects(l.take('create', 'u1'), StoreUnavailableError);
    const broken = new Limits({ ...down, increment: async () => Promise.reject(new TypeError('bug')) }, {}, () => 0);
    await assert.rejects(broken.take('quote', 'u1'), TypeError, 'only an unavailable store is waved through');
  });

  it('open status streams per user: 10 by default, each closed once however often it is closed', () => {
    const l = limits();
    const closers = Array.from({ length: 10 }, () => l.openStream('u1'));
    assert.throws(() => l.openStream('u1'), refused(429, 'too_many_streams', '5'));
    l.openStream('u2');
    closers[0]!();
    closers[0]!();
    l.openStream('u1');
    assert.throws(() => l.openStream('u1'), refused(429, 'too_many_streams', '5'), 'a second close freed nothing');
    const two = limits({ streamsPerUser: 2 });
    const a = two.openStream('u');
    const b = two.openStream('u');
    assert.throws(() => two.openStream('u'), HttpError);
    a();
    b();
    two.openStream('u');
    two.openStream('u');
  });
});
