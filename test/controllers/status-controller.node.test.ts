/**
 * The status controller in Node, over a scripted session endpoint whose status stream and operation reads the test
 * writes: the screen's status only moves forward, a final status ends every request, a stream that fails falls back
 * to polling (so no screen waits on a stream forever), a dropped stream resumes from its Last-Event-ID, and a lost
 * session or operation is said once.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { ReactiveControllerHost } from 'lit';
import { StatusController } from '../../src/controllers/status-controller.js';
import type { RampError } from '../../src/lib/errors.js';
import { SessionClient } from '../../src/lib/session-client.js';
import type { Operation, RampStatus } from '../../src/types.js';
import { until } from '../support/until.js';

// the page the controller listens to for the tab's visibility
const page = Object.assign(new EventTarget(), { visibilityState: 'visible' });
before(() => Object.defineProperty(globalThis, 'document', { configurable: true, value: page }));
after(() => Reflect.deleteProperty(globalThis, 'document'));
// every controller leaves the page after its test, so a failing test cannot leave one polling
const following: StatusController[] = [];
afterEach(() => {
  following.splice(0).forEach((controller) => controller.hostDisconnected());
  page.visibilityState = 'visible';
});

const op = (status: RampStatus, extra: Partial<Operation> = {}): Operation => ({ id: 'r1', flow: 'offramp', status, raw: status, ...extra });
const frame = (n: number, operation: Operation) => `id: ${n}\nevent: status\ndata: ${JSON.stringify({ ...operation, operation })}\n\n`;
const stream = (text: string) => () => new Response(text, { headers: { 'content-type': 'text/event-stream' } });
const reading = (operation: Operation) => () => Response.json(operation);
const failing = (status: number) => () => Response.json({ error: { code: 'x', message: 'x' } }, { status });

/** A controller over scripted answers: `events` for the stream, `reads` for `GET offramp/operations/r1`. */
function setup(
  script: { events?: Array<() => Response>; reads?: Array<() => Response | Promise<Response>> },
  options: { stream?: boolean; streamRetries?: number; pollMs?: number; connected?: boolean } = {},
) {
  const seen = { events: [] as Array<string | null>, reads: 0, streams: [] as Array<{ query: string; accept: string | null }> };
  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith('/events')) {
      seen.events.push(new Headers(init.headers).get('last-event-id'));
      seen.streams.push({ query: url.search, accept: new Headers(init.headers).get('accept') });
      const answers = script.events ?? [];
      return answers[Math.min(seen.events.length - 1, answers.length - 1)]!();
    }
    seen.reads += 1;
    const answers = script.reads ?? [];
    return answers[Math.min(seen.reads - 1, answers.length - 1)]!();
  }) as typeof globalThis.fetch;
  const client = new SessionClient({ url: 'https://shop.test/s', fetch, timeout: 1000, retries: 0 });
  const changes: Array<[RampStatus, RampStatus | undefined]> = [];
  const failures: RampError[] = [];
  const host: ReactiveControllerHost = { addController: () => {}, removeController: () => {}, requestUpdate: () => {}, updateComplete: Promise.resolve(true) };
  const controller = new StatusController(
    host,
    () => client,
    { changed: (operation, previous) => void changes.push([operation.status, previous]), failed: (error) => void failures.push(error) },
    { stream: () => options.stream ?? true, pollMs: options.pollMs ?? 5, pollCapMs: 20, streamRetries: options.streamRetries ?? 1 },
  );
  if (options.connected ?? true) controller.hostConnected();
  following.push(controller);
  return { controller, seen, changes, failures };
}

