/**
 * The status stream as an integrator's own session endpoint may write it (README, "The session protocol"): any of the
 * standard's line endings, multi-line data, `retry`. The controller is driven through its session client's `fetch`.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { StatusController } from '../../src/controllers/status-controller.js';
import { SessionClient } from '../../src/lib/session-client.js';
import type { Operation } from '../../src/types.js';

function host(): ReactiveControllerHost & { controllers: ReactiveController[] } {
  const controllers: ReactiveController[] = [];
  return { controllers, addController: (c) => controllers.push(c), removeController: () => {}, requestUpdate: () => {}, updateComplete: Promise.resolve(true) };
}

const operation = (status: string) => ({ id: 'op1', flow: 'offramp', status, raw: status });

/** A session endpoint whose stream answers are written by `body(n)` (n: the stream's number); other requests count as polls. */
function endpoint(body: (n: number) => string) {
  const calls = { streams: 0, polls: 0, lastEventIds: [] as (string | null)[], at: [] as number[] };
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith('/events')) {
      calls.lastEventIds.push(new Headers(init?.headers).get('last-event-id'));
      calls.at.push(performance.now());
      return new Response(body(calls.streams++), { headers: { 'content-type': 'text/event-stream' } });
    }
    calls.polls++;
    return Response.json(operation('created'));
  };
  return { calls, client: new SessionClient({ url: 'https://shop.test/session/', fetch }) };
}

function follow(client: SessionClient) {
  const seen: Operation[] = [];
  const h = host();
  const controller = new StatusController(h, () => client, { changed: (op) => seen.push(op), failed: () => {} }, { stream: () => true, pollMs: 50 });
  h.controllers.forEach((c) => c.hostConnected?.());
  controller.track('offramp', 'op1');
  return { seen, stop: () => h.controllers.forEach((c) => c.hostDisconnected?.()) };
}

describe('status stream: the server-sent events rules', () => {
  it('CR-only line endings deliver every event, and a retry the server sets is the reconnection time', async () => {
    const { calls, client } = endpoint((n) =>
      n === 0
        ? `retry: 300\rid: 1\revent: status\rdata: ${JSON.stringify({ operation: operation('created') })}\r\r`
        : `id: 2\revent: status\rdata: ${JSON.stringify({ operation: operation('completed') })}\r\r`,
    );
    const { seen, stop } = follow(client);
    await waitUntil(() => seen.some((op) => op.status === 'completed'), `events: ${JSON.stringify(seen)}; streams ${calls.streams}, polls ${calls.polls}`, {
      timeout: 3000,
    });
    stop();
    expect(seen.map((op) => op.status)).to.deep.equal(['created', 'completed']);
    expect(calls.polls, 'no fallback to polling').to.equal(0);
    expect(calls.lastEventIds).to.deep.equal([null, '1']);
    expect(calls.at[1]! - calls.at[0]!, 'reconnected after the server’s 300 ms').to.be.within(280, 1000);
  });

  it('joins multi-line data with line feeds (JSON split over data lines), CRLF endings', async () => {
    const json = JSON.stringify({ operation: operation('completed') }, null, 1).split('\n');
    const { client } = endpoint(() => `event: status\r\n${json.map((line) => `data: ${line}`).join('\r\n')}\r\n\r\n`);
    const { seen, stop } = follow(client);
    await waitUntil(() => seen.length > 0, 'no event', { timeout: 3000 });
    stop();
    expect(seen[0]!.status).to.equal('completed');
  });

  it('a stream that ends without an event is a failure: after the retries, polling takes over', async () => {
    const { calls, client } = endpoint(() => ': nothing here\n\n');
    const { seen, stop } = follow(client);
    await waitUntil(() => calls.polls > 0, `never fell back to polling (${calls.streams} streams)`, { timeout: 6000 });
    stop();
    expect(seen[0]?.status).to.equal('created');
  });
});
