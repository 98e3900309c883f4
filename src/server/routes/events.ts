/**
 * `GET events?flow=&id=`: the status stream (server-sent events). Ownership is checked before it opens; each real
 * change arrives from the bus with the operation already read once for everyone (webhook or reconciliation), so a
 * thousand streams on one operation cost one upstream read per change. The follower keeps reading the API while
 * the stream is open, so no stream waits on a webhook forever.
 */
import { isForward, isTerminal } from '../../lib/status.js';
import type { Operation, StatusEvent } from '../../types.js';
import { type Route, operationFor, present } from '../context.js';
import { HttpError } from '../http.js';

export const events: Route = async (ctx, { request, url, userId }) => {
  const q = url.searchParams;
  const flow = q.get('flow');
  const id = q.get('id') ?? '';
  if ((flow !== 'onramp' && flow !== 'offramp') || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new HttpError(400, 'invalid_request', 'flow and id are required.');
  const release = ctx.limits.openStream(userId);
  let first: Operation;
  let record: Awaited<ReturnType<typeof operationFor>>['record'];
  try {
    ({ op: first, record } = await operationFor(ctx, flow, id, userId)); // checks ownership before streaming
  } catch (error) {
    release();
    throw error;
  }
  const encoder = new TextEncoder();
  let seq = Number(request.headers.get('last-event-id')) || 0;
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let shown = first;
      const send = (op: Operation) => {
        if (closed) return;
        shown = op;
        const event: StatusEvent = { id: op.id, flow: op.flow, status: op.status, raw: op.raw, operation: op };
        controller.enqueue(encoder.encode(`id: ${++seq}\nevent: status\ndata: ${JSON.stringify(event)}\n\n`));
        if (isTerminal(op.status)) close();
      };
      const close = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        unfollow();
        release();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          /* already closed by the client */
        }
      };
      const unsubscribe = ctx.bus.subscribe(flow, id, (event) => {
        if (!isForward(shown.status, event.status)) return; // a stale or repeated change never moves the screen back
        send(event.operation ? present({ ...event.operation, id, flow }, record) : { ...shown, status: event.status, raw: event.raw });
      });
      const unfollow = ctx.follower.follow(flow, id, userId, true);
      const heartbeat = setInterval(() => !closed && controller.enqueue(encoder.encode(': keep-alive\n\n')), ctx.heartbeatMs);
      cleanup = close;
      request.signal?.addEventListener('abort', close, { once: true });
      controller.enqueue(encoder.encode('retry: 3000\n\n'));
      send(first);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' },
  });
};