describe('status controller: forward only, and the end', () => {
  it('shows each change the stream sends, in order, and stops at the final status', async () => {
    const t = setup({ events: [stream(frame(1, op('created')) + frame(2, op('processing')) + frame(3, op('completed')))] });
    t.controller.track('offramp', 'r1');
    await until(() => t.controller.status === 'completed', 'the final status');
    assert.deepEqual(t.changes, [
      ['created', undefined],
      ['processing', 'created'],
      ['completed', 'processing'],
    ]);
    assert.equal(t.controller.transport, 'idle');
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(t.seen.events.length, 1, 'nothing is asked after the final status');
    assert.equal(t.seen.reads, 0);
  });

  it('an older status never replaces the one shown, though its details fill in', async () => {
    const t = setup({
      events: [stream(frame(1, op('processing')) + frame(2, op('created', { txid: '0xabc' }))), stream('')],
      reads: [reading(op('processing'))],
    });
    t.controller.track('offramp', 'r1');
    await until(() => t.controller.operation?.txid === '0xabc', 'the details');
    assert.equal(t.controller.status, 'processing');
    assert.deepEqual(t.changes, [['processing', undefined]]);
    t.controller.stop();
  });

  it('an event for another operation, or of another kind, or unreadable, changes nothing', async () => {
    const other = op('completed', { id: 'r2' });
    const ping = JSON.stringify({ operation: op('completed') });
    const text = `${frame(1, other)}id: 2\nevent: ping\ndata: ${ping}\n\nid: 3\nevent: status\ndata: {not json\n\n${frame(4, op('created'))}`;
    const t = setup({ events: [stream(text), stream('')], reads: [reading(op('created'))] });
    t.controller.track('offramp', 'r1');
    await until(() => t.controller.status === 'created', 'the operation');
    assert.deepEqual(t.changes, [['created', undefined]]);
    t.controller.stop();
  });
});

describe('status controller: a stream that fails or drops', () => {
  it('a dropped stream comes back with the last event id it saw', async () => {
    const t = setup({ events: [stream(`retry: 10\n\n${frame(7, op('created'))}`), stream(frame(8, op('completed')))] });
    t.controller.track('offramp', 'r1');
    await until(() => t.controller.status === 'completed', 'the final status');
    assert.deepEqual(t.seen.events, [null, '7']);
  });

  it('a stream that keeps failing gives way to polling, which reaches the final status', async () => {
    const t = setup({ events: [failing(500)], reads: [reading(op('created')), reading(op('processing')), reading(op('completed'))] });
    t.controller.track('offramp', 'r1');
    await until(() => t.controller.status === 'completed', 'the final status');
    assert.equal(t.seen.events.length, 2, 'one try and one retry (streamRetries 1), then polling');
    assert.deepEqual(
      t.changes.map(([status]) => status),
      ['created', 'processing', 'completed'],
    );
    assert.equal(t.controller.transport, 'idle');
  });

  it('a stream that ends without an event counts as a failure', async () => {
    const t = setup({ events: [stream('')], reads: [reading(op('completed'))] });
    t.controller.track('offramp', 'r1');
    await until(() => t.controller.status === 'completed', 'the final status through polling');
    assert.equal(t.seen.events.length, 2);
  });

  it('without a stream offered, it polls from the start', async () => {
    const t = setup({ reads: [reading(op('created')), reading(op('completed'))] }, { stream: false });
    t.controller.track('offramp', 'r1');
    await until(() => t.controller.status === 'completed', 'the final status');
    assert.deepEqual(t.seen.events, []);
  });
});

describe('status controller: what it says when it cannot follow', () => {
  for (const [status, code, message] of [
    [401, 'session_expired', 'Your session has expired. Please sign in again.'],
    [403, 'session_expired', 'Your session has expired. Please sign in again.'],
    [404, 'not_found', 'This operation was not found.'],
  ] as const) {
    it(`a stream answered ${status}: ${code}, once, and nothing more is asked`, async () => {
      const t = setup({ events: [failing(status)] });
      t.controller.track('offramp', 'r1');
      await until(() => t.failures.length > 0, 'the failure');
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.deepEqual(
        t.failures.map((e) => [e.code, e.message, e.retryable]),
        [[code, message, false]],
      );
      assert.equal(t.seen.events.length, 1);
      assert.equal(t.controller.transport, 'idle');
    });
  }

  it('a poll refused for good (404) is said once and ends polling; a passing failure is polled through', async () => {
    const t = setup({ reads: [failing(503), failing(404)] }, { stream: false });
    t.controller.track('offramp', 'r1');
    await until(() => t.failures.length > 0, 'the failure');
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(
      t.failures.map((e) => e.code),
      ['x'],
    );
    assert.equal(t.seen.reads, 2);
  });

  it('stop() and a host that leaves the page end every request', async () => {
    const t = setup({ reads: [reading(op('processing'))] }, { stream: false });
    t.controller.track('offramp', 'r1');
    await until(() => t.seen.reads >= 2, 'polls');
    t.controller.hostDisconnected();
    const reads = t.seen.reads;
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(t.seen.reads, reads);
    t.controller.hostConnected();
    await until(() => t.seen.reads > reads, 'polling again once back on the page');
    t.controller.reset();
    assert.equal(t.controller.operation, undefined);
    const after = t.seen.reads;
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(t.seen.reads, after);
  });
});

