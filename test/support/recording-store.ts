import { MemoryStore } from '../../src/server/store.js';

/** A memory store that records every write (`set` and `setIfAbsent`): its method, key and time to live. */
export class RecordingStore extends MemoryStore {
  readonly writes: Array<{ method: 'set' | 'setIfAbsent'; key: string; ttlMs: number }> = [];

  override async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.writes.push({ method: 'set', key, ttlMs });
    return super.set(key, value, ttlMs);
  }

  override async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.writes.push({ method: 'setIfAbsent', key, ttlMs });
    return super.setIfAbsent(key, value, ttlMs);
  }

  /** The times to live written under keys that start with `prefix`, in order. */
  ttls(prefix: string): number[] {
    return this.writes.filter((w) => w.key.startsWith(prefix)).map((w) => w.ttlMs);
  }
}
