/**
 * An honest stand-in for the CryptopocketAPI (`../shared/cryptopocket-api.md`): the documented paths,
 * the `auth` header, the documented envelopes and quirks (`sucess`, business errors on HTTP 200, amounts
 * in cents or base units, numeric `user_id` in requests and string in answers) and signed webhooks.
 * Where the docs are silent it uses the shapes `src/server/upstream-map.ts` documents as our choice.
 * State lives in memory; operations advance when stepped, or on a clock (`autoAdvanceMs`).
 */
import { toChecksumAddress } from '../lib/address.js';
import { hmacSha256Hex } from '../lib/hmac.js';
import { decimal, jsonBody } from '../lib/json.js';
import { compareDecimal, divideDecimal, fromBaseUnits, isDecimal, multiplyDecimal, normalizeDecimal, toBaseUnits } from '../lib/money.js';

export interface SimUser {
  id: number;
  name: string;
  region: 'EU' | 'LATAM';
  fiat: string;
  /** Upstream `kyc_status`: `valid`, `fail`, or in progress (`unused`, `processing`). */
  kyc: string;
  kycFormUrl: string;
  /** Registered through `POST /api/registerUser` (lower case). */
  email?: string;
  /** Where the customer returns after the KYC form (`callback_url` at registration). */
  callbackUrl?: string;
  /** When a submitted KYC form turns `processing` into `valid` (the simulator's verification clock). */
  verifiedAt?: number;
  /** Has completed the onboarding (source of funds) form: no `kyc_reinforced_required` any more. */
  reinforced?: boolean;
  banned?: boolean;
}

/** Throwaway email domains `registerUser` refuses with `email_not_allowed` (the docs name the code, not the list). */
const DISPOSABLE_DOMAINS = new Set(['mailinator.com', 'guerrillamail.com', '10minutemail.com', 'yopmail.com', 'tempmail.com']);

export interface SimAsset {
  symbol: string;
  name: string;
  decimals: number;
  chains: string[];
  /** Price of one token per fiat, decimal strings. */
  prices: Record<string, string>;
}

export interface SimulatorOptions {
  /** The key clients must send in the `auth` header (or a token from `POST /api/authenticate`). */
  apiKey?: string;
  /** The secret `POST /api/authenticate` accepts with the key (default `sim-api-secret`). */
  apiSecret?: string;
  /** How long an authenticate token lasts (default 1 h). */
  tokenTtlMs?: number;
  /** Secret used to sign webhooks. */
  webhookSecret?: string;
  /** Where webhooks go for every event type (besides subscriptions made through the API). */
  webhookUrl?: string;
  /** Fetch used to deliver webhooks (default `globalThis.fetch`); tests pass a handler in-process. */
  fetch?: typeof fetch;
  /** Step every open operation this often (ms); 0 = only when stepped. */
  autoAdvanceMs?: number;
  /**
   * Where the simulator's own pages are served (the KYC form, the onboarding form): the origin its `handle` answers
   * on, e.g. the demo's `http://localhost:8080`. Default `https://demo.cryptopocket.io` (links only, no pages).
   */
  pagesUrl?: string;
  /** How long a submitted KYC form stays `processing` before it is `valid` (default 3000 ms). */
  kycReviewMs?: number;
  /** How long after a payment arrives (hosted checkout paid, transfer received) the tokens are sent (default 3000 ms). */
  sendMs?: number;
  now?: () => number;
}

export interface SimPayment {
  id: string;
  external_id: string | null;
  user_id: number;
  status: 'started' | 'pending_bank' | 'payment_received' | 'coins_sent';
  payment_type: string;
  /** Cents, as the API reports it. */
  fiat_cents: bigint;
  fiat_symbol: string;
  coin_symbol: string;
  coin_chain: string | null;
  coin_amount: string;
  wallet: string;
  txid: string | null;
  created_at: string;
  updated: number;
  /** Card / PSD2: the token of its hosted checkout (`url_payment`). */
  checkout?: string;
  /** Bank transfer: the reference (`concept`) the customer must quote. */
  concept?: number;
  /** Where the hosted checkout sends the customer back (`callback_url`). */
  callbackUrl?: string;
}

export interface SimRampoff {
  id: string;
  user_id: number;
  status: 'pending' | 'crypto_received' | 'finished';
  blockchain: string | null;
  crypto: string;
  units: bigint;
  decimals: number;
  fiat_symbol: string;
  fiat_amount: string;
  wallet: string;
  iban: string | null;
  bank_name: string | null;
  created_at: string;
  updated: number;
}

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
  auth: string | null;
  contentType: string | null;
}

export interface SimFailure {
  path: string;
  /** HTTP status to answer with (an HTML error page), `hang` to never answer (until the caller aborts), or `reset` to drop the connection. */
  status: number | 'hang' | 'reset';
  times: number;
  /** Do the work first, then fail: the operation exists but its answer is lost (the faults that tempt a second create). */
  after?: boolean;
}

