/**
 * The Redis store and bus against a real redis-server: REDIS_URL if set, else a redis-server this test
 * starts on a free loopback port. Without one, the suite is skipped with a message — except in CI, where
 * `.ci/run` installs Debian's redis-server and a missing server is a failure.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { createSessionHandler, RedisBus, RedisStore } from '../../src/server/index.js';
import { createSimulator } from '../../src/simulator/index.js';
import type { StatusEvent } from '../../src/types.js';

const hasServer = spawnSync('redis-server', ['--version']).status === 0;
const available = Boolean(process.env.REDIS_URL) || hasServer;
if (!available && process.env.CI) throw new Error('CI needs redis-server (apt-get install -y redis-server) or REDIS_URL');
if (!available) console.log('# skipping the Redis tests: no REDIS_URL and no redis-server on PATH (apt-get install -y redis-server)');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('Redis store and bus (several handler instances)', { skip: !available && 'no Redis available' }, () => {
  let server: ChildProcess | undefined;
  let url = process.env.REDIS_URL ?? '';
  const clients: { quit(): Promise<unknown> }[] = [];

  async function client() {
    const c = createClient({ url });
    await c.connect();
    clients.push(c);
    return c;
  }

  before(async () => {
    if (!url) {
      const port = await freePort();
      server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      url = `redis://127.0.0.1:${port}`;
      for (let i = 0; i < 50; i++) {
        try {
          const probe = createClient({ url });
          await probe.connect();
          await probe.quit();
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  });

  after(async () => {
    for (const c of clients) await c.quit().catch(() => {});
    server?.kill();
  });

  /** Two session handlers (two "instances") sharing Redis, in front of one simulator. */
  async function instances() {
    const prefix = `test-${Math.random().toString(36).slice(2)}:`;
    const channel = `${prefix}status`;
    const publisher = await client();
    const sim = createSimulator({ apiKey: 'k', webhookSecret: 's' });
    const make = async () => {
      const subscriber = await client();
      const bus = new RedisBus(publisher, subscriber, channel);
      await bus.start();
      return createSessionHandler({ apiOrigin: 'http://sim.test', apiKey: 'k', webhookSecret: 's', basePath: '/s', fetch: sim.fetch, resolveUser: () => ({ id: 106, region: 'EU' }), store: new RedisStore(publisher, prefix), bus, log: () => {} });
    };
    return { a: await make(), b: await make(), sim, store: new RedisStore(publisher, prefix) };
  }

  const body = JSON.stringify({ amount: '10', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' });
  const create = (h: (r: Request) => Promise<Response>, key: string, payload = body) =>
    h(new Request('http://shop.test/s/offramp/operations', { method: 'POST', headers: { 'idempotency-key': key, 'content-type': 'application/json' }, body: payload }));

  it('stores with a time to live and claims a key only once', async () => {
    const { store } = await instances();
    assert.equal(await store.setIfAbsent('k1', 'first', 60_000), true);
    assert.equal(await store.setIfAbsent('k1', 'second', 60_000), false);
    assert.equal(await store.get('k1'), 'first');
    await store.set('short', 'x', 50);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(await store.get('short'), undefined);
    await store.delete('k1');
    assert.equal(await store.get('k1'), undefined);
  });

  it('one upstream create per Idempotency-Key across instances; replays on both', async () => {
    const { a, b, sim } = await instances();
    const first = await create(a, 'multi-instance-key-1');
    assert.equal(first.status, 201);
    const again = await create(b, 'multi-instance-key-1');
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await again.json(), await first.json());
    assert.equal((await create(b, 'multi-instance-key-1', body.replace('"10"', '"11"'))).status, 422);
    // concurrent duplicates on two instances: one creates, the other waits-and-replays or gets 409
    const statuses = (await Promise.all([create(a, 'multi-instance-key-2'), create(b, 'multi-instance-key-2')])).map((r) => r.status).sort();
    assert.ok(JSON.stringify(statuses) === '[201,201]' || JSON.stringify(statuses) === '[201,409]', String(statuses));
    assert.equal(sim.rampoffs.size, 2);
  });

  it('a webhook received by one instance reaches a status stream open on the other', async () => {
    const { a, b } = await instances();
    const { id } = await (await create(a, 'stream-key-1')).json();
    const seen: StatusEvent[] = [];
    // b's own bus delivers to its stream; listening on it directly shows the cross-instance hop
    b.bus.subscribe('offramp', id, (e) => seen.push(e));
    const payload = JSON.stringify({ event_id: `evt-${id}`, type: 'CRYPTO_RECEIVED', data: { id } });
    const ts = Math.floor(Date.now() / 1000);
    const { signWebhook } = await import('../../src/server/index.js');
    const res = await a(new Request('http://shop.test/s/webhooks', { method: 'POST', headers: { 'x-api-key': 'k', 'x-timestamp': String(ts), 'x-signature': await signWebhook('s', payload, ts) }, body: payload }));
    assert.equal(res.status, 200);
    for (let i = 0; i < 50 && !seen.length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(seen, [{ id, flow: 'offramp', status: 'funds_received', raw: 'crypto_received' }]);
    // the replay on the other instance is acknowledged, not applied again
    const replay = await b(new Request('http://shop.test/s/webhooks', { method: 'POST', headers: { 'x-api-key': 'k', 'x-timestamp': String(ts), 'x-signature': await signWebhook('s', payload, ts) }, body: payload }));
    assert.deepEqual(await replay.json(), { received: true, applied: false, duplicate: true });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(seen.length, 1);
  });
});
