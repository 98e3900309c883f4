/**
 * `createSessionHandler`: the session endpoint. It resolves the user from the merchant's session, checks where
 * a create comes from (CSRF), routes by the shared protocol table (`lib/routes.ts`), and maps every failure to the
 * one error shape. The routes live in `routes/`; the upstream client in `api.ts`; creates go through the ledger
 * (`ledger.ts`) and statuses through the follower (`follower.ts`).
 */
import { isQuoteValidFor } from '../lib/protocol.js';
import { matchRoute, type RouteName } from '../lib/routes.js';
import type { AmountLimits, Asset, Support, Terms } from '../types.js';
import { CryptopocketApi } from './api.js';
import type { EventBus } from './bus.js';
import { MemoryBus } from './bus.js';
import {
  type Context,
  type RegistrationOptions,
  type Route,
  type SessionUser,
  accountKey,
  checkedAmountLimits,
  checkedPage,
  checkedSupport,
  checkedTerms,
  ownerOf,
} from './context.js';
import { StatusFollower, type OperationHook } from './follower.js';
import { HttpError, describe, errorResponse } from './http.js';
import { Ledger } from './ledger.js';
import { Limits, type LimitOptions } from './limits.js';
import { activity } from './routes/activity.js';
import { config, price } from './routes/config.js';
import { events } from './routes/events.js';
import { createRampoff, offrampAdapter, offrampQuote } from './routes/offramp.js';
import { createPayment, onrampAdapter, onrampQuote } from './routes/onramp.js';
import { byKeyRoute, listRoute, operationRoute } from './routes/operations.js';
import { webhook } from './routes/webhooks.js';
import { register } from './routes/register.js';
import type { KeyValueStore } from './store.js';
import { MemoryStore, guardStore, withTimeout } from './store.js';

export type { RegistrationOptions, SessionUser } from './context.js';
export type { AmountLimits, AmountRange, Support } from '../types.js';
export type { OperationHook, OperationUpdate } from './follower.js';

export interface SessionHandlerOptions {
  /** API origin; default `https://sandbox.cryptopocket.io`. */
  apiOrigin?: string;
  /** The API key, sent upstream in the `auth` header. Never sent to the browser, never logged. */
  apiKey: string;
  /** The API secret: when given, key and secret are exchanged for a token (`POST /api/authenticate`) sent in `auth` instead. */
  apiSecret?: string;
  /** Decides who is calling from the merchant's own session (cookie, header…); `null` → 401. */
  resolveUser: (request: Request) => SessionUser | null | undefined | Promise<SessionUser | null | undefined>;
  /** Secret for webhook signatures (`X-Signature`); without it, webhooks are refused. */
  webhookSecret?: string;
  /** The `X-API-Key` webhooks must carry; defaults to `apiKey`. */
  webhookApiKey?: string;
  /** Path the handler is mounted at, e.g. `/ramp-session`; requests outside it get 404. */
  basePath?: string;
  /** Origins allowed to call from another origin (CORS with credentials, and creates). Same-origin needs none. */
  allowedOrigins?: string[];
  /** Upstream timeout in ms (default 10 s). */
  timeout?: number;
  /** Request body limit in bytes (default 16 KiB). */
  maxBodyBytes?: number;
  /** Upstream answer limit in bytes (default 1 MiB). */
  maxResponseBytes?: number;
  store?: KeyValueStore;
  bus?: EventBus;
  /** Every store and bus call fails after this many ms (default 2 s): a store that is down answers `503 store_unavailable` fast. */
  storeTimeoutMs?: number;
  /** Heartbeat interval of the status stream in ms (default 15 s). */
  heartbeatMs?: number;
  /** Status reconciliation: first read of a followed operation after `first` ms, doubling up to `max` (default 5 s → 60 s). */
  pollMs?: { first: number; max: number };
  /** How long a create whose outcome is unknown is looked for before it counts as not created (default 60 s). */
  reconcileWindowMs?: number;
  /** Rate limits and stream caps per user. */
  limits?: LimitOptions;
  /**
   * Amount limits: a purchase's fiat per currency, a sale's tokens per symbol, e.g.
   * `{ onramp: { EUR: { min: '10', max: '10000' } }, offramp: { USDC: { max: '50000' } } }`. The widget shows them before the
   * user types; quotes and creates outside them are refused (`422 amount_below_minimum` / `amount_above_maximum`).
   */
  amountLimits?: AmountLimits;
  /** Where users get help, shown on a failed verification: an `https:` page and/or an email address. */
  support?: Support;
  /**
   * Your terms of service and privacy policy (or the provider's), shown on the review step with a box the user ticks
   * before each purchase or sale; a create without `acceptedTerms: true` is refused (422 `terms_not_accepted`).
   */
  terms?: Terms;
  /**
   * Seconds the widget shows a quote before it asks for a new one, with a countdown (default 30, 5 to 3600). The API
   * locks no rate: a quote is an estimate, and a fresh one keeps it close to what the user will get.
   */
  quoteValidFor?: number;
  /**
   * Registration of users who have no Cryptopocket account yet (`resolveUser` returns no `id`): which fields they may
   * edit, the provider's terms, and `onUserRegistered(user, cryptopocketUserId, kycFormUrl)` to store the new id.
   * Without `onUserRegistered` storing it, the handler keeps the id in its store by `merchantUserId`.
   */
  registration?: RegistrationOptions;
  /**
   * Runs once per real status change of an operation (created, paid, completed…), whichever instance saw it
   * (webhook or reconciliation). `update.dedupeId` is stable per change. A hook that throws is retried with backoff
   * (1 s, 5 s, 30 s, 2 min) and logged.
   */
  onOperationUpdate?: OperationHook;
  /** Fetch used for upstream calls (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Log sink for failures; lines never contain the API key, IBANs or request bodies. */
  log?: (line: string) => void;
  now?: () => number;
}

