/**
 * Redis implementations of the store and the event bus, for session handlers running on several
 * instances: idempotent replies and ownership records are shared, and a webhook received by one
 * instance reaches the status streams open on another. They take your own Redis client (node-redis
 * v4/v5 or anything with the same methods); this package does not depend on one.
 */
import type { StatusEvent } from '../types.js';
import { MemoryBus, type EventBus } from './bus.js';
import type { KeyValueStore } from './store.js';

export interface RedisLikeClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { PX?: number; NX?: boolean }): Promise<string | null | unknown>;
  del(key: string): Promise<number | unknown>;
  publish(channel: string, message: string): Promise<number | unknown>;
  /** Optional (node-redis has them): atomic counters for the rate limits. */
  incr?(key: string): Promise<number>;
  pExpire?(key: string, ms: number): Promise<unknown>;
}

export interface RedisLikeSubscriber {
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel?: string): Promise<unknown>;
}

export class RedisStore implements KeyValueStore {
  constructor(
    private readonly client: RedisLikeClient,
    private readonly prefix = 'cp-ramp:',
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(this.prefix + key, value, { PX: Math.max(1, Math.round(ttlMs)) });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(this.prefix + key, value, { PX: Math.max(1, Math.round(ttlMs)), NX: true })) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const { incr, pExpire } = this.client;
    if (!incr || !pExpire) {
      const count = Number((await this.get(key)) ?? 0) + 1;
      await this.set(key, String(count), ttlMs);
      return count;
    }
    const count = await incr.call(this.client, this.prefix + key);
    if (count === 1) await pExpire.call(this.client, this.prefix + key, Math.max(1, Math.round(ttlMs)));
    return count;
  }
}

/** Redis pub/sub on one channel; this process's listeners sit on a memory bus that the channel feeds. */
export class RedisBus implements EventBus {
  private readonly local = new MemoryBus();
  private ready?: Promise<unknown>;

  constructor(
    private readonly publisher: RedisLikeClient,
    private readonly subscriber: RedisLikeSubscriber,
    private readonly channel = 'cp-ramp:status',
  ) {}

  /** Subscribes to the channel (once); `publish` and `subscribe` call it, tests may await it. */
  start(): Promise<unknown> {
    this.ready ??= this.subscriber.subscribe(this.channel, (message) => this.dispatch(message));
    return this.ready;
  }

  async publish(event: StatusEvent): Promise<void> {
    await this.start();
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  subscribe(flow: string, id: string, listener: (event: StatusEvent) => void): () => void {
    void this.start();
    return this.local.subscribe(flow, id, listener);
  }

  async close(): Promise<void> {
    if (this.ready) await this.subscriber.unsubscribe(this.channel);
  }

  private dispatch(message: string): void {
    let event: StatusEvent;
    try {
      event = JSON.parse(message) as StatusEvent;
    } catch {
      return;
    }
    if (typeof event?.id !== 'string' || typeof event.flow !== 'string') return;
    void this.local.publish(event);
  }
}
