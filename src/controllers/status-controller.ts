import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FLOW_ROUTES, routePath } from '../lib/routes.js';
import { RampError } from '../lib/errors.js';
import { parseOperation } from '../lib/protocol-operations.js';
import { SseParser, type ServerSentEvent } from '../lib/sse.js';
import { isObject } from '../lib/read.js';
import type { SessionClient } from '../lib/session-client.js';
import { isForward, isTerminal } from '../lib/status.js';
import type { Flow, Operation, RampStatus } from '../types.js';

export interface StatusCallbacks {
  /** The lifecycle moved forward (once per real change; the first observation has no previous status). */
  changed(operation: Operation, previous: RampStatus | undefined): void;
  failed(error: RampError): void;
}

export interface StatusOptions {
  /** Whether to try the status stream first. */
  stream: () => boolean;
  /** First polling delay and its cap, in ms. */
  pollMs?: number;
  pollCapMs?: number;
  /** Stream failures in a row before falling back to polling. */
  streamRetries?: number;
}

/**
 * Follows one operation: the status stream (server-sent events over fetch, so cookies and the
 * bearer token go with it, reconnecting with Last-Event-ID), falling back to polling with backoff
 * (slower while the tab is hidden, immediate on return). States only move forward; a final state,
 * `stop()` or the host's removal ends every request and timer.
 */
export class StatusController implements ReactiveController {
  operation?: Operation;
  transport: 'idle' | 'stream' | 'polling' = 'idle';
  private target?: { flow: Flow; id: string };
  private abort?: AbortController;
  private timer?: ReturnType<typeof setTimeout>;
  private pollDelay = 0;
  private streamFailures = 0;
  private lastEventId = '';
  /** The reconnection time the server asked for with `retry:` (ms). */
  private retryMs?: number;
  /** Whether the host is in the document: a detached host follows nothing until it is back. */
  private connected = false;
  private readonly onVisibility = () => {
    if (this.transport === 'polling' && document.visibilityState === 'visible') {
      clearTimeout(this.timer);
      void this.poll();
    }
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => SessionClient | undefined,
    private readonly callbacks: StatusCallbacks,
    private readonly options: StatusOptions,
  ) {
    host.addController(this);
  }

  get status(): RampStatus | undefined {
    return this.operation?.status;
  }

  /** Starts following `id` (stops following anything else). */
  track(flow: Flow, id: string): void {
    this.stop();
    this.operation = undefined;
    this.target = { flow, id };
    if (this.connected) this.start();
  }

