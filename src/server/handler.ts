import { validateAddress } from '../lib/address.js';
import { sha256Hex } from '../lib/hmac.js';
import { maskIban, normalizeIban, validateIban } from '../lib/iban.js';
import { divideDecimal, isDecimal, multiplyDecimal, normalizeDecimal } from '../lib/money.js';
import type { JsonObject } from '../lib/read.js';
import { ShapeError, isObject, pickString } from '../lib/read.js';
import { isTerminal, normalizeStatus } from '../lib/status.js';
import type {
  Asset,
  CreatedPayment,
  CreatedRampoff,
  ErrorBody,
  Flow,
  KycState,
  Operation,
  OperationList,
  PriceQuote,
  Quote,
  RampConfig,
  Region,
  StatusEvent,
} from '../types.js';
import type { EventBus } from './bus.js';
import { MemoryBus } from './bus.js';
import type { KeyValueStore } from './store.js';
import { MemoryStore } from './store.js';
import { decimal, jsonBody } from '../lib/json.js';
import { Upstream, UpstreamError } from './upstream.js';
import {
  DEFAULT_ASSETS,
  DEFAULT_EU_METHODS,
  DEFAULT_LATAM_FIAT,
  PATHS,
  WEBHOOK_EVENTS,
  parseAssets,
  parseKyc,
  parseList,
  parsePayment,
  parsePaymentMethods,
  parsePrice,
  parseQuote,
  parseRampoff,
  upstreamUserId,
} from './upstream-map.js';
import { verifyWebhook } from './webhooks.js';

/** The logged-in user, as the merchant's backend knows them. */
export interface SessionUser {
  /** The CryptopocketAPI customer id (`user_id`). */
  id: string | number;
  region: Region;
  /** The user's fiat currency (LATAM: e.g. `ARS`); EU is always `EUR`. */
  fiat?: string;
  /** Where the user completes KYC (`kyc_form_url` from registration). */
  kycUrl?: string;
  /** Payout account holder shown next to the IBAN field. */
  accountHolder?: string;
}

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
  /** Origins allowed to call with credentials from another origin (CORS). Same-origin needs none. */
  allowedOrigins?: string[];
  /** Upstream timeout in ms (default 10 s). */
  timeout?: number;
  /** Request body limit in bytes (default 16 KiB). */
  maxBodyBytes?: number;
  store?: KeyValueStore;
  bus?: EventBus;
  /** Heartbeat interval of the status stream in ms (default 15 s). */
  heartbeatMs?: number;
  /** Fetch used for upstream calls (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Log sink for failures; lines never contain the API key, IBANs or request bodies. */
  log?: (line: string) => void;
  now?: () => number;
}

export type SessionHandler = ((request: Request) => Promise<Response>) & {
  /** The event bus status streams listen on. */
  readonly bus: EventBus;
};

/** An error answered as `{ error: { code, message, details? } }`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string>,
  ) {
    super(message);
  }
}

const DAY = 24 * 60 * 60 * 1000;
const OWNER_TTL = 30 * DAY;

/** Upstream business codes → HTTP status and a message for the user. */
const UPSTREAM_CODES: Record<string, [number, string]> = {
  authorization_incorrect: [502, 'The payment service rejected the merchant credentials.'],
  fail_mandatory_field: [400, 'A required field is missing.'],
  user_not_found: [403, 'Your account is not registered with the payment service.'],
  user_banned: [403, 'Your account cannot trade. Please contact support.'],
  require_kyc: [403, 'Please verify your identity first.'],
  kyc_reinforced_required: [403, 'Please complete the additional verification to raise your limits.'],
  limit_exceded: [422, 'This amount is over your limit.'],
  coin_not_supported: [422, 'This token is not available on this network.'],
  min_purchase: [422, 'The amount is below the minimum.'],
  method_not_allowed: [422, 'This payment method is not available.'],
  error_payment_creation: [502, 'The payment provider failed. Please try again.'],
  invalid_request: [422, 'The payment service rejected the request.'],
  not_found: [404, 'Not found.'],
  rate_limited: [429, 'Too many requests. Please wait a moment.'],
  upstream_timeout: [504, 'The payment service did not answer in time.'],
  upstream_unavailable: [502, 'The payment service is unavailable. Please try again.'],
  bad_response: [502, 'The payment service sent an unexpected answer.'],
};

