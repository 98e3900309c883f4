/**
 * The status follower on its own (src/server/follower.ts), over a scripted API: a change is recorded, published and
 * handed to the merchant's hook once, forward only; polling ends at a final status or when nobody watches past the
 * follow time; a hook that throws is retried on its schedule, then given up, and each attempt is logged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CryptopocketApi, UpstreamOperation } from '../../src/server/api.js';
import { MemoryBus } from '../../src/server/bus.js';
import { StatusFollower, type OperationHook } from '../../src/server/follower.js';
import { MemoryStore } from '../../src/server/store.js';
import type { StatusEvent } from '../../src/types.js';
import { RecordingStore } from '../support/recording-store.js';
import { until } from '../support/until.js';

const op = (status: UpstreamOperation['status'], extra: Partial<UpstreamOperation> = {}): UpstreamOperation => ({
  id: 'r1',
  flow: 'offramp',
  status,
  raw: status,
  ...extra,
});

function follower(
  script: UpstreamOperation[] = [],
  extra: { hook?: OperationHook; hookRetryMs?: number[]; now?: () => number; store?: MemoryStore; followMs?: number } = {},
) {
  const store = extra.store ?? new MemoryStore();
  const bus = new MemoryBus();
  const published: StatusEvent[] = [];
  bus.subscribe('offramp', 'r1', (event) => published.push(event));
  const logs: string[] = [];
  let reads = 0;
  const api = {
    operation: async () => {
      const next = script[Math.min(reads, script.length - 1)]!;
      reads += 1;
      return next;
    },
  } as unknown as CryptopocketApi;
  const f = new StatusFollower({
    api,
    store,
    bus,
    log: (line) => logs.push(line),
    now: extra.now ?? Date.now,
    pollMs: { first: 1, max: 4 },
    followMs: extra.followMs ?? 60_000,
    hookRetryMs: extra.hookRetryMs ?? [],
    ownerOf: async () => 'owner-from-records',
    ...(extra.hook ? { hook: extra.hook } : {}),
  });
  return { f, store, published, logs, reads: () => reads };
}

describe('the status follower', () => {
  it('a change is published once, forward only, without the owner or our reference; the hook hears it with what it needs', async () => {
    const heard: unknown[] = [];
    const { f, published } = follower([], { hook: (operation, update) => void heard.push({ operation, update }) });
    assert.equal(await f.observe(op('created', { userId: '106', externalId: 'key-1' }), 'create', '106'), true);
    assert.equal(await f.observe(op('created'), 'webhook'), false, 'the same change again');
    assert.equal(await f.observe(op('processing', { userId: '106' }), 'webhook'), true);
    assert.equal(await f.observe(op('created'), 'reconciliation'), false, 'never backwards');
    assert.deepEqual(
      published.map((e) => [e.status, e.raw, e.operation]),
      [
        ['created', 'created', { id: 'r1', flow: 'offramp', status: 'created', raw: 'created' }],
        ['processing', 'processing', { id: 'r1', flow: 'offramp', status: 'processing', raw: 'processing' }],
      ],
    );
    await until(() => heard.length === 2, 'the hook');
    assert.deepEqual(heard, [
      { operation: op('created'), update: { dedupeId: 'offramp:r1:created', userId: '106', source: 'create' } },
      { operation: op('processing'), update: { dedupeId: 'offramp:r1:processing', userId: '106', previousStatus: 'created', source: 'webhook' } },
    ]);
    const owners: (string | undefined)[] = [];
    const { f: other } = follower([], { hook: (_operation, update) => void owners.push(update.userId) });
    await other.observe(op('created'), 'webhook');
    await until(() => owners.length === 1, 'the hook');
    assert.deepEqual(owners, ['owner-from-records'], 'no owner given or named: our records say');
  });

  it('two instances sharing a store record a change once', async () => {
    const store = new MemoryStore();
    const a = follower([], { store });
    const b = follower([], { store });
    const results = await Promise.all([a.f.observe(op('completed'), 'webhook'), b.f.observe(op('completed'), 'reconciliation')]);
    assert.deepEqual(results.sort(), [false, true]);
    assert.equal(a.published.length + b.published.length, 1);
  });

  it('polls until the status is final, then stops following', async () => {
    const t = follower([op('created'), op('processing'), op('processing'), op('completed'), op('completed')]);
    t.f.follow('offramp', 'r1', '106');
    await until(() => t.f.size === 0, 'the end of following');
    assert.deepEqual(
      t.published.map((e) => e.status),
      ['created', 'processing', 'completed'],
    );
    assert.equal(t.reads(), 4, 'no read after the final status');
    t.f.close();
  });

  it('an operation nobody watches is followed until its follow time; one that is watched, while the stream is open', async () => {
    let clock = 0;
    const idle = follower([op('processing')], { now: () => clock, followMs: 1000 });
    idle.f.follow('offramp', 'r1', undefined);
    await until(() => idle.reads() >= 2, 'polls');
    assert.equal(idle.f.size, 1);
    clock = 1001;
    await until(() => idle.f.size === 0, 'the follow time to pass');
    const watched = follower([op('processing')], { now: () => clock, followMs: 1000 });
    clock = 0;
    const stop = watched.f.follow('offramp', 'r1', undefined, true);
    watched.f.follow('offramp', 'r1', undefined);
    clock = 5000;
    const before = watched.reads();
    await until(() => watched.reads() >= before + 2, 'polls while watched');
    assert.equal(watched.f.size, 1, 'a watcher keeps it followed past its time');
    stop();
    stop();
    await until(() => watched.f.size === 0, 'the stream to close');
    watched.f.close();
  });

  it('close() stops every poll', async () => {
    const t = follower([op('processing')]);
    t.f.follow('offramp', 'r1', '106');
    await until(() => t.reads() >= 1, 'a poll');
    t.f.close();
    assert.equal(t.f.size, 0);
    const after = t.reads();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(t.reads(), after);
  });

  it('a hook that throws is retried on its schedule, then given up; each attempt is logged', async () => {
    let calls = 0;
    const t = follower([], {
      hookRetryMs: [1, 1],
      hook: () => {
        calls += 1;
        throw new Error('fulfilment down');
      },
    });
    await t.f.observe(op('completed'), 'webhook', '106');
    await until(() => t.logs.length === 3, 'three attempts');
    assert.equal(calls, 3);
    assert.deepEqual(t.logs, [
      'onOperationUpdate failed for offramp:r1:completed (attempt 1), retrying in 1 ms: fulfilment down',
      'onOperationUpdate failed for offramp:r1:completed (attempt 2), retrying in 1 ms: fulfilment down',
      'onOperationUpdate failed for offramp:r1:completed after 3 attempts, giving up: fulfilment down',
    ]);
    let later = 0;
    const closed = follower([], {
      hookRetryMs: [5],
      hook: () => {
        later += 1;
        throw new Error('x');
      },
    });
    await closed.f.observe(op('completed'), 'webhook', '106');
    await until(() => later === 1, 'the first attempt');
    closed.f.close();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(later, 1, 'no retry after close');
  });
});

describe('the status follower: its schedule and its edges', () => {
  const DAY = 24 * 60 * 60 * 1000;
  /** A store that records every write, and fails the next `failGets` reads. */
  class FailingStore extends RecordingStore {
    failGets = 0;
    override async get(key: string) {
      if (this.failGets > 0) {
        this.failGets -= 1;
        throw new Error('store down');
      }
      return super.get(key);
    }
  }

  function setup(read: () => Promise<UpstreamOperation>, extra: { hook?: OperationHook; now?: () => number; followMs?: number } = {}) {
    const store = new FailingStore();
    const logs: string[] = [];
    let reads = 0;
    const api = {
      operation: async () => {
        reads += 1;
        return read();
      },
    } as unknown as CryptopocketApi;
    const f = new StatusFollower({
      api,
      store,
      bus: new MemoryBus(),
      log: (line) => logs.push(line),
      now: extra.now ?? Date.now,
      pollMs: { first: 10, max: 40 },
      followMs: extra.followMs ?? 60_000,
      hookRetryMs: [1],
      ownerOf: async () => 'owner-from-records',
      ...(extra.hook ? { hook: extra.hook } : {}),
    });
    return { f, store, logs, reads: () => reads };
  }
  const script = (...ops: UpstreamOperation[]) => {
    let n = 0;
    return async () => ops[Math.min(n++, ops.length - 1)]!;
  };

  // the poll lock lives 80 % of each poll's delay: its lifetimes show the schedule
  it('after a change it polls at its first delay again; otherwise the delay doubles up to the cap', async () => {
    const t = setup(script(op('processing'), op('processing'), op('processing'), op('processing'), op('completed')));
    t.f.follow('offramp', 'r1', '106');
    await until(() => t.f.size === 0, 'the final status');
    assert.deepEqual(t.store.ttls('poll:'), [8, 8, 16, 32, 32]);
  });

  it('a read that fails is logged and backs off like no change', async () => {
    const t = setup(async () => {
      if (t.reads() < 4) throw new TypeError('fetch failed');
      return op('completed');
    });
    t.f.follow('offramp', 'r1', '106');
    await until(() => t.f.size === 0, 'the final status');
    assert.deepEqual(t.store.ttls('poll:'), [8, 16, 32, 32]);
    assert.deepEqual(t.logs.slice(0, 3), [
      'status poll offramp failed: TypeError',
      'status poll offramp failed: TypeError',
      'status poll offramp failed: TypeError',
    ]);
  });

  it('a store that fails once does not end the following', async () => {
    const t = setup(script(op('processing'), op('completed')));
    t.store.failGets = 1;
    t.f.follow('offramp', 'r1', '106');
    await until(() => t.f.size === 0, 'the final status');
    assert.equal(t.reads(), 2);
    assert.deepEqual(t.logs, ['status poll offramp failed: Error']);
  });

  it('an operation already final (a webhook said so) is not read again', async () => {
    const t = setup(script(op('completed')));
    await t.f.observe(op('completed'), 'webhook');
    t.f.follow('offramp', 'r1', '106');
    await until(() => t.f.size === 0, 'the end of following');
    assert.equal(t.reads(), 0);
  });

  it('changes are remembered for 30 days', async () => {
    const t = setup(script(op('completed')));
    await t.f.observe(op('completed'), 'webhook');
    assert.deepEqual(
      t.store.writes.filter((w) => !w.key.startsWith('poll:')).map((w) => [w.key.split(':')[0], w.ttlMs]),
      [
        ['change', 30 * DAY],
        ['last', 30 * DAY],
      ],
    );
  });

  it('a status the operation never had is still not a change once it is final', async () => {
    const t = setup(script(op('completed')));
    await t.f.observe(op('completed'), 'webhook');
    assert.equal(await t.f.observe(op('processing'), 'reconciliation'), false);
  });

  it('a change seen by polling is the follower’s user’s; without a hook nothing is run or logged', async () => {
    const heard: Array<string | undefined> = [];
    const t = setup(script(op('completed')), { hook: (_operation, update) => void heard.push(update.userId) });
    t.f.follow('offramp', 'r1', '106');
    await until(() => heard.length === 1, 'the hook');
    assert.deepEqual(heard, ['106']);
    const quiet = setup(script(op('completed')));
    assert.equal(await quiet.f.observe(op('completed'), 'webhook'), true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(quiet.logs, []);
  });

  it('is still followed at the last millisecond of its follow time', async () => {
    const clock = 1000;
    const t = setup(script(op('processing')), { now: () => clock, followMs: 0 });
    t.f.follow('offramp', 'r1', undefined);
    await until(() => t.reads() >= 3, 'polls');
    assert.equal(t.f.size, 1);
    t.f.close();
  });

  it('close() during a read: no poll after it; during a hook: no retry after it', async () => {
    let answer: (value: UpstreamOperation) => void = () => {};
    const t = setup(() => new Promise((resolve) => (answer = resolve)));
    t.f.follow('offramp', 'r1', '106');
    await until(() => t.reads() === 1, 'a read');
    t.f.close();
    answer(op('processing'));
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(t.reads(), 1);
    let calls = 0;
    const hooked = setup(script(op('completed')), {
      hook: () => {
        calls += 1;
        return new Promise((_resolve, reject) => setTimeout(() => reject(new Error('late')), 5));
      },
    });
    await hooked.f.observe(op('completed'), 'webhook', '106');
    hooked.f.close();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(calls, 1);
    assert.deepEqual(hooked.logs, ['onOperationUpdate failed for offramp:r1:completed after 1 attempts, giving up: late']);
  });
});