describe('status controller: the page and the requests', () => {
  it('asks for the stream of this operation as an event stream', async () => {
    const t = setup({ events: [stream(frame(1, op('completed')))] });
    t.controller.track('offramp', 'r1');
    await until(() => t.controller.status === 'completed', 'the final status');
    assert.deepEqual(t.seen.streams, [{ query: '?flow=offramp&id=r1', accept: 'text/event-stream' }]);
  });

  it('a stream that drops after delivering is simply reopened, however often', async () => {
    const t = setup({ events: [stream(`retry: 5\n\n${frame(1, op('created'))}`), stream(frame(2, op('processing'))), stream(frame(3, op('completed')))] });
    t.controller.track('offramp', 'r1');
    await until(() => t.controller.status === 'completed', 'the final status');
    assert.equal(t.seen.events.length, 3);
    assert.equal(t.seen.reads, 0, 'never fell back to polling');
  });

  it('stop() cancels the open stream', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode(frame(1, op('created')))),
      cancel: () => void (cancelled = true),
    });
    const t = setup({ events: [() => new Response(body, { headers: { 'content-type': 'text/event-stream' } })] });
    t.controller.track('offramp', 'r1');
    await until(() => t.controller.status === 'created', 'the first status');
    t.controller.stop();
    await until(() => cancelled, 'the stream to be cancelled');
  });

  it('an answer that arrives after stop() is dropped, and no poll follows it', async () => {
    let answer: (response: Response) => void = () => {};
    const t = setup({ reads: [() => new Promise<Response>((resolve) => (answer = resolve))] }, { stream: false });
    t.controller.track('offramp', 'r1');
    await until(() => t.seen.reads === 1, 'a read');
    t.controller.stop();
    answer(Response.json(op('processing')));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(t.controller.operation, undefined);
    assert.equal(t.seen.reads, 1);
  });

  it('a host not on the page follows nothing until it is; one whose operation is final does not start again', async () => {
    const t = setup({ events: [stream(frame(1, op('completed')))] }, { connected: false });
    t.controller.track('offramp', 'r1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(t.seen.events, []);
    t.controller.hostConnected();
    await until(() => t.controller.status === 'completed', 'the final status');
    t.controller.hostDisconnected();
    t.controller.track('offramp', 'r1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(t.seen.events.length, 1, 'tracking while off the page starts nothing');
    const done = setup({ events: [stream(frame(1, op('completed')))] });
    done.controller.track('offramp', 'r1');
    await until(() => done.controller.status === 'completed', 'the final status');
    done.controller.hostDisconnected();
    done.controller.hostConnected();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(done.seen.events.length, 1, 'a final status is not followed again');
  });

  it('polling waits while the tab is hidden and looks again at once when it is shown', async () => {
    const t = setup({ reads: [reading(op('processing'))] }, { stream: false, pollMs: 60_000 });
    t.controller.track('offramp', 'r1');
    await until(() => t.seen.reads === 1, 'the first read');
    page.visibilityState = 'hidden';
    page.dispatchEvent(new Event('visibilitychange'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(t.seen.reads, 1, 'nothing while hidden');
    page.visibilityState = 'visible';
    page.dispatchEvent(new Event('visibilitychange'));
    await until(() => t.seen.reads === 2, 'a read on return');
    t.controller.stop();
    page.dispatchEvent(new Event('visibilitychange'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(t.seen.reads, 2, 'a stopped controller no longer listens');
  });
});