/**
 * Creates the session endpoint: a Fetch-API handler that resolves the user from the merchant's
 * session, forwards the allowed calls to the CryptopocketAPI and answers in the session protocol.
 */
export function createSessionHandler(options: SessionHandlerOptions): SessionHandler {
  const now = options.now ?? Date.now;
  const upstream = new Upstream({
    origin: options.apiOrigin ?? 'https://sandbox.cryptopocket.io',
    apiKey: options.apiKey,
    ...(options.apiSecret ? { apiSecret: options.apiSecret } : {}),
    fetch: options.fetch ?? ((...args) => globalThis.fetch(...args)),
    timeout: options.timeout ?? 10_000,
  });
  const store = options.store ?? new MemoryStore(now);
  const bus = options.bus ?? new MemoryBus();
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const maxBody = options.maxBodyBytes ?? 16 * 1024;
  const log = options.log ?? ((line: string) => console.error(`[cryptopocket-ramp] ${line}`));
  const inflight = new Map<string, Promise<void>>();

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const cors = corsHeaders(request, options.allowedOrigins);
    try {
      if (!url.pathname.startsWith(`${basePath}/`) && url.pathname !== basePath) throw new HttpError(404, 'not_found', 'Not found.');
      const path = url.pathname.slice(basePath.length).replace(/^\/+/, '');
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
      if (path === 'webhooks' && request.method === 'POST') return withHeaders(await webhook(request), cors);
      const user = await options.resolveUser(request);
      if (!user) throw new HttpError(401, 'unauthenticated', 'Please sign in again.');
      const userId = String(user.id);
      const response = await route(request, url, path, user, userId);
      return withHeaders(response, cors);
    } catch (error) {
      return withHeaders(errorResponse(error, log, url.pathname), cors);
    }
  }

  async function route(request: Request, url: URL, path: string, user: SessionUser, userId: string): Promise<Response> {
    const q = url.searchParams;
    const get = request.method === 'GET';
    const post = request.method === 'POST';
    let match: RegExpExecArray | null;
    if (get && path === 'config') return json(await config(user, userId));
    if (get && path === 'price') return json(await price(required(q, 'symbol'), fiatFor(user, q.get('fiat'))));
    if (get && path === 'onramp/quote') return json(await onrampQuote(user, q));
    if (get && path === 'offramp/quote') return json(await offrampQuote(user, q));
    if (post && path === 'onramp/payments') return idempotent(request, userId, 'onramp', (body) => createPayment(user, userId, body, request));
    if (post && path === 'offramp/operations') return idempotent(request, userId, 'offramp', (body) => createRampoff(user, userId, body));
    if (get && path === 'onramp/payments') return json(await list('onramp', userId, q.get('cursor')));
    if (get && path === 'offramp/operations') return json(await list('offramp', userId, q.get('cursor')));
    if (get && (match = /^onramp\/payments\/([A-Za-z0-9_-]{1,64})$/.exec(path))) return json(await status('onramp', match[1]!, userId));
    if (get && (match = /^offramp\/operations\/([A-Za-z0-9_-]{1,64})$/.exec(path))) return json(await status('offramp', match[1]!, userId));
    if (get && (match = /^(onramp\/payments|offramp\/operations)\/by-key\/([A-Za-z0-9_.:-]{8,128})$/.exec(path))) {
      return byKey(match[1] === 'onramp/payments' ? 'onramp' : 'offramp', userId, match[2]!);
    }
    if (get && path === 'activity') return json(await activity(userId, q.get('cursor')));
    if (get && path === 'events') return events(request, q, userId);
    if (['config', 'price', 'activity', 'onramp/quote', 'offramp/quote', 'onramp/payments', 'offramp/operations', 'events', 'webhooks'].includes(path)) {
      throw new HttpError(405, 'method_not_allowed', 'Method not allowed.');
    }
    throw new HttpError(404, 'not_found', 'Not found.');
  }

  // ── config ──────────────────────────────────────────────────────────────
  async function config(user: SessionUser, userId: string): Promise<RampConfig> {
    const query = { user_id: userId };
    const [kyc, assets, methods] = await Promise.all([
      upstream.call('GET', PATHS.kycCheck, { query }).then(({ data }) => parseKyc(data)).catch((error: unknown) => {
        if (error instanceof UpstreamError && error.code === 'authorization_incorrect') throw error;
        log(`kyc check failed: ${describe(error)}`);
        return { status: 'pending', raw: 'unknown' } as KycState;
      }),
      upstream.call('GET', PATHS.availableAssets, { query }).then(({ data }) => nonEmpty(parseAssets(data))).catch((error: unknown) => {
        log(`available assets failed, using defaults: ${describe(error)}`);
        return DEFAULT_ASSETS;
      }),
      upstream.call('GET', PATHS.paymentMethods, { query }).then(({ data }) => nonEmpty(parsePaymentMethods(data))).catch((error: unknown) => {
        log(`payment methods failed, using defaults: ${describe(error)}`);
        return user.region === 'EU' ? DEFAULT_EU_METHODS : [];
      }),
    ]);
    const latam = user.region === 'LATAM';
    const result: RampConfig = {
      region: user.region,
      fiats: [fiatFor(user)],
      // LATAM sends no chain: the widget shows no network picker there
      assets: assets.map((asset: Asset) => ({ ...asset, chains: latam ? [] : asset.chains })),
      paymentMethods: methods,
      kyc: kyc.url || !user.kycUrl ? kyc : { ...kyc, url: user.kycUrl },
      stream: true,
    };
    if (user.accountHolder) result.accountHolder = user.accountHolder;
    return result;
  }

  function fiatFor(user: SessionUser, requested?: string | null): string {
    const fiat = user.region === 'EU' ? 'EUR' : (user.fiat ?? DEFAULT_LATAM_FIAT).toUpperCase();
    if (requested && requested.toUpperCase() !== fiat) throw new HttpError(422, 'fiat_not_supported', `Only ${fiat} is available.`);
    return fiat;
  }

  // ── prices and quotes ───────────────────────────────────────────────────
  async function price(symbol: string, fiat: string): Promise<PriceQuote> {
    const { data } = await upstream.call('GET', PATHS.price, { query: { symbol, fiat } });
    return { symbol, fiat, price: parsePrice(data, fiat) };
  }

  async function onrampQuote(user: SessionUser, q: URLSearchParams): Promise<Quote> {
    const fiatAmount = amountParam(q, 'amount');
    const symbol = required(q, 'symbol');
    const chain = chainFor(user, q.get('chain'));
    const fiat = fiatFor(user, q.get('fiat'));
    const base = { flow: 'onramp' as const, symbol, fiat, fiatAmount, ...(chain ? { chain } : {}) };
    try {
      const { data } = await upstream.call('GET', PATHS.onrampQuote, { query: { amount: fiatAmount, symbol, chain, payment_type: q.get('method') ?? undefined } });
      const quote = parseQuote(data);
      if (!quote.tokenAmount) throw new ShapeError('quote: no token amount');
      return { ...base, tokenAmount: quote.tokenAmount, source: 'quote', ...opt('rate', quote.rate), ...opt('fee', quote.fee) };
    } catch (error) {
      if (!fallsBackToPrice(error)) throw error;
      log(`onramp quote failed, estimating from price: ${describe(error)}`);
      const { price: rate } = await price(symbol, fiat);
      return { ...base, tokenAmount: divideDecimal(fiatAmount, rate, 6), rate, source: 'price' };
    }
  }

  async function offrampQuote(user: SessionUser, q: URLSearchParams): Promise<Quote> {
    const tokenAmount = amountParam(q, 'amount');
    const symbol = required(q, 'symbol');
    const chain = chainFor(user, q.get('chain'));
    const fiat = fiatFor(user, q.get('fiat'));
    const base = { flow: 'offramp' as const, symbol, fiat, tokenAmount, ...(chain ? { chain } : {}) };
    try {
      const { data } = await upstream.call('GET', PATHS.offrampQuote, { query: { amount: tokenAmount, symbol, blockchain: chain, fiat_symbol: fiat } });
      const quote = parseQuote(data);
      if (!quote.fiatAmount) throw new ShapeError('quote: no fiat amount');
      return { ...base, fiatAmount: quote.fiatAmount, source: 'quote', ...opt('rate', quote.rate), ...opt('fee', quote.fee) };
    } catch (error) {
      if (!fallsBackToPrice(error)) throw error;
      log(`offramp quote failed, estimating from price: ${describe(error)}`);
      const { price: rate } = await price(symbol, fiat);
      return { ...base, fiatAmount: multiplyDecimal(tokenAmount, rate, 2), rate, source: 'price' };
    }
  }

  function chainFor(user: SessionUser, chain: string | null): string | undefined {
    if (user.region === 'LATAM') return undefined; // docs: not needed for LATAM
    if (!chain || !/^[a-z0-9_-]{1,32}$/i.test(chain)) throw new HttpError(400, 'invalid_request', 'A network is required.');
    return chain;
  }

  // ── creates (idempotent) ────────────────────────────────────────────────
  async function idempotent(request: Request, userId: string, flow: Flow, create: (body: JsonObject) => Promise<Response>): Promise<Response> {
    const key = request.headers.get('idempotency-key') ?? '';
    if (!/^[A-Za-z0-9_.:-]{8,128}$/.test(key)) throw new HttpError(400, 'idempotency_key_required', 'An Idempotency-Key header (8–128 characters) is required.');
    const text = await readBody(request, maxBody);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The request body is not JSON.');
    }
    if (!isObject(body)) throw new HttpError(400, 'invalid_request', 'The request body must be an object.');
    const storeKey = `idem:${flow}:${userId}:${key}`;
    const hash = await sha256Hex(text);
    // a duplicate in this process waits for the first, then gets its stored answer
    for (let running = inflight.get(storeKey); running; running = inflight.get(storeKey)) await running;
    let done = () => {};
    inflight.set(storeKey, new Promise<void>((resolve) => (done = resolve)));
    try {
      const stored = await store.get(storeKey);
      if (stored) return replay(stored, hash);
      // another instance may be creating with the same key: it holds the claim, we answer 409
      if (!(await store.setIfAbsent(storeKey, JSON.stringify({ hash, pending: true }), 60_000))) return replay((await store.get(storeKey)) ?? JSON.stringify({ hash, pending: true }), hash);
      let response: Response;
      try {
        response = await create(body);
      } catch (error) {
        await store.delete(storeKey); // a failed create may be retried with the same key
        throw error;
      }
      await store.set(storeKey, JSON.stringify({ hash, status: response.status, body: await response.clone().text() }), DAY);
      return response;
    } finally {
      inflight.delete(storeKey);
      done();
    }
  }

  /** The stored answer of a create, by its Idempotency-Key: lets a reloaded page find what it created. */
  async function byKey(flow: Flow, userId: string, key: string): Promise<Response> {
    const stored = await store.get(`idem:${flow}:${userId}:${key}`);
    if (!stored) throw new HttpError(404, 'not_found', 'Nothing was created with this key.');
    const record = JSON.parse(stored) as { pending?: boolean; status?: number; body?: string };
    if (record.pending) throw new HttpError(409, 'request_in_progress', 'The request is still being processed.');
    if (record.status !== 201) throw new HttpError(404, 'not_found', 'Nothing was created with this key.');
    return new Response(record.body, { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
  }

  function replay(stored: string, hash: string): Response {
    const record = JSON.parse(stored) as { hash: string; pending?: boolean; status?: number; body?: string };
    if (record.hash !== hash) throw new HttpError(422, 'idempotency_mismatch', 'This Idempotency-Key was used with a different request.');
    if (record.pending) throw new HttpError(409, 'request_in_progress', 'The same request is still being processed. Please retry shortly.');
    return new Response(record.body, { status: record.status, headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' } });
  }

  async function createPayment(user: SessionUser, userId: string, body: JsonObject, request: Request): Promise<Response> {
    const fiatAmount = bodyAmount(body, 'fiatAmount');
    const symbol = bodyString(body, 'symbol');
    const wallet = bodyString(body, 'wallet');
    const method = bodyString(body, 'method');
    const fiat = fiatFor(user, pickString(body, 'fiat'));
    const chain = user.region === 'LATAM' ? undefined : bodyString(body, 'chain');
    if (validateAddress(wallet, chain)) throw new HttpError(422, 'invalid_wallet', 'The wallet address is not valid for this network.');
    const callback = pickString(body, 'callbackUrl');
    if (callback && !/^https?:\/\//.test(callback)) throw new HttpError(422, 'invalid_request', 'callbackUrl must be an http(s) URL.');
    const upstreamBody = {
      user_id: upstreamUserId(userId),
      external_id: request.headers.get('idempotency-key'),
      payment_type: method,
      fiat_symbol: fiat,
      fiat_amount: decimal(fiatAmount),
      coin_symbol: symbol,
      ...(chain ? { coin_chain: chain } : {}),
      wallet,
      ...(callback ? { callback_url: callback } : {}),
    };
    const { data } = await upstream.call('POST', PATHS.createPayment, { body: jsonBody(upstreamBody) });
    if (!isObject(data)) throw new UpstreamError('bad_response', 'createPayment: no data', 200);
    const id = pickString(data, 'payment_id', 'id');
    if (!id) throw new UpstreamError('bad_response', 'createPayment: no payment_id', 200);
    const result: CreatedPayment = { id, method };
    const paymentUrl = pickString(data, 'url_payment', 'gateway_url', 'url');
    if (paymentUrl && /^https?:\/\//.test(paymentUrl)) result.paymentUrl = paymentUrl;
    const iban = pickString(data, 'iban');
    if (iban) {
      result.bankTransfer = {
        iban,
        bic: pickString(data, 'bic') ?? '',
        beneficiary: pickString(data, 'destination_name', 'beneficiary') ?? '',
        reference: pickString(data, 'concept', 'reference') ?? '',
      };
    }
    // how to pay stays available to the status call, so a reloaded page can show it again
    const meta = { userId, method, wallet, ...(chain ? { chain } : {}), ...(result.paymentUrl ? { paymentUrl: result.paymentUrl } : {}), ...(result.bankTransfer ? { bankTransfer: result.bankTransfer } : {}) };
    await store.set(`owner:onramp:${id}`, JSON.stringify(meta), OWNER_TTL);
    return json(result, 201);
  }

  async function createRampoff(user: SessionUser, userId: string, body: JsonObject): Promise<Response> {
    const amount = bodyAmount(body, 'amount');
    const symbol = bodyString(body, 'symbol');
    const fiat = fiatFor(user, pickString(body, 'fiat'));
    const latam = user.region === 'LATAM';
    const chain = latam ? undefined : bodyString(body, 'chain');
    let iban: string | undefined;
    let bankName: string | undefined;
    if (latam) {
      bankName = bodyString(body, 'bankName');
    } else {
      iban = normalizeIban(bodyString(body, 'iban'));
      if (validateIban(iban)) throw new HttpError(422, 'invalid_iban', 'The IBAN is not valid.');
    }
    const upstreamBody = {
      user_id: upstreamUserId(userId),
      amount: decimal(amount),
      symbol,
      ...(chain ? { blockchain: chain } : {}),
      ...(iban ? { iban } : {}),
      ...(bankName ? { bank_name: bankName } : {}),
    };
    const { data } = await upstream.call('POST', PATHS.createRampoff, { body: jsonBody(upstreamBody) });
    if (!isObject(data)) throw new UpstreamError('bad_response', 'createRampoff: no data', 200);
    const id = pickString(data, 'id');
    const wallet = pickString(data, 'wallet', 'address');
    if (!id || !wallet) throw new UpstreamError('bad_response', 'createRampoff: no id or wallet', 200);
    const meta = { userId, symbol, chain, fiat, amount, wallet, ...(iban ? { ibanMasked: maskIban(iban) } : {}) };
    await store.set(`owner:offramp:${id}`, JSON.stringify(meta), OWNER_TTL);
    const result: CreatedRampoff = { id, wallet };
    return json(result, 201);
  }

  // ── status and lists ────────────────────────────────────────────────────
  async function status(flow: Flow, id: string, userId: string): Promise<Operation> {
    const owner = await store.get(`owner:${flow}:${id}`);
    const meta = owner ? (JSON.parse(owner) as Partial<Operation> & { userId: string; amount?: string }) : undefined;
    if (meta && meta.userId !== userId) throw new HttpError(404, 'not_found', 'No such operation.');
    let op: Operation & { userId?: string };
    try {
      op = flow === 'onramp' ? parsePayment((await upstream.call('GET', PATHS.payment(id))).data) : parseRampoff((await upstream.call('GET', PATHS.rampoff, { query: { id } })).data);
    } catch (error) {
      if (error instanceof UpstreamError && (error.code === 'not_found' || error.status === 404)) throw new HttpError(404, 'not_found', 'No such operation.');
      throw error;
    }
    // ownership: the upstream user_id where given, else our record of who created it
    if (op.userId !== undefined ? op.userId !== userId : !meta) throw new HttpError(404, 'not_found', 'No such operation.');
    const { userId: _drop, ...result } = op;
    if (meta) {
      for (const key of ['symbol', 'chain', 'fiat', 'wallet', 'ibanMasked', 'method', 'paymentUrl'] as const) if (result[key] === undefined && meta[key]) result[key] = meta[key];
      if (meta.bankTransfer && !isTerminal(result.status)) result.bankTransfer = meta.bankTransfer;
      if (flow === 'offramp' && result.tokenAmount === undefined && meta.amount) result.tokenAmount = meta.amount;
    }
    return result;
  }

  async function list(flow: Flow, userId: string, cursor: string | null): Promise<OperationList> {
    const path = flow === 'onramp' ? PATHS.payments : PATHS.rampoffs;
    const { data } = await upstream.call('GET', path, { query: { user_id: userId, page: cursor ?? undefined } });
    const parsed = parseList(data, flow);
    const items = parsed.items
      .filter((item) => item.userId === undefined || item.userId === userId)
      .map(({ userId: _drop, ...item }) => item)
      .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    return parsed.next ? { items, next: parsed.next } : { items };
  }

  /** Both lists in one shape, newest first; offramp rows get their masked payout IBAN from our records. */
  async function activity(userId: string, cursor: string | null): Promise<OperationList> {
    if (cursor !== null && !/^\d{1,6}$/.test(cursor)) throw new HttpError(400, 'invalid_request', 'Bad cursor.');
    const page = cursor ?? undefined;
    const [buys, sells] = await Promise.all([list('onramp', userId, page ?? null), list('offramp', userId, page ?? null)]);
    const sellItems = await Promise.all(
      sells.items.map(async (item) => {
        const meta = await store.get(`owner:offramp:${item.id}`);
        const record = meta ? (JSON.parse(meta) as { userId: string; ibanMasked?: string; chain?: string; fiat?: string }) : undefined;
        if (!record || record.userId !== userId) return item;
        return { ...item, ...(record.ibanMasked ? { ibanMasked: record.ibanMasked } : {}), ...(!item.chain && record.chain ? { chain: record.chain } : {}), ...(!item.fiat && record.fiat ? { fiat: record.fiat } : {}) };
      }),
    );
    const items = [...buys.items, ...sellItems].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    const next = buys.next || sells.next ? String(Number(page ?? 1) + 1) : undefined;
    return next ? { items, next } : { items };
  }

  // ── status stream (server-sent events) ──────────────────────────────────
  async function events(request: Request, q: URLSearchParams, userId: string): Promise<Response> {
    const flow = q.get('flow');
    const id = q.get('id') ?? '';
    if ((flow !== 'onramp' && flow !== 'offramp') || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new HttpError(400, 'invalid_request', 'flow and id are required.');
    const first = await status(flow, id, userId); // also checks ownership before streaming
    const encoder = new TextEncoder();
    let seq = Number(request.headers.get('last-event-id')) || 0;
    let cleanup = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        let closed = false;
        const send = (op: Operation) => {
          if (closed) return;
          const event: StatusEvent = { id: op.id, flow: op.flow, status: op.status, raw: op.raw, operation: op };
          controller.enqueue(encoder.encode(`id: ${++seq}\nevent: status\ndata: ${JSON.stringify(event)}\n\n`));
          if (isTerminal(op.status)) close();
        };
        const close = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(heartbeat);
          try {
            controller.close();
          } catch {
            /* already closed by the client */
          }
        };
        const unsubscribe = bus.subscribe(flow, id, (event) => {
          // refresh from upstream for the amounts; the webhook's own status if that fails
          status(flow, id, userId)
            .then((op) => send(isForwardOrSame(event, op) ? op : { ...op, status: event.status, raw: event.raw }))
            .catch(() => send({ ...first, status: event.status, raw: event.raw }));
        });
        const heartbeat = setInterval(() => !closed && controller.enqueue(encoder.encode(': keep-alive\n\n')), options.heartbeatMs ?? 15_000);
        cleanup = close;
        request.signal?.addEventListener('abort', close, { once: true });
        controller.enqueue(encoder.encode('retry: 3000\n\n'));
        send(first);
      },
      cancel() {
        cleanup();
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' } });
  }

  // ── webhooks ────────────────────────────────────────────────────────────
  async function webhook(request: Request): Promise<Response> {
    if (!options.webhookSecret) throw new HttpError(404, 'not_found', 'Webhooks are not configured.');
    const raw = await readBody(request, 64 * 1024);
    const verdict = await verifyWebhook(raw, request.headers, { secret: options.webhookSecret, apiKey: options.webhookApiKey ?? options.apiKey, now });
    if (!verdict.ok) {
      log(`webhook rejected: ${verdict.reason}`);
      throw new HttpError(401, 'invalid_signature', 'Webhook signature rejected.');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The webhook body is not JSON.');
    }
    if (!isObject(payload)) throw new HttpError(400, 'invalid_request', 'The webhook body must be an object.');
    const type = (pickString(payload, 'type', 'event', 'event_type') ?? '').toUpperCase();
    const data = isObject(payload.data) ? payload.data : payload;
    const id = pickString(data, 'id', 'payment_id', 'rampoff_id', 'operation_id');
    const known = WEBHOOK_EVENTS[type];
    if (!known || !id) return json({ received: true, applied: false });
    const eventId = pickString(payload, 'event_id', 'id') ?? `${type}:${id}:${request.headers.get('x-signature')}`;
    const fresh = await store.setIfAbsent(`webhook:${eventId}`, '1', DAY);
    if (!fresh) return json({ received: true, applied: false, duplicate: true });
    await bus.publish({ id, flow: known.flow, status: normalizeStatus(known.flow, known.raw), raw: known.raw });
    return json({ received: true, applied: true });
  }

  return Object.assign(handle, { bus });
}

function isForwardOrSame(event: StatusEvent, op: Operation): boolean {
  const order = ['created', 'payment_pending', 'processing', 'funds_received', 'completed'];
  return order.indexOf(op.status) >= order.indexOf(event.status) || op.status === 'failed' || op.status === 'expired';
}

// ── helpers ───────────────────────────────────────────────────────────────

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

function errorResponse(error: unknown, log: (line: string) => void, where: string): Response {
  let status = 500;
  let body: ErrorBody;
  if (error instanceof HttpError) {
    status = error.status;
    body = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  } else if (error instanceof UpstreamError) {
    const [httpStatus, message] = UPSTREAM_CODES[error.code] ?? [502, 'The payment service refused the request.'];
    status = httpStatus;
    body = { error: { code: error.code, message } };
    const details = upstreamDetails(error);
    if (details) body.error.details = details;
    if (status >= 500) log(`${where}: upstream ${error.code} (${error.status})`);
  } else if (error instanceof ShapeError) {
    status = 502;
    body = { error: { code: 'bad_response', message: 'The payment service sent an unexpected answer.' } };
    log(`${where}: ${error.message}`);
  } else {
    body = { error: { code: 'server_error', message: 'Something went wrong on the server.' } };
    log(`${where}: ${describe(error)}`);
  }
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

/** `min_purchase` carries the minimum in `message`; `require_kyc` the verification URL in `data`. */
function upstreamDetails(error: UpstreamError): Record<string, string> | undefined {
  const data = error.data;
  if (error.code === 'min_purchase') {
    const text = typeof data === 'string' || typeof data === 'number' ? String(data) : error.message;
    const minimum = /(\d+(?:\.\d+)?)/.exec(text)?.[1];
    return minimum ? { minimum } : undefined;
  }
  if (error.code === 'require_kyc' || error.code === 'kyc_reinforced_required') {
    const url = typeof data === 'string' ? data : isObject(data) ? pickString(data, 'url', 'kyc_form_url', 'link') : undefined;
    return url && /^https?:\/\//.test(url) ? { url } : undefined;
  }
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof UpstreamError) return `${error.code} (${error.status})`;
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}

function fallsBackToPrice(error: unknown): boolean {
  if (error instanceof ShapeError) return true;
  if (!(error instanceof UpstreamError)) return false;
  // business errors (min_purchase, coin_not_supported…) are the user's answer; unavailability is not
  return ['not_found', 'upstream_unavailable', 'upstream_timeout', 'bad_response', 'upstream_error'].includes(error.code);
}

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function nonEmpty<T>(list: T[]): T[] {
  if (!list.length) throw new ShapeError('empty list');
  return list;
}

function required(q: URLSearchParams, key: string): string {
  const value = q.get(key);
  if (!value || value.length > 64) throw new HttpError(400, 'invalid_request', `${key} is required.`);
  return value;
}

function amountParam(q: URLSearchParams, key: string): string {
  const value = required(q, key);
  if (!isDecimal(value) || normalizeDecimal(value) === '0') throw new HttpError(400, 'invalid_amount', 'Enter an amount greater than zero.');
  return normalizeDecimal(value);
}

function bodyString(body: JsonObject, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || !value.trim() || value.length > 256) throw new HttpError(400, 'invalid_request', `${key} is required.`);
  return value.trim();
}

function bodyAmount(body: JsonObject, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || !isDecimal(value) || normalizeDecimal(value) === '0') throw new HttpError(400, 'invalid_amount', 'Enter an amount greater than zero.');
  return normalizeDecimal(value);
}

async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw new HttpError(413, 'payload_too_large', 'The request body is too large.');
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new HttpError(413, 'payload_too_large', 'The request body is too large.');
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function corsHeaders(request: Request, allowed: string[] | undefined): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin || !allowed?.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-headers': 'content-type, idempotency-key, authorization, last-event-id',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
  return response;
}

