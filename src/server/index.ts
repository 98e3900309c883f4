/**
 * `cryptopocket-ramp/server`: the session endpoint for a merchant's backend.
 * Runs wherever the Fetch API does (Node ≥ 20, Express via `toNodeListener`, Hono, Next.js route handlers, workers).
 */
export { createSessionHandler } from './handler.js';
export type { SessionHandler, SessionHandlerOptions, SessionUser, OperationHook, OperationUpdate } from './handler.js';
export { toNodeListener } from './node.js';
export { verifyWebhook, signWebhook } from './webhooks.js';
export type { VerifyOptions, WebhookVerdict } from './webhooks.js';
export { MemoryStore, StoreUnavailableError } from './store.js';
export type { KeyValueStore } from './store.js';
export { MemoryBus } from './bus.js';
export type { EventBus } from './bus.js';
export { UpstreamError } from './upstream.js';
export { PATHS as UPSTREAM_PATHS } from './upstream-map.js';
export type * from '../types.js';
export { RedisStore, RedisBus } from './redis.js';
export type { RedisLikeClient, RedisLikeSubscriber } from './redis.js';
export { subscribeWebhooks, WEBHOOK_TYPES } from './subscribe.js';
export type { SubscribeOptions } from './subscribe.js';
