/**
 * Key-value storage for idempotent replies, operation ownership and webhook dedupe. The memory
 * store suits one process; backends on several instances pass a shared implementation (Redis).
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores `value` only if `key` is absent; true when it was stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds one to a counter that lives `ttlMs` from its first increment; returns the new count (rate limits). Optional: without it, get and set stand in, which is not atomic across instances. */
  increment?(key: string, ttlMs: number): Promise<number>;
}

/** The store (or the bus) did not answer in time or failed: answered as a quick `503 store_unavailable`. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/**
 * Every call of `store` bounded by `timeoutMs`: a store that is down (a Redis client queueing commands while it
 * reconnects) fails fast with `StoreUnavailableError` instead of leaving the request hanging.
 */
export function guardStore(store: KeyValueStore, timeoutMs: number): Required<KeyValueStore> {
  const guard = <T>(work: () => Promise<T>) => withTimeout(work, timeoutMs);
  return {
    get: (key) => guard(() => store.get(key)),
    set: (key, value, ttlMs) => guard(() => store.set(key, value, ttlMs)),
    setIfAbsent: (key, value, ttlMs) => guard(() => store.setIfAbsent(key, value, ttlMs)),
    delete: (key) => guard(() => store.delete(key)),
    increment: (key, ttlMs) =>
      guard(async () => {
        if (store.increment) return store.increment(key, ttlMs);
        const count = Number((await store.get(key)) ?? 0) + 1;
        await store.set(key, String(count), ttlMs);
        return count;
      }),
  };
}

export async function withTimeout<T>(work: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`the store did not answer in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(work)
        .catch((error: unknown) => {
          throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error instanceof Error ? error.message : 'the store failed');
        }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, { value: string; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.sweep();
    this.entries.set(key, { value, expires: this.now() + ttlMs });
  }

  /** Check and set with no await between them: two callers at once never both win (the ledger's claims rely on it). */
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.now()) return false;
    this.sweep();
    this.entries.set(key, { value, expires: this.now() + ttlMs });
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const entry = (await this.get(key)) === undefined ? undefined : this.entries.get(key);
    if (!entry) {
      await this.set(key, '1', ttlMs);
      return 1;
    }
    entry.value = String(Number(entry.value) + 1);
    return Number(entry.value);
  }

  /** Drops expired entries now and then, so a long-running process does not grow. */
  private sweep(): void {
    if (this.entries.size % 256 !== 0) return;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
  }
}