export type SessionHandler = ((request: Request) => Promise<Response>) & {
  /** The event bus status streams listen on. */
  readonly bus: EventBus;
  /** Stops the status follower's timers (for tests and graceful shutdown). */
  close(): void;
};

const ROUTE_TABLE: Record<Exclude<RouteName, 'webhooks'>, Route> = {
  config,
  price,
  onrampQuote,
  offrampQuote,
  createPayment,
  createRampoff,
  payments: listRoute('onramp'),
  rampoffs: listRoute('offramp'),
  payment: operationRoute('onramp'),
  rampoff: operationRoute('offramp'),
  paymentByKey: byKeyRoute('onramp'),
  rampoffByKey: byKeyRoute('offramp'),
  activity,
  events,
  register,
};

const ASSETS_TTL = 5 * 60 * 1000;

/**
 * Creates the session endpoint: a Fetch-API handler that resolves the user from the merchant's
 * session, forwards the allowed calls to the CryptopocketAPI and answers in the session protocol.
 */
export function createSessionHandler(options: SessionHandlerOptions): SessionHandler {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.error(`[cryptopocket-ramp] ${line}`));
  const api = new CryptopocketApi({
    origin: options.apiOrigin ?? 'https://sandbox.cryptopocket.io',
    apiKey: options.apiKey,
    ...(options.apiSecret ? { apiSecret: options.apiSecret } : {}),
    fetch: options.fetch ?? ((...args) => globalThis.fetch(...args)),
    timeout: options.timeout ?? 10_000,
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
  });
  const storeTimeout = options.storeTimeoutMs ?? 2_000;
  const store = guardStore(options.store ?? new MemoryStore(now), storeTimeout);
  const rawBus = options.bus ?? new MemoryBus();
  const bus: EventBus = {
    publish: (event) => withTimeout(() => rawBus.publish(event), storeTimeout),
    subscribe: (flow, id, listener) => rawBus.subscribe(flow, id, listener),
  };
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const reconcileWindowMs = options.reconcileWindowMs ?? 60_000;
  const ctx = {
    api,
    store,
    bus,
    log,
    now,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    limits: new Limits(store, options.limits ?? {}, now),
    amountLimits: checkedAmountLimits(options.amountLimits),
    ...(options.support ? { support: checkedSupport(options.support) } : {}),
    ...(options.terms ? { terms: checkedTerms(options.terms) } : {}),
    registration: checkedRegistration(options.registration ?? {}),
    quoteValidFor: checkedValidFor(options.quoteValidFor ?? 30),
    assets: cachedAssets(api, now, log),
  } as Context;
  ctx.follower = new StatusFollower({
    api,
    store,
    bus,
    log,
    now,
    pollMs: options.pollMs ?? { first: 5_000, max: 60_000 },
    followMs: 24 * 60 * 60 * 1000,
    ...(options.onOperationUpdate ? { hook: options.onOperationUpdate } : {}),
    hookRetryMs: [1_000, 5_000, 30_000, 120_000],
    ownerOf: async (flow, id) => (await ownerOf(ctx, flow, id))?.userId,
  });
  ctx.ledger = new Ledger(
    store,
    { onramp: onrampAdapter(ctx), offramp: offrampAdapter(ctx, reconcileWindowMs) },
    { now, log, windowMs: reconcileWindowMs, pendingMs: (options.timeout ?? 10_000) * 2 + 5_000 },
  );

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const cors = corsHeaders(request, options.allowedOrigins);
    try {
      if (!url.pathname.startsWith(`${basePath}/`) && url.pathname !== basePath) throw new HttpError(404, 'not_found', 'Not found.');
      const path = url.pathname.slice(basePath.length).replace(/^\/+/, '');
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
      const match = matchRoute(request.method, path);
      if (!match.name)
        throw match.allowed.length
          ? new HttpError(405, 'method_not_allowed', 'Method not allowed.', undefined, { allow: match.allowed.join(', ') })
          : new HttpError(404, 'not_found', 'Not found.');
      if (match.name === 'webhooks')
        return withHeaders(
          await webhook(ctx, request, { ...(options.webhookSecret ? { secret: options.webhookSecret } : {}), apiKey: options.webhookApiKey ?? options.apiKey }),
          cors,
        );
      if (request.method === 'POST') checkPost(request, url, options.allowedOrigins);
      const user = await options.resolveUser(request);
      if (!user) throw new HttpError(401, 'unauthenticated', 'Please sign in again.');
      // the Cryptopocket id: the merchant's, else the one stored at registration; none yet: only config and register
      const known = user.id !== undefined && user.id !== '' ? String(user.id) : undefined;
      const userId = known ?? (user.merchantUserId ? ((await ctx.store.get(accountKey(user.merchantUserId))) ?? '') : '');
      if (!userId && match.name !== 'config' && match.name !== 'register')
        throw new HttpError(403, 'account_required', 'Create your Cryptopocket account first.');
      const response = await ROUTE_TABLE[match.name](ctx, { request, url, params: match.params, user, userId });
      return withHeaders(response, cors);
    } catch (error) {
      return withHeaders(errorResponse(error, log, url.pathname), cors);
    }
  }

  return Object.assign(handle, { bus: rawBus, close: () => ctx.follower.close() });
}