export const SIM_USERS: SimUser[] = [
  { id: 106, name: 'Ana García', region: 'EU', fiat: 'EUR', kyc: 'valid', kycFormUrl: 'https://demo.cryptopocket.io/kyc/106' },
  { id: 107, name: 'Luis Pérez', region: 'EU', fiat: 'EUR', kyc: 'processing', kycFormUrl: 'https://demo.cryptopocket.io/kyc/107' },
  { id: 108, name: 'Marta Ruiz', region: 'EU', fiat: 'EUR', kyc: 'fail', kycFormUrl: 'https://demo.cryptopocket.io/kyc/108' },
  { id: 109, name: 'Pablo Díaz', region: 'EU', fiat: 'EUR', kyc: 'unused', kycFormUrl: 'https://demo.cryptopocket.io/kyc/109' },
  { id: 110, name: 'Jon Ander Ortiz', region: 'EU', fiat: 'EUR', kyc: 'valid', kycFormUrl: 'https://demo.cryptopocket.io/kyc/110' },
  { id: 111, name: 'Eva Martín', region: 'EU', fiat: 'EUR', kyc: 'valid', kycFormUrl: 'https://demo.cryptopocket.io/kyc/111' },
  { id: 200, name: 'Sofía Gómez', region: 'LATAM', fiat: 'ARS', kyc: 'valid', kycFormUrl: 'https://demo.cryptopocket.io/kyc/200' },
];

export const SIM_ASSETS: SimAsset[] = [
  { symbol: 'USDC', name: 'USD Coin', decimals: 6, chains: ['polygon', 'ethereum', 'bsc'], prices: { EUR: '0.92', ARS: '1150' } },
  { symbol: 'USDT', name: 'Tether', decimals: 6, chains: ['polygon', 'bsc'], prices: { EUR: '0.92', ARS: '1150' } },
  { symbol: 'ETH', name: 'Ether', decimals: 18, chains: ['ethereum'], prices: { EUR: '2850.00', ARS: '3500000' } },
];

