import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { routePath } from '../lib/routes.js';
import type { RampError } from '../lib/errors.js';
import { Latest } from './latest.js';
import { parseOperation } from '../lib/protocol-operations.js';
import { asArray, asObject, pickString } from '../lib/read.js';
import type { SessionClient } from '../lib/session-client.js';
import type { Operation } from '../types.js';

export type HistoryState =
  | { status: 'idle' }
  | { status: 'loading'; items: Operation[] }
  | { status: 'ready'; items: Operation[]; next?: string }
  | { status: 'error'; items: Operation[]; error: RampError; next?: string };

function parseActivity(body: unknown): { items: Operation[]; next?: string } {
  const obj = asObject(body, 'activity');
  const items = asArray(obj.items, 'activity items').map((item) => parseOperation(item));
  const next = pickString(obj, 'next');
  return next ? { items, next } : { items };
}

/** The user's past buys and sells (`GET activity`), a page at a time. */
export class HistoryController implements ReactiveController {
  state: HistoryState = { status: 'idle' };
  readonly #latest = new Latest();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => SessionClient | undefined,
    private readonly failed: (error: RampError) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#latest.cancel();
    if (this.state.status === 'loading') this.state = { status: 'idle' };
  }

  /** Forgets the list (another user may be next). */
  clear(): void {
    this.#latest.cancel();
    this.state = { status: 'idle' };
    this.host.requestUpdate();
  }

  /** Loads the first page again. */
  refresh(): Promise<void> {
    return this.load(undefined, []);
  }

  /** Loads the next page, appending it. */
  more(): Promise<void> {
    if (this.state.status !== 'ready' && this.state.status !== 'error') return Promise.resolve();
    return this.load(this.state.next, this.state.items);
  }

  private async load(cursor: string | undefined, before: Operation[]): Promise<void> {
    const client = this.client();
    if (!client) return;
    this.state = { status: 'loading', items: before };
    this.host.requestUpdate();
    const outcome = await this.#latest.run((signal) => client.get(routePath('activity'), parseActivity, { signal, query: { cursor } }));
    if (!outcome) return;
    if (outcome.ok) {
      const page = outcome.value;
      const known = new Set(before.map((op) => op.id));
      const items = [...before, ...page.items.filter((op) => !known.has(op.id))];
      this.state = page.next ? { status: 'ready', items, next: page.next } : { status: 'ready', items };
    } else {
      this.state = { status: 'error', items: before, error: outcome.error, ...(cursor ? { next: cursor } : {}) };
      this.failed(outcome.error);
    }
    this.host.requestUpdate();
  }
}