  /** Stops every request and timer; `track` starts again. */
  stop(): void {
    this.abort?.abort();
    this.abort = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisibility);
    this.transport = 'idle';
  }

  /** Forgets the operation. */
  reset(): void {
    this.stop();
    this.target = undefined;
    this.operation = undefined;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.connected = true;
    if (this.target && !(this.operation && isTerminal(this.operation.status))) this.start();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stop();
  }

  private start(): void {
    this.streamFailures = 0;
    this.pollDelay = this.options.pollMs ?? 2000;
    document.addEventListener('visibilitychange', this.onVisibility);
    if (this.options.stream()) void this.openStream();
    else void this.poll();
  }

  private apply(op: Operation): void {
    if (!this.target || op.id !== this.target.id) return;
    const previous = this.operation?.status;
    const forward = isForward(previous, op.status);
    // details (amounts) may fill in without a status change; the status itself never goes back
    this.operation = forward || !this.operation ? op : { ...this.operation, ...op, status: this.operation.status, raw: this.operation.raw };
    this.host.requestUpdate();
    if (forward) this.callbacks.changed(this.operation, previous);
    if (isTerminal(this.operation.status)) this.stop();
  }

  /** Starts one attempt over `transport`: the client, the operation and a fresh abort signal, or nothing to follow. */
  private begin(transport: 'stream' | 'polling'): { client: SessionClient; target: { flow: Flow; id: string }; abort: AbortController } | undefined {
    const client = this.client();
    const target = this.target;
    if (!client || !target) return undefined;
    const abort = (this.abort = new AbortController());
    this.transport = transport;
    return { client, target, abort };
  }

  private async openStream(): Promise<void> {
    const attempt = this.begin('stream');
    if (!attempt) return;
    const { client, target, abort } = attempt;
    try {
      const response = await client.send(routePath('events'), {
        signal: abort.signal,
        query: { flow: target.flow, id: target.id },
        headers: { accept: 'text/event-stream', ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}) },
        cache: 'no-store',
      });
      if (!response.ok || !response.body || !response.headers.get('content-type')?.includes('text/event-stream')) {
        if (response.status === 401 || response.status === 403) {
          this.stop();
          this.callbacks.failed(new RampError('session_expired', 'Your session has expired. Please sign in again.', false, response.status));
          return;
        }
        if (response.status === 404) {
          this.stop();
          this.callbacks.failed(new RampError('not_found', 'This operation was not found.', false, 404));
          return;
        }
        throw new Error(`stream answered ${response.status}`);
      }
      const delivered = await this.readStream(response.body, abort.signal);
      if (abort.signal.aborted || this.transport !== 'stream') return;
      // the server closes at a final state; any other end is a drop: reconnect. A stream that ended without one event
      // counts as a failure, so one that never delivers falls back to polling
      if (!delivered) throw new Error('the stream ended without an event');
      this.streamFailures = 0;
      this.timer = setTimeout(() => void this.openStream(), this.retryMs ?? 1000);
    } catch {
      if (abort.signal.aborted) return;
      this.streamFailures++;
      if (this.streamFailures > (this.options.streamRetries ?? 2)) {
        this.transport = 'polling';
        void this.poll();
      } else {
        this.timer = setTimeout(() => void this.openStream(), (this.retryMs ?? 1000) * this.streamFailures);
      }
    }
  }

  /** Reads the stream until it ends; resolves to whether it delivered any event. */
  private async readStream(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<boolean> {
    const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
    signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
    let delivered = false;
    const parser = new SseParser((event) => {
      delivered = true;
      this.lastEventId = event.id;
      this.handleEvent(event);
    }, this.lastEventId);
    for (;;) {
      const { done, value } = await reader.read();
      if (done || signal.aborted || !this.abort) return delivered;
      parser.feed(value);
      if (parser.retry !== undefined) this.retryMs = parser.retry;
    }
  }

  private handleEvent({ event, data }: ServerSentEvent): void {
    if (event !== 'status' || !data || !this.abort) return;
    try {
      const parsed: unknown = JSON.parse(data);
      if (isObject(parsed) && parsed.operation !== undefined) this.apply(parseOperation(parsed.operation, this.target?.flow));
    } catch {
      /* a malformed event is skipped; polling or the next event corrects it */
    }
  }

  private async poll(): Promise<void> {
    const attempt = this.begin('polling');
    if (!attempt) return;
    const { client, target, abort } = attempt;
    const path = routePath(FLOW_ROUTES[target.flow].one, { id: target.id });
    try {
      const op = await client.get(path, (body) => parseOperation(body, target.flow), { signal: abort.signal });
      if (abort.signal.aborted) return;
      const before = this.operation?.status;
      this.apply(op);
      if (this.operation?.status !== before) this.pollDelay = this.options.pollMs ?? 2000; // progress: look again soon
    } catch (error) {
      if (abort.signal.aborted) return;
      if (error instanceof RampError && !error.retryable) {
        this.stop();
        this.callbacks.failed(error);
        return;
      }
    }
    if (this.transport !== 'polling' || (this.operation && isTerminal(this.operation.status))) return;
    const hidden = document.visibilityState === 'hidden';
    const cap = this.options.pollCapMs ?? 30_000;
    const delay = hidden ? Math.min(this.pollDelay * 4, cap * 4) : this.pollDelay;
    this.pollDelay = Math.min(this.pollDelay * 1.6, cap);
    this.timer = setTimeout(() => void this.poll(), delay);
  }
}