const EU_METHODS = ['card', 'paypal', 'psd2', 'transfer'];
const LATAM_METHODS = ['KHIPU'];
/** Minimum purchase per fiat (major units). */
const MIN_PURCHASE: Record<string, string> = { EUR: '20', ARS: '20000' };
/** Quarterly card limit (major units). */
const CARD_LIMIT: Record<string, string> = { EUR: '5000', ARS: '5000000' };
/** Above this, the onboarding (source of funds) form is required: `kyc_reinforced_required`. */
const REINFORCED_LIMIT: Record<string, string> = { EUR: '3000', ARS: '3000000' };
const FEE_PERCENT = { card: '0.015', transfer: '0.005', offramp: '0.01' };
/** A purchase's network (gas) fee per network, in EUR, named apart in its quote (`network_fee`); other networks: none. */
const NETWORK_FEE: Record<string, string> = { ethereum: '1.5' };
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class Simulator {
  readonly apiKey: string;
  readonly payments = new Map<string, SimPayment>();
  readonly rampoffs = new Map<string, SimRampoff>();
  readonly requests: SimRequest[] = [];
  readonly webhooks: { url: string; type: string; status: number | string }[] = [];
  private readonly subscriptions = new Map<string, string>();
  private failures: SimFailure[] = [];
  private timer?: ReturnType<typeof setInterval>;
  private readonly now: () => number;
  private concept = 120037;
  /** Tokens from `POST /api/authenticate` → when they expire. */
  private readonly tokens = new Map<string, number>();
  private clockMs = 0;
  /** The known customers: the fixed demo users, then the ones registered here (their KYC starts `unused`). */
  private users: SimUser[];

  private readonly pagesUrl: string;
  /** The tokens-sent timers of paid payments (see `received`), cleared by `close()`. */
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly options: SimulatorOptions = {}) {
    this.apiKey = options.apiKey ?? 'sim-api-key';
    this.now = options.now ?? Date.now;
    this.pagesUrl = (options.pagesUrl ?? 'https://demo.cryptopocket.io').replace(/\/+$/, '');
    this.users = this.freshUsers();
    this.setClock(options.autoAdvanceMs ?? 0);
  }

  private freshUsers(): SimUser[] {
    return SIM_USERS.map((u) => ({ ...u, kycFormUrl: `${this.pagesUrl}/kyc/${u.id}` }));
  }

  /** Steps every open operation once it has waited `ms` (0 stops the clock). */
  setClock(ms: number): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.clockMs = ms > 0 ? ms : 0;
    if (this.clockMs) this.timer = setInterval(() => void this.tick(this.clockMs), Math.min(this.clockMs, 1000));
  }

  /** A fetch-compatible function answering from this simulator in-process. */
  readonly fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => this.handle(new Request(input, init));

  /** Fetch-API handler: the CryptopocketAPI under `/api/…`, and the control API under `/_simulator/…`. */
  readonly handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/_simulator/')) return this.control(request, url);
    if (this.servesPage(url.pathname)) return url.pathname === '/gateway/psd2' ? this.checkout(request, url) : this.page(request, url);
    const body = request.method === 'GET' ? '' : await request.text();
    this.requests.push({
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      auth: request.headers.get('auth'),
      contentType: request.headers.get('content-type'),
    });
    if (this.requests.length > 500) this.requests.shift();
    const failure = this.failures.find((f) => f.path === url.pathname && f.times > 0);
    if (failure) failure.times--;
    if (failure && !failure.after) return this.failWith(failure, request);
    const answer = await this.answer(request, url, body);
    return failure ? this.failWith(failure, request) : answer;
  };

  private failWith(failure: SimFailure, request: Request): Promise<Response> {
    if (failure.status === 'hang') {
      return new Promise((_resolve, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }));
    }
    if (failure.status === 'reset')
      return Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }));
    return Promise.resolve(new Response('<html><body>Service Unavailable</body></html>', { status: failure.status, headers: { 'content-type': 'text/html' } }));
  }

  private async answer(request: Request, url: URL, body: string): Promise<Response> {
    if (request.method === 'POST' && url.pathname === '/api/authenticate') return this.authenticate(body);
    // docs: a missing, wrong or expired `auth` token is a business error on HTTP 200
    const auth = request.headers.get('auth') ?? '';
    if (auth !== this.apiKey && !((this.tokens.get(auth) ?? 0) > this.now())) return this.error('authorization_incorrect');
    try {
      return await this.api(request.method, url, body);
    } catch (error) {
      if (error instanceof SimError) return this.error(error.code, error.message, error.data);
      throw error;
    }
  }

  private async api(method: string, url: URL, body: string): Promise<Response> {
    const q = url.searchParams;
    const path = url.pathname.replace(/\/+$/, '');
    let match: RegExpExecArray | null;
    if (method === 'POST' && path === '/api/registerUser') {
      // §2.4: name and email; a second account for an email is user_already_exists, a throwaway domain email_not_allowed
      const input = parseJson(body);
      const name = typeof input.name === 'string' ? input.name.trim() : '';
      const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
      if (!name || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new SimError('fail_mandatory_field');
      if (DISPOSABLE_DOMAINS.has(email.split('@')[1]!)) throw new SimError('email_not_allowed');
      if (this.users.some((u) => u.email === email)) throw new SimError('user_already_exists');
      const id = 1000 + this.users.length;
      const callbackUrl = httpUrl(input.callback_url);
      const user: SimUser = {
        id,
        name,
        email,
        region: 'EU',
        fiat: 'EUR',
        kyc: 'unused',
        kycFormUrl: `${this.pagesUrl}/kyc/${id}`,
        ...(callbackUrl ? { callbackUrl } : {}),
      };
      this.users.push(user);
      return ok({ id, kyc_form_url: user.kycFormUrl });
    }
    if (method === 'GET' && path === '/api/kyc/check') {
      const user = this.user(q.get('user_id'));
      return ok({ user_id: user.id, kyc_status: user.kyc });
    }
    if (method === 'POST' && path === '/api/onboarding-form') {
      // §2.8 "Create enhanced verification link": body `{ user_id }`; the answer's field name is not documented (ours: `url`)
      const user = this.user(String(parseJson(body).user_id ?? ''));
      return ok({ url: `${this.pagesUrl}/onboarding/${user.id}` });
    }
    if (method === 'GET' && path === '/api/available-assets') {
      return ok(SIM_ASSETS.map(({ symbol, name, decimals, chains }) => ({ symbol, name, decimals, chains })));
    }
    if (method === 'GET' && path === '/api/price') {
      const asset = this.asset(q.get('symbol'));
      const fiat = (q.get('fiat') ?? 'EUR').toUpperCase();
      const price = asset.prices[fiat];
      if (!price) throw new SimError('fiat_not_supported');
      return ok({ symbol: asset.symbol, fiat, price });
    }
    if (method === 'GET' && path === '/api/payment-methods') {
      const user = this.user(q.get('user_id'));
      return ok(user.region === 'EU' ? EU_METHODS : LATAM_METHODS);
    }
    if (method === 'GET' && path === '/api/quote') return this.onrampQuote(q);
    if (method === 'GET' && path === '/api/rampoff/quote') return this.offrampQuote(q);
    if (method === 'POST' && path === '/api/createPayment') return this.createPayment(parseJson(body));
    if (method === 'GET' && (match = /^\/api\/payment\/([A-Za-z0-9]+)$/.exec(path))) {
      const payment = this.payments.get(match[1]!);
      if (!payment) throw new SimError('payment_not_found');
      return ok(this.paymentJson(payment));
    }
    if (method === 'GET' && path === '/api/payments') {
      const user = this.user(q.get('user_id'));
      return ok(
        page(
          [...this.payments.values()].filter((p) => p.user_id === user.id).map((p) => this.paymentJson(p)),
          q.get('page'),
        ),
      );
    }
    if (method === 'POST' && path === '/api/createRampoff') return this.createRampoff(parseJson(body));
    if (method === 'GET' && path === '/api/getRampoff') {
      const rampoff = this.rampoffs.get(q.get('id') ?? '');
      if (!rampoff) throw new SimError('rampoff_not_found');
      return ok(this.rampoffJson(rampoff));
    }
    if (method === 'GET' && path === '/api/rampoffs') {
      const user = this.user(q.get('user_id'));
      return ok(
        page(
          [...this.rampoffs.values()]
            .filter((r) => r.user_id === user.id)
            .map((r) => ({ ...this.rampoffJson(r), user_id: String(r.user_id), wallet: r.wallet, created_at: r.created_at })),
          q.get('page'),
        ),
      );
    }
    if (method === 'POST' && (path === '/api/subscribeToWebhook' || path === '/api/updateWebhookSubscription')) {
      const form = new URLSearchParams(body);
      const target = form.get('url');
      const type = form.get('type') ?? '';
      if (
        !target ||
        !/^https?:\/\//.test(target) ||
        !['PAY_IN', 'COINS_SENT', 'CRYPTO_RECEIVED', 'TRANSFER_RAMPOFF_FINISHED', 'RAMPOFF_FINISHED'].includes(type)
      )
        throw new SimError('fail_mandatory_field');
      this.subscriptions.set(type === 'RAMPOFF_FINISHED' ? 'TRANSFER_RAMPOFF_FINISHED' : type, target);
      return ok(path.endsWith('subscribeToWebhook') ? 'subscription_created' : 'subscription_updated');
    }
    return new Response(JSON.stringify({ message: 'Not Found' }), { status: 404, headers: { 'content-type': 'application/json' } });
  }

  /** docs: `POST /api/authenticate {api_key, api_secret}` → a token for the `auth` header (the field name is ours: `token`). */
  private authenticate(body: string): Response {
    let credentials: Record<string, unknown>;
    try {
      credentials = parseJson(body);
    } catch {
      return this.error('authorization_incorrect');
    }
    if (credentials.api_key !== this.apiKey || credentials.api_secret !== (this.options.apiSecret ?? 'sim-api-secret'))
      return this.error('authorization_incorrect');
    const token = hex(32);
    this.tokens.set(token, this.now() + (this.options.tokenTtlMs ?? 3_600_000));
    return ok({ token });
  }

  /** Ends every token now (tests: a token that expired). */
  expireTokens(): void {
    this.tokens.clear();
  }

  private onrampQuote(q: URLSearchParams): Response {
    const amount = amountOf(q.get('amount'));
    const asset = this.asset(q.get('symbol'));
    const chain = q.get('chain') ?? 'polygon'; // docs: default polygon
    if (!asset.chains.includes(chain)) throw new SimError('coin_not_supported');
    const fiat = (q.get('fiat') ?? 'EUR').toUpperCase();
    const price = asset.prices[fiat] ?? asset.prices.EUR!;
    const minimum = MIN_PURCHASE[fiat] ?? '20';
    if (compareDecimal(amount, minimum) < 0) throw new SimError('min_purchase', minimum);
    const type = (q.get('payment_type') ?? 'card').toLowerCase();
    const fee = multiplyDecimal(amount, type === 'transfer' ? FEE_PERCENT.transfer : FEE_PERCENT.card, 2);
    const gas = networkFee(chain, fiat);
    const coins = divideDecimal(subtract(subtract(amount, fee), gas ?? '0'), price, 6);
    return ok({
      amount: decimal(amount),
      symbol: asset.symbol,
      chain,
      coin_amount: decimal(coins),
      rate: decimal(price),
      fee: decimal(fee),
      ...(gas ? { network_fee: decimal(gas) } : {}),
    });
  }

  private offrampQuote(q: URLSearchParams): Response {
    const amount = amountOf(q.get('amount'));
    const asset = this.asset(q.get('symbol'));
    const chain = q.get('blockchain');
    if (chain && !asset.chains.includes(chain)) throw new SimError('coin_not_supported');
    const fiat = (q.get('fiat_symbol') ?? 'EUR').toUpperCase();
    const price = asset.prices[fiat];
    if (!price) throw new SimError('fiat_not_supported');
    const gross = multiplyDecimal(amount, price, 2);
    const fee = multiplyDecimal(gross, FEE_PERCENT.offramp, 2);
    return ok({
      amount: normalizeDecimal(amount),
      symbol: asset.symbol,
      blockchain: chain,
      fiat_symbol: fiat,
      fiat_amount: subtract(gross, fee),
      rate: price,
      fee,
    });
  }

  private createPayment(body: Record<string, unknown>): Response {
    if (body.user_id === undefined || body.user_id === null || body.user_id === '') throw new SimError('fail_mandatory_field');
    const user = this.user(String(body.user_id));
    if (user.banned) throw new SimError('user_banned');
    if (user.kyc !== 'valid') throw new SimError('require_kyc', undefined, user.kycFormUrl);
    for (const field of ['payment_type', 'fiat_symbol', 'fiat_amount', 'coin_symbol', 'wallet']) {
      if (body[field] === undefined || body[field] === null || body[field] === '') throw new SimError('fail_mandatory_field');
    }
    if (user.region === 'EU' && !body.coin_chain) throw new SimError('fail_mandatory_field');
    const type = String(body.payment_type);
    if (!(user.region === 'EU' ? EU_METHODS : LATAM_METHODS).includes(type)) throw new SimError('method_not_allowed');
    const asset = SIM_ASSETS.find((a) => a.symbol === body.coin_symbol);
    const chain = user.region === 'EU' ? String(body.coin_chain) : null;
    if (!asset || (chain && !asset.chains.includes(chain))) throw new SimError('coin_not_supported');
    const fiat = String(body.fiat_symbol).toUpperCase();
    const amount = amountOf(typeof body.fiat_amount === 'number' || typeof body.fiat_amount === 'string' ? String(body.fiat_amount) : null);
    if ((amount.split('.')[1]?.length ?? 0) > 2) throw new SimError('fail_mandatory_field');
    const minimum = MIN_PURCHASE[fiat] ?? '20';
    if (compareDecimal(amount, minimum) < 0) throw new SimError('min_purchase', minimum);
    if (type !== 'transfer' && compareDecimal(amount, CARD_LIMIT[fiat] ?? '5000') > 0) throw new SimError('limit_exceded');
    // docs name the error, not a link in it: the link comes from `POST /onboarding-form`
    if (!user.reinforced && compareDecimal(amount, REINFORCED_LIMIT[fiat] ?? '3000') > 0) throw new SimError('kyc_reinforced_required');
    const price = asset.prices[fiat] ?? asset.prices.EUR!;
    const fee = multiplyDecimal(amount, type === 'transfer' ? FEE_PERCENT.transfer : FEE_PERCENT.card, 2);
    const callbackUrl = httpUrl(body.callback_url);
    const id = this.newId();
    const payment: SimPayment = {
      id,
      external_id: typeof body.external_id === 'string' ? body.external_id : null,
      user_id: user.id,
      status: 'started',
      payment_type: type,
      fiat_cents: toBaseUnits(amount, 2),
      fiat_symbol: fiat,
      coin_symbol: asset.symbol,
      coin_chain: chain,
      coin_amount: divideDecimal(subtract(subtract(amount, fee), networkFee(chain ?? '', fiat) ?? '0'), price, 6),
      wallet: String(body.wallet),
      ...(callbackUrl ? { callbackUrl } : {}),
      txid: null,
      created_at: this.timestamp(),
      updated: this.now(),
    };
    this.payments.set(id, payment);
    if (type === 'transfer') {
      // docs: the transfer answer spells its status "sucess" and gives the reference as a number
      return json({
        status: 'sucess',
        message: 'payment_created',
        data: {
          payment_id: id,
          iban: 'ES6800491500051234567892',
          bic: 'PFSSESM1XXX',
          concept: (payment.concept = this.concept++),
          destination_name: 'Fintech Payments, S.L',
        },
      });
    }
    payment.checkout = crypto.randomUUID();
    return json({
      status: 'success',
      message: 'payment_created',
      data: { url_payment: `${this.pagesUrl}/gateway/psd2?token=${payment.checkout}`, payment_id: id },
    });
  }

  private createRampoff(body: Record<string, unknown>): Response {
    if (body.user_id === undefined || body.user_id === null || body.user_id === '') throw new SimError('fail_mandatory_field');
    const user = this.user(String(body.user_id));
    if (user.banned) throw new SimError('user_banned');
    if (user.kyc !== 'valid') throw new SimError('require_kyc', undefined, user.kycFormUrl);
    const asset = SIM_ASSETS.find((a) => a.symbol === body.symbol);
    if (!asset) throw new SimError('coin_not_supported');
    const chain = user.region === 'EU' ? (typeof body.blockchain === 'string' ? body.blockchain : '') : null;
    if (user.region === 'EU') {
      if (!chain || typeof body.iban !== 'string' || !body.iban) throw new SimError('fail_mandatory_field');
      if (!asset.chains.includes(chain)) throw new SimError('coin_not_supported');
    } else if (typeof body.bank_name !== 'string' || !body.bank_name) {
      throw new SimError('fail_mandatory_field');
    }
    const amount = amountOf(typeof body.amount === 'number' || typeof body.amount === 'string' ? String(body.amount) : null);
    const id = this.newId();
    const rampoff: SimRampoff = {
      id,
      user_id: user.id,
      status: 'pending',
      blockchain: chain,
      crypto: asset.symbol,
      units: toBaseUnits(amount, asset.decimals),
      decimals: asset.decimals,
      fiat_symbol: user.fiat,
      fiat_amount: '',
      wallet: evmAddress(),
      iban: user.region === 'EU' ? String(body.iban) : null,
      bank_name: user.region === 'LATAM' ? String(body.bank_name) : null,
      created_at: this.timestamp(),
      updated: this.now(),
    };
    this.rampoffs.set(id, rampoff);
    return ok({ rampoff: 'payment created', wallet: rampoff.wallet, id });
  }

  private paymentJson(p: SimPayment): Record<string, unknown> {
    return {
      id: p.id,
      external_id: p.external_id,
      user_id: String(p.user_id), // docs: a string here, a number in requests
      status: p.status,
      fiat_amount: Number(p.fiat_cents), // docs: cents
      fiat_symbol: p.fiat_symbol,
      coin_symbol: p.coin_symbol,
      coin_chain: p.coin_chain,
      coin_amount: decimal(p.coin_amount), // docs: a JSON number
      created_at: p.created_at,
      holder: p.status === 'started' ? null : 'Ana García',
      ...(p.status === 'coins_sent' ? { txid: p.txid } : {}),
    };
  }

  private rampoffJson(r: SimRampoff): Record<string, unknown> {
    return {
      id: r.id,
      status: r.status,
      blockchain: r.blockchain,
      crypto: r.crypto,
      amount: r.units.toString(), // docs: base units as a string, with decimals
      decimals: r.decimals,
      fiat_amount: r.fiat_amount || null,
    };
  }

  // ── clock ─────────────────────────────────────────────────────────────
  /** Moves one operation (or every open one) a step forward, sending the webhooks; returns how many moved. */
  async step(id?: string): Promise<number> {
    const moves: Promise<void>[] = [];
    for (const p of this.payments.values()) if (!id || p.id === id) moves.push(...this.advancePayment(p));
    for (const r of this.rampoffs.values()) if (!id || r.id === id) moves.push(...this.advanceRampoff(r));
    await Promise.all(moves);
    return moves.length;
  }

  /** Steps until the operation is finished. */
  async finish(id: string): Promise<void> {
    for (let i = 0; i < 5 && (await this.step(id)); i++);
  }

  private async tick(afterMs: number): Promise<void> {
    const due = this.now() - afterMs;
    const ids = [...this.payments.values(), ...this.rampoffs.values()].filter((op) => op.updated <= due).map((op) => op.id);
    for (const id of ids) await this.step(id);
  }

  private advancePayment(p: SimPayment): Promise<void>[] {
    const next: Record<SimPayment['status'], SimPayment['status'] | undefined> = {
      started: p.payment_type === 'transfer' ? 'pending_bank' : 'payment_received',
      pending_bank: 'payment_received',
      payment_received: 'coins_sent',
      coins_sent: undefined,
    };
    const to = next[p.status];
    if (!to) return [];
    p.status = to;
    p.updated = this.now();
    if (to === 'coins_sent') p.txid = `0x${hex(64)}`;
    const type = to === 'payment_received' ? 'PAY_IN' : to === 'coins_sent' ? 'COINS_SENT' : undefined;
    return [type ? this.deliver(type, this.paymentJson(p)) : Promise.resolve()];
  }

  private advanceRampoff(r: SimRampoff): Promise<void>[] {
    if (r.status === 'finished') return [];
    r.updated = this.now();
    if (r.status === 'pending') {
      r.status = 'crypto_received';
      // the rate is fixed when the tokens arrive
      const asset = SIM_ASSETS.find((a) => a.symbol === r.crypto)!;
      const gross = multiplyDecimal(fromBaseUnits(r.units, r.decimals), asset.prices[r.fiat_symbol] ?? asset.prices.EUR!, 2);
      r.fiat_amount = subtract(gross, multiplyDecimal(gross, FEE_PERCENT.offramp, 2));
      return [this.deliver('CRYPTO_RECEIVED', this.rampoffJson(r))];
    }
    r.status = 'finished';
    return [this.deliver('TRANSFER_RAMPOFF_FINISHED', this.rampoffJson(r))];
  }

  private async deliver(type: string, data: Record<string, unknown>): Promise<void> {
    const targets = new Set([this.subscriptions.get(type), this.options.webhookUrl].filter((u): u is string => !!u));
    if (!targets.size || !this.options.webhookSecret || !this.webhooksEnabled || this.mutedIds.has(String(data.id))) return;
    const body = jsonBody({ event_id: crypto.randomUUID(), type, created_at: this.timestamp(), data });
    const timestamp = String(Math.floor(this.now() / 1000));
    const signature = await hmacSha256Hex(this.options.webhookSecret, body + timestamp);
    const send = this.options.fetch ?? ((...args) => globalThis.fetch(...args));
    await Promise.all(
      [...targets].map(async (url) => {
        try {
          const response = await send(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey, 'x-signature': signature, 'x-timestamp': timestamp },
            body,
            signal: AbortSignal.timeout(5000),
          });
          this.webhooks.push({ url, type, status: response.status });
        } catch (error) {
          this.webhooks.push({ url, type, status: String(error) });
        }
      }),
    );
  }

  // ── control API (not part of the CryptopocketAPI) ───────────────────────
  private async control(request: Request, url: URL): Promise<Response> {
    const action = url.pathname.slice('/_simulator/'.length);
    const body = request.method === 'POST' ? parseJson((await request.text()) || '{}') : {};
    if (action === 'state' && request.method === 'GET') return json(this.state());
    if (action === 'advance' && request.method === 'POST') {
      const id = typeof body.id === 'string' ? body.id : undefined;
      const moved = body.finish && id ? (await this.finish(id), 1) : await this.step(id);
      return json({ moved, ...this.state() });
    }
    if (action === 'fail' && request.method === 'POST') {
      const status = body.status === 'hang' || body.status === 'reset' ? body.status : Number(body.status ?? 500);
      this.fail(String(body.path ?? ''), status, Number(body.times ?? 1), body.after === true);
      return json({ ok: true });
    }
    if (action === 'webhooks' && request.method === 'POST') {
      // `{ enabled: false }` for all, or `{ enabled: false, id }` for one operation's webhooks only
      if (typeof body.id === 'string') {
        if (body.enabled === false) this.mutedIds.add(body.id);
        else this.mutedIds.delete(body.id);
      } else this.webhooksEnabled = body.enabled !== false;
      return json({ enabled: this.webhooksEnabled, muted: [...this.mutedIds] });
    }
    if (action === 'kyc' && request.method === 'POST') {
      // a customer's verification moves on (the KYC form's outcome): `{ id, status: "processing" | "valid" | "fail" }`
      const user = this.user(String(body.id ?? ''));
      user.kyc = String(body.status ?? 'valid');
      user.verifiedAt = undefined;
      return json({ id: user.id, kyc: user.kyc });
    }
    if (action === 'transfer' && request.method === 'POST') {
      // the customer's bank transfer arrives, quoting its reference: `{ concept }`
      const payment = [...this.payments.values()].find((p) => p.concept !== undefined && String(p.concept) === String(body.concept ?? ''));
      if (!payment) return json({ error: 'no bank transfer payment with that reference' }, 404);
      if (payment.status === 'started' || payment.status === 'pending_bank') await this.received(payment);
      return json({ id: payment.id, status: payment.status });
    }
    if (action === 'clock' && request.method === 'POST') {
      this.setClock(Number(body.ms ?? 0));
      return json({ ms: this.clockMs });
    }
    if (action === 'reset' && request.method === 'POST') {
      this.reset();
      return json({ ok: true });
    }
    return json({ error: 'unknown control action' }, 404);
  }

  /** Makes the next `times` calls to `path` fail with `status` (or hang, or reset); with `after`, once the work is done. */
  fail(path: string, status: SimFailure['status'], times = 1, after = false): void {
    this.failures.push({ path, status, times, after });
  }

  /** Whether webhooks are delivered (off: a merchant endpoint that is down, or a sandbox that cannot reach localhost). */
  webhooksEnabled = true;
  /** Operations whose webhooks are never delivered. */
  readonly mutedIds = new Set<string>();

  reset(): void {
    this.payments.clear();
    this.rampoffs.clear();
    this.requests.length = 0;
    this.webhooks.length = 0;
    this.failures = [];
    this.webhooksEnabled = true;
    this.mutedIds.clear();
    this.users = this.freshUsers();
  }

  state() {
    return {
      clockMs: this.clockMs,
      payments: [...this.payments.values()].map((p) => this.paymentJson(p)),
      rampoffs: [...this.rampoffs.values()].map((r) => ({ ...this.rampoffJson(r), user_id: r.user_id, wallet: r.wallet, created_at: r.created_at })),
      requests: this.requests.slice(-200),
      webhooks: this.webhooks.slice(-200),
      registered: this.users.filter((u) => u.email).map(({ id, email, kyc }) => ({ id, email, kyc })),
    };
  }

  close(): void {
    clearInterval(this.timer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private user(id: string | null): SimUser {
    const user = this.users.find((u) => String(u.id) === String(id ?? ''));
    if (!user) throw new SimError('user_not_found');
    return this.reviewed(user);
  }

  /** A submitted KYC form is reviewed on the simulator's clock: `processing` turns `valid` once its time has come. */
  private reviewed(user: SimUser): SimUser {
    if (user.kyc === 'processing' && user.verifiedAt !== undefined && this.now() >= user.verifiedAt) {
      user.kyc = 'valid';
      user.verifiedAt = undefined;
    }
    return user;
  }

  /** Whether `pathname` is one of the simulator's own pages (hosted checkout, KYC and onboarding forms), to route them here. */
  servesPage(pathname: string): boolean {
    return pathname === '/gateway/psd2' || /^\/(kyc|onboarding)\/\d+$/.test(pathname);
  }

  /**
   * The hosted card / PSD2 checkout behind `url_payment`: the customer pays (the payment is received, and the tokens
   * are sent `sendMs` later) or declines (nothing is charged; the payment stays `started`, as the API has no failed
   * state for payments), then returns to the shop through the `callback_url` of the create.
   */
  private async checkout(request: Request, url: URL): Promise<Response> {
    const token = url.searchParams.get('token') ?? '';
    const payment = [...this.payments.values()].find((p) => p.checkout && p.checkout === token);
    if (!payment) return htmlPage('Not found', '<p>This payment link is not valid.</p>', 404);
    const amount = `${fromBaseUnits(payment.fiat_cents, 2)} ${escapeHtml(payment.fiat_symbol)}`;
    const back = returnLink(payment.callbackUrl);
    if (request.method === 'POST') {
      const action = new URLSearchParams(await request.text()).get('action');
      if (action === 'pay' && payment.status === 'started') await this.received(payment);
      const paid = payment.status !== 'started';
      return htmlPage(
        paid ? 'Payment received' : 'Payment declined',
        `<p role="status">${paid ? `We received ${amount}. Your tokens are on their way.` : 'The payment was declined. Nothing was charged.'}</p>${back}`,
      );
    }
    if (payment.status !== 'started') return htmlPage('Already paid', `<p>This payment of ${amount} is already paid.</p>${back}`);
    return htmlPage(
      `Pay ${amount}`,
      `<p>${escapeHtml(payment.coin_amount)} ${escapeHtml(payment.coin_symbol)} to ${escapeHtml(payment.wallet)}. This simulated checkout stands in for the card or bank page.</p>
<form method="post"><button type="submit" name="action" value="pay">Pay ${amount}</button><button type="submit" name="action" value="decline">Decline the payment</button></form>`,
    );
  }

  /** The customer's money arrived: the payment is received, and the tokens go out `sendMs` later. */
  private async received(payment: SimPayment): Promise<void> {
    // stepped up to the payment (a transfer passes pending_bank); a step that moves nothing ends the loop
    while (payment.status !== 'payment_received' && (await this.step(payment.id)));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (payment.status === 'payment_received') void this.step(payment.id);
    }, this.options.sendMs ?? 3000);
    this.timers.add(timer);
  }

  /**
   * The provider's hosted forms, as the customer meets them: `/kyc/{id}` (identity: submitted → `processing`, then
   * `valid` after `kycReviewMs`) and `/onboarding/{id}` (source of funds: lifts `kyc_reinforced_required`). Plain
   * HTML forms without scripts; every value written into them is escaped.
   */
  private async page(request: Request, url: URL): Promise<Response> {
    const [, kind, id] = url.pathname.split('/') as [string, 'kyc' | 'onboarding', string];
    const user = this.users.find((u) => String(u.id) === id);
    if (!user) return htmlPage('Not found', '<p>There is no customer with this link.</p>', 404);
    this.reviewed(user);
    const back = returnLink(user.callbackUrl);
    if (request.method === 'POST') {
      if (kind === 'kyc' && (user.kyc === 'unused' || user.kyc === 'fail')) {
        user.kyc = 'processing';
        user.verifiedAt = this.now() + (this.options.kycReviewMs ?? 3000);
      }
      if (kind === 'onboarding') user.reinforced = true;
      const done = kind === 'kyc' ? 'Thank you. We are checking your documents; this usually takes a few seconds here.' : 'Thank you. Your limits are raised.';
      return htmlPage('Submitted', `<p role="status">${done}</p>${back}`);
    }
    const title = kind === 'kyc' ? 'Verify your identity' : 'Where your funds come from';
    const body =
      kind === 'kyc'
        ? `<p>Hello ${escapeHtml(user.name)}. This simulated form stands in for the document and selfie check.</p>
<form method="post"><label><input type="checkbox" name="document" required> I have uploaded my ID document</label>
<button type="submit">Submit for verification</button></form>`
        : `<p>Hello ${escapeHtml(user.name)}. Larger amounts need a short declaration of the origin of your funds.</p>
<form method="post"><label for="source">Source of funds</label> <select id="source" name="source"><option>Salary</option><option>Savings</option><option>Sale of property</option></select>
<button type="submit">Send the declaration</button></form>`;
    return htmlPage(title, `${user.kyc === 'valid' && kind === 'kyc' ? `<p>Your identity is already verified.</p>${back}` : body}`);
  }

  private asset(symbol: string | null): SimAsset {
    const asset = SIM_ASSETS.find((a) => a.symbol === (symbol ?? '').toUpperCase());
    if (!asset) throw new SimError('coin_not_supported');
    return asset;
  }

  private newId(): string {
    let id = '';
    for (const byte of crypto.getRandomValues(new Uint8Array(25))) id += ID_CHARS[byte % ID_CHARS.length];
    return id;
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'); // docs: microseconds
  }

  private error(code: string, message?: string, data?: string): Response {
    // docs: business errors are HTTP 200 with status "error"; min_purchase carries the minimum in `message`
    return json({ status: 'error', error: code, ...(message ? { message } : {}), ...(data ? { data } : {}) });
  }
}

