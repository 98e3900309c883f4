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

const op = (status: UpstreamOperation['status'], extra: Partial<UpstreamOperation> = {}): UpstreamOperation => ({
  id: 'r1',
  flow: 'offramp',
  status,
  raw: status,
  ...extra,
});

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited too long for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

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
