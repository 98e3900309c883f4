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
import { createSessionHandler, RedisBus, RedisStore, type SessionHandlerOptions } from '../../src/server/index.js';
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

  /** Two session handlers (two "instances") sharing Redis, in front of one simulator; `extra` are the test's own options. */
  async function instances(extra: Partial<SessionHandlerOptions> = {}) {
    const prefix = `test-${Math.random().toString(36).slice(2)}:`;
    const channel = `${prefix}status`;
    const publisher = await client();
    const sim = createSimulator({ apiKey: 'k', webhookSecret: 's' });
    const make = async () => {
      const subscriber = await client();
      const bus = new RedisBus(publisher, subscriber, channel);
      await bus.start();
      return createSessionHandler({
        apiOrigin: 'http://sim.test',
        apiKey: 'k',
        webhookSecret: 's',
        basePath: '/s',
        fetch: sim.fetch,
        resolveUser: () => ({ id: 106, region: 'EU' }),
        store: new RedisStore(publisher, prefix),
        bus,
        log: () => {},
        ...extra,
      });
    };
    return { a: await make(), b: await make(), sim, store: new RedisStore(publisher, prefix) };
  }

  const body = JSON.stringify({ amount: '10', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' });
  const create = (h: (r: Request) => Promise<Response>, key: string, payload = body) =>
    h(
      new Request('http://shop.test/s/offramp/operations', {
        method: 'POST',
        headers: { 'idempotency-key': key, 'content-type': 'application/json' },
        body: payload,
      }),
    );

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
    // concurrent duplicates on two instances: one creates, the other waits-and-replays or gets a retryable 409
    const answers = await Promise.all([create(a, 'multi-instance-key-2'), create(b, 'multi-instance-key-2')]);
    const statuses = answers.map((r) => r.status).sort();
    assert.ok(JSON.stringify(statuses) === '[201,201]' || JSON.stringify(statuses) === '[201,409]', String(statuses));
    for (const answer of answers.filter((r) => r.status === 409)) {
      assert.equal((await answer.json()).error.code, 'request_in_progress', 'the widget keeps its key and asks again');
      assert.ok(answer.headers.get('retry-after'));
    }
    // …and asking again (the widget's retry, on either instance) ends at the one operation
    const retried = await (await create(b, 'multi-instance-key-2')).json();
    assert.equal(retried.id, (await (await create(a, 'multi-instance-key-2')).json()).id);
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
    const res = await a(
      new Request('http://shop.test/s/webhooks', {
        method: 'POST',
        headers: { 'x-api-key': 'k', 'x-timestamp': String(ts), 'x-signature': await signWebhook('s', payload, ts) },
        body: payload,
      }),
    );
    assert.equal(res.status, 200);
    const received = () => seen.filter((e) => e.status !== 'created'); // the create's own first status may arrive too
    for (let i = 0; i < 50 && !received().length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      received().map(({ operation, ...event }) => ({ ...event, tokenAmount: operation?.tokenAmount })),
      [{ id, flow: 'offramp', status: 'funds_received', raw: 'crypto_received', tokenAmount: '10' }],
    );
    // the replay on the other instance is acknowledged, not applied again
    const replay = await b(
      new Request('http://shop.test/s/webhooks', {
        method: 'POST',
        headers: { 'x-api-key': 'k', 'x-timestamp': String(ts), 'x-signature': await signWebhook('s', payload, ts) },
        body: payload,
      }),
    );
    assert.deepEqual(await replay.json(), { received: true, applied: false, duplicate: true });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(received().length, 1);
  });

  it('the hook runs once per status change across two instances (webhooks to both, both polling)', async () => {
    const calls: string[] = [];
    const { a, b, sim } = await instances({ pollMs: { first: 20, max: 80 }, onOperationUpdate: (_op, u) => void calls.push(u.dedupeId) });
    try {
      const { id } = await (await create(a, 'hook-key-1')).json();
      const stream = await b(new Request(`http://shop.test/s/events?flow=offramp&id=${id}`)); // b follows it too
      const ts = Math.floor(Date.now() / 1000);
      await sim.step(id);
      const payload = JSON.stringify({ event_id: `evt-hook-${id}`, type: 'CRYPTO_RECEIVED', data: { id } });
      const again = JSON.stringify({ event_id: `evt-hook-${id}-retry`, type: 'CRYPTO_RECEIVED', data: { id } });
      const { signWebhook } = await import('../../src/server/index.js');
      const hook = async (h: typeof a, body: string) =>
        h(
          new Request('http://shop.test/s/webhooks', {
            method: 'POST',
            headers: { 'x-api-key': 'k', 'x-timestamp': String(ts), 'x-signature': await signWebhook('s', body, ts) },
            body,
          }),
        );
      await Promise.all([hook(a, payload), hook(b, again)]);
      await sim.step(id); // finished: no webhook this time, the pollers find it
      for (let i = 0; i < 100 && !calls.includes(`offramp:${id}:completed`); i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(calls.filter((c) => c.includes(id)).sort(), [`offramp:${id}:completed`, `offramp:${id}:created`, `offramp:${id}:funds_received`]);
      await stream.body?.cancel();
    } finally {
      a.close();
      b.close();
    }
  });

  it('Redis down: a create answers 503 store_unavailable fast (nothing sent upstream); quotes keep working', async () => {
    const port = await freePort();
    const own = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      const ownUrl = `redis://127.0.0.1:${port}`;
      let c: ReturnType<typeof createClient> | undefined;
      for (let i = 0; i < 50 && !c; i++) {
        try {
          const probe = createClient({ url: ownUrl, socket: { reconnectStrategy: 50 } });
          probe.on('error', () => {}); // a client left with its defaults: commands queue while it reconnects
          await probe.connect();
          c = probe;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const sim = createSimulator({ apiKey: 'k' });
      const h = createSessionHandler({
        apiOrigin: 'http://sim.test',
        apiKey: 'k',
        basePath: '/s',
        fetch: sim.fetch,
        resolveUser: () => ({ id: 106, region: 'EU' }),
        store: new RedisStore(c!, 'down:'),
        storeTimeoutMs: 300,
        log: () => {},
      });
      assert.equal((await create(h, 'before-down-1')).status, 201);
      own.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      const res = await create(h, 'while-down-1');
      assert.equal(res.status, 503);
      assert.equal((await res.json()).error.code, 'store_unavailable');
      assert.ok(res.headers.get('retry-after'));
      assert.ok(Date.now() - started < 1500, `answered in ${Date.now() - started} ms`);
      assert.equal(sim.rampoffs.size, 1, 'nothing was sent upstream');
      const status = await h(new Request(`http://shop.test/s/offramp/operations/${[...sim.rampoffs.keys()][0]}`));
      assert.equal(status.status, 503, 'a status read needs the ownership record: a quick 503, not a hang');
      const quote = await h(new Request('http://shop.test/s/offramp/quote?amount=10&symbol=USDC&chain=polygon'));
      assert.equal(quote.status, 200, 'quotes keep working');
      h.close();
      await c!.disconnect().catch(() => {});
    } finally {
      own.kill('SIGKILL');
    }
  });
});
