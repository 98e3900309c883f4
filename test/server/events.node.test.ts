/**
 * The status stream (`GET events`) as the browser's EventSource reads it: the request it refuses, the frames it
 * sends (retry, numbered status events, keep-alives), where it resumes, and when it ends and frees its place.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAYMENT, RAMPOFF, setup, call, post, sleep } from '../support/faults.js';

/** Reads the stream's text until `until` holds or `ms` pass, then cancels it; `done` says whether the server closed it. */
async function read(res: Response, until: (text: string) => boolean, ms = 3000): Promise<{ text: string; done: boolean }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let done = false;
  const deadline = Date.now() + ms;
  while (!until(text) && Date.now() < deadline) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadline - Date.now())));
    const chunk = await Promise.race([reader.read(), late]);
    clearTimeout(timer);
    if (chunk === 'late') break;
    if (chunk.done) {
      done = true;
      break;
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return { text, done };
}

/** The status events in a stream's text: their id and status. */
const statusEvents = (text: string) =>
  text
    .split('\n\n')
    .filter((frame) => frame.includes('event: status'))
    .map((frame) => {
      const id = /^id: (\d+)$/m.exec(frame)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as { status: string; id: string; flow: string };
      return { id: Number(id), status: data.status, flow: data.flow };
    });

async function sale(extra: Parameters<typeof setup>[0] = {}) {
  const t = setup(extra);
  const { id } = (await (await call(t.h, 'offramp/operations', post(RAMPOFF, `sell-${Math.random().toString(36).slice(2)}`))).json()) as { id: string };
  return { ...t, id };
}

describe('events: the status stream', () => {
  it('refuses a request without a known flow or a well-formed id (400), and names what is needed', async () => {
    const { h } = setup();
    for (const query of [
      'id=abc',
      'flow=sideways&id=abc',
      'flow=offramp',
      'flow=offramp&id=!abc',
      'flow=offramp&id=abc!',
      `flow=offramp&id=${'a'.repeat(65)}`,
    ]) {
      const res = await call(h, `events?${query}`);
      assert.equal(res.status, 400, query);
      assert.deepEqual(await res.json(), { error: { code: 'invalid_request', message: 'flow and id are required.' } }, query);
    }
  });

  it('opens as an event stream no proxy buffers, tells the browser to come back after 3 s, then shows the status', async () => {
    const { h, id } = await sale();
    const res = await call(h, `events?flow=offramp&id=${id}`);
    assert.deepEqual(
      ['content-type', 'cache-control', 'connection', 'x-accel-buffering'].map((name) => res.headers.get(name)),
      ['text/event-stream', 'no-store', 'keep-alive', 'no'],
    );
    const { text } = await read(res, (seen) => seen.includes('event: status'));
    assert.ok(text.startsWith('retry: 3000\n\n'), text);
    assert.deepEqual(statusEvents(text), [{ id: 1, status: 'created', flow: 'offramp' }]);
  });

  it('numbers its events on from the Last-Event-ID the browser sends back', async () => {
    const { h, id } = await sale();
    const { text } = await read(await call(h, `events?flow=offramp&id=${id}`, { headers: { 'last-event-id': '7' } }), (seen) => seen.includes('event: status'));
    assert.deepEqual(
      statusEvents(text).map((e) => e.id),
      [8],
    );
  });

  it('shows each change as the next event and ends the stream at the final status', async () => {
    const { sim, h, id } = await sale({ pollMs: { first: 20, max: 40 } });
    const res = await call(h, `events?flow=offramp&id=${id}`);
    void sim.finish(id);
    const { text, done } = await read(res, () => false, 4000);
    const events = statusEvents(text);
    assert.equal(events.at(-1)?.status, 'completed');
    assert.deepEqual(
      events.map((e) => e.id),
      events.map((_, i) => i + 1),
    );
    assert.equal(done, true, 'the server closed the stream after the final status');
  });

  it('keeps an idle stream alive with comments', async () => {
    const { h, id } = await sale({ heartbeatMs: 20 });
    const { text } = await read(await call(h, `events?flow=offramp&id=${id}`), (seen) => seen.split(': keep-alive\n\n').length > 2);
    assert.ok(text.split(': keep-alive\n\n').length > 2, text);
  });

  it('a browser that goes away frees its place at once', async () => {
    const { h, id } = await sale({ limits: { streamsPerUser: 1 } });
    const leaving = new AbortController();
    const first = await call(h, `events?flow=offramp&id=${id}`, { signal: leaving.signal });
    assert.equal(first.status, 200);
    assert.equal((await call(h, `events?flow=offramp&id=${id}`)).status, 429);
    leaving.abort();
    await sleep(5);
    const next = await call(h, `events?flow=offramp&id=${id}`);
    assert.equal(next.status, 200);
    await next.body!.cancel();
  });
});

describe('events: both flows, stale changes, the cap in words', () => {
  it('a purchase has its stream too', async () => {
    const { h } = setup();
    const { id } = (await (await call(h, 'onramp/payments', post(PAYMENT, 'buy-stream-1'))).json()) as { id: string };
    const { text } = await read(await call(h, `events?flow=onramp&id=${id}`), (seen) => seen.includes('event: status'));
    assert.deepEqual(statusEvents(text), [{ id: 1, status: 'created', flow: 'onramp' }]);
  });

  it('a change older than what the stream showed never moves it back', async () => {
    const { sim, h, id } = await sale();
    await sim.step(id);
    const res = await call(h, `events?flow=offramp&id=${id}`);
    const reading = read(res, () => false, 600);
    await sleep(100);
    await h.bus.publish({ id, flow: 'offramp', status: 'created', raw: 'pending' });
    const { text } = await reading;
    const shown = statusEvents(text).map((e) => e.status);
    assert.notEqual(shown[0], 'created');
    assert.equal(shown.includes('created'), false, shown.join(' → '));
  });

  it('over the cap of open streams, the user is told why and when to try again', async () => {
    const { h, id } = await sale({ limits: { streamsPerUser: 1 } });
    const open = await call(h, `events?flow=offramp&id=${id}`);
    const over = await call(h, `events?flow=offramp&id=${id}`);
    assert.deepEqual(
      [over.status, over.headers.get('retry-after'), await over.json()],
      [429, '5', { error: { code: 'too_many_streams', message: 'Too many open status streams.' } }],
    );
    await open.body!.cancel();
  });
});
