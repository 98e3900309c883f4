import type { StatusEvent } from '../types.js';

/** Carries verified webhook events to the status streams; a shared implementation (Redis pub/sub) spans instances. */
export interface EventBus {
  publish(event: StatusEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(flow: string, id: string, listener: (event: StatusEvent) => void): () => void;
}

export class MemoryBus implements EventBus {
  private readonly listeners = new Map<string, Set<(event: StatusEvent) => void>>();

  async publish(event: StatusEvent): Promise<void> {
    for (const listener of [...(this.listeners.get(`${event.flow}:${event.id}`) ?? [])]) listener(event);
  }

  subscribe(flow: string, id: string, listener: (event: StatusEvent) => void): () => void {
    const key = `${flow}:${id}`;
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(key);
    };
  }

  /** Number of subscriptions to one operation. */
  count(flow: string, id: string): number {
    return this.listeners.get(`${flow}:${id}`)?.size ?? 0;
  }

  /** Number of open subscriptions (for tests and leak checks). */
  get size(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