class SimError extends Error {
  constructor(
    readonly code: string,
    message?: string,
    readonly data?: string,
  ) {
    super(message ?? '');
  }
}

export function createSimulator(options?: SimulatorOptions): Simulator {
  return new Simulator(options);
}

/** Every answer goes through `jsonBody`, so amounts marked with `decimal()` are exact JSON numbers. */
function json(body: Record<string, unknown>, status = 200): Response {
  return new Response(jsonBody(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A page of the simulated provider: no scripts, nothing from elsewhere. */
function htmlPage(title: string, body: string, status = 200): Response {
  const text = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Cryptopocket (simulator)</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem;margin-top:1rem;display:block}</style></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" },
  });
}

/** A `callback_url` as the API takes it: an http(s) URL, else none. */
function httpUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\//.test(value) ? value : undefined;
}

/** How a simulated page sends the customer back: to the shop's `callback_url`, or a word to close the tab. */
function returnLink(callbackUrl: string | undefined): string {
  return callbackUrl ? `<p><a href="${escapeHtml(callbackUrl)}">Return to the shop</a></p>` : '<p>You can close this tab and return to the shop.</p>';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function ok(data: unknown): Response {
  return json({ status: 'ok', data });
}

/** Lists (shape undocumented; ours): newest first, 10 a page, `{ items, next_page }`. */
function page<T extends Record<string, unknown>>(rows: T[], pageParam: string | null): { items: T[]; next_page: number | null } {
  const size = 10;
  const n = Math.max(1, Number(pageParam) || 1);
  const sorted = [...rows].reverse();
  return { items: sorted.slice((n - 1) * size, n * size), next_page: sorted.length > n * size ? n + 1 : null };
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new SimError('fail_mandatory_field');
}

function amountOf(value: string | null): string {
  if (!value || !isDecimal(value) || normalizeDecimal(value) === '0') throw new SimError('fail_mandatory_field');
  return normalizeDecimal(value);
}

function subtract(a: string, b: string): string {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  return fromBaseUnits(toBaseUnits(a, scale) - toBaseUnits(b, scale), scale);
}

function hex(length: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(length / 2)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A deposit address in EIP-55 mixed case, as wallets and real APIs write them (so a widget that changes its case shows). */
function evmAddress(): string {
  return toChecksumAddress(`0x${hex(40)}`);
}

/** A purchase's network fee on `chain` in `fiat`, when it has one (the simulator prices gas in EUR only). */
function networkFee(chain: string, fiat: string): string | undefined {
  return fiat === 'EUR' ? NETWORK_FEE[chain] : undefined;
}
