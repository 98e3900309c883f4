/**
 * Status that is always eventually right: webhooks lost, late or out of order, and the follower that reads the API
 * itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhook } from '../../src/server/index.js';
import type { Operation } from '../../src/types.js';
import { EU, OTHER, RAMPOFF, instance, setup, call, post, sleep } from '../support/faults.js';

describe('status that is always eventually right', () => {
  async function readEvents(res: Response, until: (ops: Operation[]) => boolean, timeoutMs = 5000): Promise<Operation[]> {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const ops: Operation[] = [];
    let buffer = '';
    const deadline = Date.now() + timeoutMs;
    while (!until(ops) && Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<{ done: true; value: undefined }>(
        (resolve) => (timer = setTimeout(() => resolve({ done: true, value: undefined }), deadline - Date.now())),
      );
      const chunk = await Promise.race([reader.read(), late]);
      clearTimeout(timer); // a timer left behind holds the process open for up to timeoutMs after the tests
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = buffer
          .slice(0, end)
          .split('\n')
          .find((l) => l.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) ops.push(JSON.parse(data.slice(6)).operation);
      }
    }
    await reader.cancel().catch(() => {});
    return ops;
  }

  it('with every webhook lost, the stream reaches completed through reconciliation', async (t) => {
    const { sim, h } = setup({ pollMs: { first: 30, max: 120 } });
    sim.webhooksEnabled = false;
    const { id } = await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-no-webhook'))).json();
    const stream = await call(h, `events?flow=offramp&id=${id}`);
    const started = Date.now();
    void sim.finish(id);
    const ops = await readEvents(stream, (list) => list.at(-1)?.status === 'completed');
    assert.equal(ops[0]?.status, 'created');
    assert.equal(ops.at(-1)?.status, 'completed');
    assert.equal(ops.at(-1)?.fiatAmount !== undefined, true, 'the final figures come from the API');
    const ms = Date.now() - started;
    assert.ok(ms < 2000);
    t.diagnostic(
      `lost webhooks: the stream showed the final state ${ms} ms after the API reached it (polling every 30 ms, doubling to 120 ms here; 5 s doubling to 60 s by default)`,
    );
  });

  it('1,000 streams on one operation: one upstream read per status change', async () => {
    const { sim, h } = setup({ limits: { streamsPerUser: 2000 }, pollMs: { first: 60_000, max: 60_000 } });
    let reads = 0;
    const counting = instance({
      webhookSecret: 's',
      resolveUser: () => EU,
      limits: { streamsPerUser: 2000 },
      pollMs: { first: 60_000, max: 60_000 },
      fetch: (input, init) => {
        if (String(input).includes('/api/getRampoff')) reads++;
        return sim.fetch(input, init);
      },
    });
    const { id } = await (await call(counting, 'offramp/operations', post(RAMPOFF, 'sell-thousand'))).json();
    const streams = await Promise.all(Array.from({ length: 1000 }, () => call(counting, `events?flow=offramp&id=${id}`)));
    assert.ok(streams.every((s) => s.status === 200));
    const readers = streams.map((s) => readEvents(s, (ops) => ops.at(-1)?.status === 'funds_received'));
    await sleep(50);
    reads = 0;
    await sim.step(id); // the API moves on…
    const raw = JSON.stringify({ event_id: 'evt-thousand', type: 'CRYPTO_RECEIVED', data: { id } });
    const ts = Math.floor(Date.now() / 1000);
    const res = await call(counting, 'webhooks', {
      method: 'POST',
      body: raw,
      headers: { 'x-api-key': 'k', 'x-timestamp': String(ts), 'x-signature': await signWebhook('s', raw, ts) },
    });
    assert.deepEqual(await res.json(), { received: true, applied: true });
    const seen = await Promise.all(readers);
    assert.ok(
      seen.every((ops) => ops.at(-1)?.status === 'funds_received'),
      'every stream saw the change',
    );
    assert.equal(reads, 1, 'one upstream read for 1,000 streams');
    void h;
  });

  it('open streams per user are capped (429)', async () => {
    const { h } = setup({ limits: { streamsPerUser: 2 } });
    const { id } = await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-capped'))).json();
    const a = await call(h, `events?flow=offramp&id=${id}`);
    const b = await call(h, `events?flow=offramp&id=${id}`);
    const c = await call(h, `events?flow=offramp&id=${id}`);
    assert.deepEqual([a.status, b.status, c.status], [200, 200, 429]);
    await a.body!.cancel();
    const d = await call(h, `events?flow=offramp&id=${id}`);
    assert.equal(d.status, 200, 'a closed stream frees its place');
    await Promise.all([b.body!.cancel(), d.body!.cancel()]);
  });

  it('another user cannot open a stream on an operation (404, the same as an unknown id)', async () => {
    const { sim, h } = setup();
    const { id } = await (await call(h, 'offramp/operations', post(RAMPOFF, 'sell-mine'))).json();
    const other = instance({ fetch: sim.fetch, resolveUser: () => OTHER });
    const theirs = await call(other, `events?flow=offramp&id=${id}`);
    const unknown = await call(other, 'events?flow=offramp&id=NoSuchOperation123');
    assert.equal(theirs.status, 404);
    assert.equal(unknown.status, 404);
    assert.deepEqual(await theirs.json(), await unknown.json());
  });
});
