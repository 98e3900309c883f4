/**
 * Status that is always eventually right. Webhooks make an update fast; this makes it certain: every followed,
 * non-terminal operation is read again from the API with backoff, by one poller per operation across all instances
 * (a short lock in the shared store). Whoever sees a real change first — a webhook or a poll, on any instance —
 * records it once (`change:` key in the store), publishes it on the bus with the operation (so the streams open on
 * it need no read of their own) and runs the merchant's `onOperationUpdate` hook once.
 */
import { isForward, isTerminal } from '../lib/status.js';
import type { Flow, Operation, RampStatus } from '../types.js';
import type { CryptopocketApi, UpstreamOperation } from './api.js';
import type { EventBus } from './bus.js';
import type { KeyValueStore } from './store.js';

const DAY = 24 * 60 * 60 * 1000;

/** What the merchant's hook learns with each real change. */
export interface OperationUpdate {
  /** Stable for this change (`flow:id:status`), the same whichever instance saw it: de-duplicate fulfilment on it. */
  dedupeId: string;
  /** The user who created the operation (from our records), when known. */
  userId?: string;
  previousStatus?: RampStatus;
  /** What told us: a verified webhook, our own read of the API, or the create itself. */
  source: 'webhook' | 'reconciliation' | 'create';
}

export type OperationHook = (operation: Operation, update: OperationUpdate) => void | Promise<void>;

export interface FollowerOptions {
  api: CryptopocketApi;
  store: KeyValueStore;
  bus: EventBus;
  log: (line: string) => void;
  now: () => number;
  /** First poll delay and its cap (ms); the delay doubles while nothing changes. */
  pollMs: { first: number; max: number };
  /** How long an operation nobody watches is still followed after it was created (ms). */
  followMs: number;
  hook?: OperationHook;
  /** Delays before each retry of a hook that threw (ms). */
  hookRetryMs: number[];
  /** Who owns an operation, from our records. */
  ownerOf: (flow: Flow, id: string) => Promise<string | undefined>;
}

interface Followed {
  flow: Flow;
  id: string;
  userId?: string;
  delay: number;
  timer?: ReturnType<typeof setTimeout>;
  /** Open streams on it. */
  watchers: number;
  /** Followed until then even with no stream open. */
  until: number;
}

export class StatusFollower {
  private readonly followed = new Map<string, Followed>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(private readonly options: FollowerOptions) {}

  /** Follows an operation until it is terminal; with `watch`, also while a stream is open (call the returned function when it closes). */
  follow(flow: Flow, id: string, userId: string | undefined, watch = false): () => void {
    const key = `${flow}:${id}`;
    let entry = this.followed.get(key);
    if (!entry) {
      entry = { flow, id, ...(userId ? { userId } : {}), delay: this.options.pollMs.first, watchers: 0, until: this.options.now() + this.options.followMs };
      this.followed.set(key, entry);
      this.schedule(entry);
    }
    if (!watch) return () => {};
    entry.watchers++;
    const watched = entry;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      watched.watchers--;
    };
  }

  /**
   * A fresh reading of an operation. When it moves the status forward and no one recorded this change yet, it is
   * recorded, published and handed to the hook; returns whether it did.
   */
  async observe(op: UpstreamOperation, source: OperationUpdate['source'], userId?: string): Promise<boolean> {
    const { store } = this.options;
    const key = `${op.flow}:${op.id}`;
    const last = (await store.get(`last:${key}`)) as RampStatus | undefined;
    if (!isForward(last, op.status)) return false;
    const dedupeId = `${key}:${op.status}`;
    if (!(await store.setIfAbsent(`change:${dedupeId}`, '1', 30 * DAY))) return false;
    await store.set(`last:${key}`, op.status, 30 * DAY);
    const { userId: owner, externalId: _reference, ...operation } = op;
    await this.options.bus.publish({ id: op.id, flow: op.flow, status: op.status, raw: op.raw, operation });
    if (this.options.hook) {
      const who = userId ?? owner ?? (await this.options.ownerOf(op.flow, op.id).catch(() => undefined));
      this.runHook(operation, { dedupeId, ...(who ? { userId: who } : {}), ...(last ? { previousStatus: last } : {}), source }, 0);
    }
    return true;
  }

  /** Number of operations followed now (for tests and leak checks). */
  get size(): number {
    return this.followed.size;
  }

  close(): void {
    this.closed = true;
    for (const entry of this.followed.values()) clearTimeout(entry.timer);
    for (const timer of this.timers) clearTimeout(timer);
    this.followed.clear();
  }

  private schedule(entry: Followed): void {
    if (this.closed) return;
    entry.timer = setTimeout(() => void this.poll(entry), entry.delay);
    unref(entry.timer);
  }

  private async poll(entry: Followed): Promise<void> {
    const { store, api, pollMs, now } = this.options;
    const key = `${entry.flow}:${entry.id}`;
    if (this.followed.get(key) !== entry) return;
    let changed = false;
    let terminal = false;
    try {
      const last = (await store.get(`last:${key}`)) as RampStatus | undefined;
      terminal = last !== undefined && isTerminal(last);
      // one poller per operation across instances: the lock lives a little less than the interval
      if (!terminal && (await store.setIfAbsent(`poll:${key}`, '1', Math.max(1, Math.floor(entry.delay * 0.8))))) {
        const op = await api.operation(entry.flow, entry.id);
        changed = await this.observe(op, 'reconciliation', entry.userId);
        terminal = isTerminal(op.status);
      }
    } catch (error) {
      this.options.log(`status poll ${entry.flow} failed: ${error instanceof Error ? error.name : 'error'}`);
    }
    if (terminal || (entry.watchers === 0 && now() > entry.until)) {
      this.followed.delete(key);
      return;
    }
    entry.delay = changed ? pollMs.first : Math.min(pollMs.max, entry.delay * 2);
    this.schedule(entry);
  }

  private runHook(operation: Operation, update: OperationUpdate, attempt: number): void {
    const hook = this.options.hook!;
    Promise.resolve()
      .then(() => hook(operation, update))
      .catch((error: unknown) => {
        const retryIn = this.options.hookRetryMs[attempt];
        const reason = error instanceof Error ? error.message.slice(0, 200) : 'error';
        if (retryIn === undefined || this.closed) {
          this.options.log(`onOperationUpdate failed for ${update.dedupeId} after ${attempt + 1} attempts, giving up: ${reason}`);
          return;
        }
        this.options.log(`onOperationUpdate failed for ${update.dedupeId} (attempt ${attempt + 1}), retrying in ${retryIn} ms: ${reason}`);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.runHook(operation, update, attempt + 1);
        }, retryIn);
        unref(timer);
        this.timers.add(timer);
      });
  }
}

function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}
