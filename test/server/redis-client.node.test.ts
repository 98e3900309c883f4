/**
 * The Redis store and bus as the merchant's Redis client sees them (a recording client with Redis's answers): the
 * keys under their prefix, expiry in whole milliseconds, NX for claims, counters with and without INCR, one channel.
 * test/server/redis.node.test.ts runs them against a real redis-server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RedisBus, RedisStore, type RedisLikeClient, type RedisLikeSubscriber } from '../../src/server/redis.js';
import type { StatusEvent } from '../../src/types.js';

function client(withCounters = true) {
  const data = new Map<string, string>();
  const calls: unknown[][] = [];
  const base: RedisLikeClient = {
    async get(key) {
      calls.push(['get', key]);
      return data.get(key) ?? null;
    },
    async set(key, value, options) {
      calls.push(['set', key, value, options]);
      if (options?.NX && data.has(key)) return null;
      data.set(key, value);
      return 'OK';
    },
    async del(key) {
      calls.push(['del', key]);
      return data.delete(key) ? 1 : 0;
    },
    async publish(channel, message) {
      calls.push(['publish', channel, message]);
      return 1;
    },
  };
  const counters = {
    async incr(key: string) {
      calls.push(['incr', key]);
      const next = Number(data.get(key) ?? 0) + 1;
      data.set(key, String(next));
      return next;
    },
    async pExpire(key: string, ms: number) {
      calls.push(['pExpire', key, ms]);
      return 1;
    },
  };
  return { redis: withCounters ? { ...base, ...counters } : base, data, calls };
}

describe('the Redis store, as the client sees it', () => {
  it('keeps every key under its prefix, with expiry in whole milliseconds (at least 1)', async () => {
    const { redis, calls } = client();
    const store = new RedisStore(redis);
    await store.set('idem:a', 'v', 1500.4);
    assert.equal(await store.get('idem:a'), 'v');
    assert.equal(await store.get('idem:missing'), undefined);
    await store.set('tiny', 'v', 0.2);
    await store.delete('idem:a');
    assert.equal(await store.get('idem:a'), undefined);
    assert.deepEqual(calls, [
      ['set', 'cp-ramp:idem:a', 'v', { PX: 1500 }],
      ['get', 'cp-ramp:idem:a'],
      ['get', 'cp-ramp:idem:missing'],
      ['set', 'cp-ramp:tiny', 'v', { PX: 1 }],
      ['del', 'cp-ramp:idem:a'],
      ['get', 'cp-ramp:idem:a'],
    ]);
    const own = new RedisStore(client().redis, 'shop-a:');
    await own.set('k', 'v', 10);
    assert.equal(await own.get('k'), 'v');
  });

  it('a claim is SET NX: one winner, the loser told so', async () => {
    const { redis, calls } = client();
    const store = new RedisStore(redis);
    assert.equal(await store.setIfAbsent('claim:x', 'first', 999.6), true);
    assert.equal(await store.setIfAbsent('claim:x', 'second', 1000), false);
    assert.equal(await store.get('claim:x'), 'first');
    assert.deepEqual(calls[0], ['set', 'cp-ramp:claim:x', 'first', { PX: 1000, NX: true }]);
  });

  it('counters: INCR, with the expiry set once, at the first count; without INCR, get and set', async () => {
    const { redis, calls } = client();
    const store = new RedisStore(redis);
    assert.deepEqual([await store.increment('rate:u', 60000.7), await store.increment('rate:u', 60000.7)], [1, 2]);
    assert.deepEqual(calls, [
      ['incr', 'cp-ramp:rate:u'],
      ['pExpire', 'cp-ramp:rate:u', 60001],
      ['incr', 'cp-ramp:rate:u'],
    ]);
    const plain = client(false);
    const fallback = new RedisStore(plain.redis);
    assert.deepEqual([await fallback.increment('rate:u', 0), await fallback.increment('rate:u', 5000)], [1, 2]);
    assert.deepEqual(plain.calls, [
      ['get', 'cp-ramp:rate:u'],
      ['set', 'cp-ramp:rate:u', '1', { PX: 1 }],
      ['get', 'cp-ramp:rate:u'],
      ['set', 'cp-ramp:rate:u', '2', { PX: 5000 }],
    ]);
  });
});

describe('the Redis bus, as the client sees it', () => {
  it('one channel, subscribed once; what it carries reaches the listeners of that operation; junk is dropped', async () => {
    const { redis, calls } = client();
    const channels: [string, (message: string) => void][] = [];
    const left: (string | undefined)[] = [];
    const subscriber: RedisLikeSubscriber = {
      async subscribe(channel, listener) {
        channels.push([channel, listener]);
      },
      async unsubscribe(channel) {
        left.push(channel);
      },
    };
    const bus = new RedisBus(redis, subscriber);
    const got: StatusEvent[] = [];
    bus.subscribe('offramp', 'op-1', (event) => got.push(event));
    const event = { flow: 'offramp', id: 'op-1', status: 'completed', raw: 'finished' } as StatusEvent;
    await bus.publish(event);
    await bus.start();
    assert.equal(channels.length, 1, 'subscribed once');
    assert.equal(channels[0]![0], 'cp-ramp:status');
    assert.deepEqual(calls, [['publish', 'cp-ramp:status', JSON.stringify(event)]]);
    const deliver = channels[0]![1];
    deliver(JSON.stringify(event));
    for (const junk of ['not json', 'null', '{"id":1,"flow":"offramp"}', '{"id":"op-1"}', JSON.stringify({ ...event, id: 'op-2' })]) deliver(junk);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(got, [event]);
    await bus.close();
    assert.deepEqual(left, ['cp-ramp:status']);
    const idle = new RedisBus(redis, subscriber, 'shop-a:status');
    await idle.close();
    assert.deepEqual(left, ['cp-ramp:status'], 'a bus that never subscribed has nothing to leave');
  });
});
