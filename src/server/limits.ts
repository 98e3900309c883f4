/**
 * Per-user limits: requests per minute for quotes and creates (a counter per user and minute in the shared store,
 * so every instance counts together; over the limit is `429` with `Retry-After`), and open status streams per user
 * on this instance.
 */
import { HttpError } from './http.js';
import type { KeyValueStore } from './store.js';
import { StoreUnavailableError } from './store.js';

export interface LimitOptions {
  /** Quote and price requests per user and minute (default 120). */
  quotesPerMinute?: number;
  /** Creates per user and minute (default 10). */
  createsPerMinute?: number;
  /** Status streams one user may hold open on one instance (default 10). */
  streamsPerUser?: number;
}

const MINUTE = 60_000;

export class Limits {
  private readonly streams = new Map<string, number>();

  constructor(
    private readonly store: Required<KeyValueStore>,
    private readonly options: LimitOptions,
    private readonly now: () => number,
  ) {}

  /** Counts one request; throws `429` over the limit. Quotes keep working when the store is down; creates need it anyway. */
  async take(kind: 'quote' | 'create', userId: string): Promise<void> {
    const limit = kind === 'quote' ? (this.options.quotesPerMinute ?? 120) : (this.options.createsPerMinute ?? 10);
    const window = Math.floor(this.now() / MINUTE);
    let count: number;
    try {
      count = await this.store.increment(`rate:${kind}:${userId}:${window}`, MINUTE);
    } catch (error) {
      if (kind === 'quote' && error instanceof StoreUnavailableError) return;
      throw error;
    }
    if (count > limit) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * MINUTE - this.now()) / 1000));
      throw new HttpError(
        429,
        'rate_limited',
        'Too many requests. Please wait a moment.',
        { retryAfterSeconds: String(retryAfter) },
        { 'retry-after': String(retryAfter) },
      );
    }
  }

  /** Opens a stream for the user; throws `429` over the cap. Call the returned function when it closes. */
  openStream(userId: string): () => void {
    const open = this.streams.get(userId) ?? 0;
    if (open >= (this.options.streamsPerUser ?? 10))
      throw new HttpError(429, 'too_many_streams', 'Too many open status streams.', undefined, { 'retry-after': '5' });
    this.streams.set(userId, open + 1);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const left = (this.streams.get(userId) ?? 1) - 1;
      if (left > 0) this.streams.set(userId, left);
      else this.streams.delete(userId);
    };
  }
}