/** The assets the API offers, read at most every few minutes; `undefined` while it cannot say (checks fall back to shapes). */
function cachedAssets(api: CryptopocketApi, now: () => number, log: (line: string) => void): () => Promise<Asset[] | undefined> {
  let cached: { at: number; value: Promise<Asset[] | undefined> } | undefined;
  return () => {
    if (!cached || now() - cached.at > ASSETS_TTL) {
      const value = api.assets().then(
        (list) => (list.length ? list : undefined),
        (error: unknown) => {
          log(`available assets failed: ${describe(error)}`);
          cached = undefined; // ask again next time
          return undefined;
        },
      );
      cached = { at: now(), value };
    }
    return cached.value;
  };
}

/**
 * CSRF: a create must be JSON (a form or `text/plain` cannot send it without a preflight), and a browser must send it
 * from the endpoint's own origin or an allowed one (`Origin`, else `Sec-Fetch-Site`). Clients that are not browsers
 * send neither header and are not at risk.
 */
function checkPost(request: Request, url: URL, allowed: string[] | undefined): void {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'Send the request as application/json.');
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  // the browser's own word (a page cannot set it): same-origin holds even behind a proxy that rewrites the host
  if (site === 'same-origin') return;
  if (origin && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    const forwarded = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
    if (host === url.host || (forwarded && host === forwarded) || allowed?.includes(origin)) return;
    throw new HttpError(403, 'forbidden_origin', 'This request came from a page that may not use this endpoint.');
  }
  if (site === 'cross-site' || site === 'same-site' || origin === 'null')
    throw new HttpError(403, 'forbidden_origin', 'This request came from a page that may not use this endpoint.');
}

function corsHeaders(request: Request, allowed: string[] | undefined): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin || !allowed?.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-headers': 'content-type, idempotency-key, authorization, last-event-id',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-expose-headers': 'retry-after',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
  return response;
}

/** The `quoteValidFor` option, checked once at start-up: whole seconds, 5 to 3600 (what the widget accepts). */
function checkedValidFor(seconds: number): number {
  if (!isQuoteValidFor(seconds)) throw new TypeError('quoteValidFor must be a whole number of seconds, 5 to 3600.');
  return seconds;
}

/** The `registration` option, checked once at start-up: the terms page must be an `https:` URL. */
function checkedRegistration(registration: RegistrationOptions): RegistrationOptions {
  checkedPage(registration.termsUrl, 'registration.termsUrl');
  return registration;
}
