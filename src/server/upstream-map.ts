/**
 * Every choice made where the CryptopocketAPI docs are silent, in one place (see
 * `../shared/cryptopocket-api.md` §5). Documented items are marked "docs"; the rest are our
 * choice, parsed defensively (plausible shapes accepted, unknown fields ignored) so they are easy
 * to change when the real shapes are known.
 */
import { centsToDecimal, compareDecimal, fromBaseUnits, isDecimal, numberToDecimal } from '../lib/money.js';
import type { Json, JsonObject } from '../lib/read.js';
import { ShapeError, asObject, isObject, pickString } from '../lib/read.js';
import { normalizeKyc, normalizeStatus } from '../lib/status.js';
import type { Asset, Flow, KycState, Operation } from '../types.js';

export const PATHS = {
  /** docs (guide): `GET /api/kyc/check?user_id=` → `kyc_status` */
  kycCheck: '/api/kyc/check',
  /** docs (guide) path; response shape ours: `data: [{ symbol, name?, decimals, chains: [] }]` */
  availableAssets: '/api/available-assets',
  /** ours: `GET /api/price?symbol=&fiat=` → `data: { price }` */
  price: '/api/price',
  /** ours: `GET /api/payment-methods?user_id=` → `data: ["card", …]` or `[{ code|id|name }]` */
  paymentMethods: '/api/payment-methods',
  /** docs (guide): `GET /api/quote?amount=&symbol=&chain=&payment_type=`; response ours: `data: { coin_amount, rate?, fee? }` */
  onrampQuote: '/api/quote',
  /** docs */
  createPayment: '/api/createPayment',
  /** docs: `GET /api/payment/{id}` */
  payment: (id: string) => `/api/payment/${encodeURIComponent(id)}`,
  /** ours: `GET /api/payments?user_id=&page=` → `data: [payment…]` or `{ items|data: [], next_page? }`; rows as `GET /api/payment/{id}` (with `external_id`) */
  payments: '/api/payments',
  /** ours: `GET /api/rampoff/quote?amount=&symbol=&blockchain=&fiat_symbol=` → `data: { fiat_amount, rate?, fee? }` */
  offrampQuote: '/api/rampoff/quote',
  /** docs */
  createRampoff: '/api/createRampoff',
  /** docs: `GET /api/getRampoff?id=` */
  rampoff: '/api/getRampoff',
  /**
   * docs (guide, §2.4): `POST /api/registerUser` with `name`, `email`, `callback_url?` → `data: { id, kyc_form_url }`.
   * Its `user_already_exists` is answered as such: the API's Find User has no documented path or shape, so the handler
   * does not guess one; the user is told an account exists for that email (to use the merchant's support, or another email).
   */
  registerUser: '/api/registerUser',
  /**
   * docs (§2.8, "in testing"): `POST /onboarding-form` with `{ user_id }`, under the API base like the rest; the answer's
   * field is not documented, ours: `data: { url }` (also read: `link`, `onboarding_url`, `form_url`, or `data` itself).
   * Asked when a create meets `kyc_reinforced_required` without a link.
   */
  onboardingForm: '/api/onboarding-form',
  /** ours: `GET /api/rampoffs?user_id=&page=` → like payments; each row also carries `user_id`, `wallet` (the deposit address) and `created_at`, which reconciliation matches on */
  rampoffs: '/api/rampoffs',
} as const;

/** docs: the EU payment methods, used when the payment-methods call fails. */
export const DEFAULT_EU_METHODS = ['card', 'paypal', 'psd2', 'transfer'];

/** Ours: when available-assets fails, the guide's example pair (USDC on polygon, the default chain). */
export const DEFAULT_ASSETS: Asset[] = [{ symbol: 'USDC', decimals: 6, chains: ['polygon'] }];

/** Ours: the LATAM fiat when the backend names none (the docs' example). */
export const DEFAULT_LATAM_FIAT = 'ARS';

/**
 * docs: webhook event types → flow and the upstream status they mean. The payload is not
 * published; ours: JSON `{ event_id?, type|event, data: { id|payment_id|rampoff_id, … } }`.
 */
export const WEBHOOK_EVENTS: Record<string, { flow: Flow; raw: string }> = {
  PAY_IN: { flow: 'onramp', raw: 'payment_received' },
  COINS_SENT: { flow: 'onramp', raw: 'coins_sent' },
  CRYPTO_RECEIVED: { flow: 'offramp', raw: 'crypto_received' },
  TRANSFER_RAMPOFF_FINISHED: { flow: 'offramp', raw: 'finished' },
  RAMPOFF_FINISHED: { flow: 'offramp', raw: 'finished' },
};

/** Numeric ids go upstream as numbers (docs: `"user_id": 106`). */
export function upstreamUserId(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

export function parseKyc(data: Json): KycState {
  const raw = isObject(data) ? pickString(data, 'kyc_status', 'status') : typeof data === 'string' ? data : undefined;
  if (!raw) throw new ShapeError('kyc: missing kyc_status');
  const url = isObject(data) ? pickString(data, 'kyc_form_url', 'url', 'link') : undefined;
  return { status: normalizeKyc(raw), raw, ...(url ? { url } : {}) };
}

export function parseAssets(data: Json): Asset[] {
  const list = listOf(data, 'assets', 'coins');
  if (list) {
    const assets = list.filter(isObject).map((item) => {
      const symbol = pickString(item, 'symbol', 'coin_symbol', 'coin', 'token');
      const chainsValue = item.chains ?? item.blockchains ?? item.networks ?? item.chain ?? item.blockchain;
      const chains = Array.isArray(chainsValue)
        ? chainsValue.map((c) => (typeof c === 'string' ? c : isObject(c) ? pickString(c, 'chain', 'name', 'id') : undefined))
        : [typeof chainsValue === 'string' ? chainsValue : undefined];
      const decimals = Number(pickString(item, 'decimals') ?? 18);
      const name = pickString(item, 'name');
      return symbol
        ? {
            symbol: symbol.toUpperCase(),
            decimals: Number.isInteger(decimals) ? decimals : 18,
            chains: chains.filter((c): c is string => !!c),
            ...(name ? { name } : {}),
          }
        : undefined;
    });
    return mergeAssets(assets.filter((a): a is Asset => !!a));
  }
  // { "USDC": ["polygon", "bsc"], … }
  if (isObject(data)) {
    return Object.entries(data)
      .filter(([, chains]) => Array.isArray(chains))
      .map(([symbol, chains]) => ({
        symbol: symbol.toUpperCase(),
        decimals: 18,
        chains: (chains as Json[]).filter((c): c is string => typeof c === 'string'),
      }));
  }
  throw new ShapeError('available assets: unknown shape');
}

/** One entry per symbol (an API may list one row per symbol+chain pair). */
function mergeAssets(assets: Asset[]): Asset[] {
  const bySymbol = new Map<string, Asset>();
  for (const asset of assets) {
    const known = bySymbol.get(asset.symbol);
    if (known) known.chains = [...new Set([...known.chains, ...asset.chains])];
    else bySymbol.set(asset.symbol, { ...asset, chains: [...asset.chains] });
  }
  return [...bySymbol.values()];
}

export function parsePaymentMethods(data: Json): string[] {
  const list = listOf(data, 'methods', 'payment_methods');
  if (!list) throw new ShapeError('payment methods: unknown shape');
  const methods = list.map((item) => (typeof item === 'string' ? item : isObject(item) ? pickString(item, 'code', 'id', 'payment_type', 'name') : undefined));
  return methods.filter((m): m is string => !!m);
}

export function parsePrice(data: Json, fiat: string): string {
  if (typeof data === 'number' || typeof data === 'string') return amount(data, 'price');
  const obj = asObject(data, 'price');
  const value = obj.price ?? obj.rate ?? obj[fiat] ?? obj[fiat.toLowerCase()];
  if (value === undefined) throw new ShapeError('price: missing price');
  return amount(value, 'price');
}

export interface UpstreamQuote {
  tokenAmount?: string;
  fiatAmount?: string;
  rate?: string;
  fee?: string;
  networkFee?: string;
}

export function parseQuote(data: Json): UpstreamQuote {
  const obj = asObject(data, 'quote');
  const pick = (...keys: string[]) => {
    for (const key of keys) if (obj[key] !== undefined && obj[key] !== null) return amount(obj[key]!, `quote ${key}`);
    return undefined;
  };
  return {
    tokenAmount: pick('coin_amount', 'crypto_amount', 'amount_out', 'tokens'),
    fiatAmount: pick('fiat_amount', 'fiat', 'amount_fiat'),
    rate: pick('rate', 'price', 'exchange_rate'),
    fee: pick('fee', 'fees', 'total_fee'),
    // undocumented: a network (gas) fee, when the API names one apart
    networkFee: pick('network_fee', 'gas_fee'),
  };
}

/** An operation as read from upstream: ours, plus the owner and our reference the upstream reports (never sent to the browser). */
export type UpstreamOperation = Operation & { userId?: string; externalId?: string };

/** docs: `GET /api/payment/{id}`, `fiat_amount` in cents, `coin_amount` a number, `txid` once `coins_sent`. */
export function parsePayment(data: Json): UpstreamOperation {
  const obj = asObject(data, 'payment');
  const raw = pickString(obj, 'status') ?? 'unknown';
  const cents = obj.fiat_amount;
  const userId = pickString(obj, 'user_id');
  const op: UpstreamOperation = {
    id: requireId(obj, 'payment', 'id', 'payment_id'),
    flow: 'onramp',
    status: normalizeStatus('onramp', raw),
    raw,
  };
  if ((typeof cents === 'number' && Number.isSafeInteger(cents) && cents >= 0) || (typeof cents === 'string' && /^\d{1,18}$/.test(cents)))
    op.fiatAmount = centsToDecimal(cents);
  else if (cents !== undefined && cents !== null) throw new ShapeError('payment fiat_amount: not an amount in cents');
  if (obj.coin_amount !== undefined && obj.coin_amount !== null) op.tokenAmount = amount(obj.coin_amount, 'payment coin_amount');
  assign(op, 'fiat', pickString(obj, 'fiat_symbol'));
  assign(op, 'symbol', pickString(obj, 'coin_symbol', 'symbol'));
  assign(op, 'chain', pickString(obj, 'coin_chain', 'chain'));
  assign(op, 'txid', pickString(obj, 'txid', 'tx_id', 'hash'));
  assign(op, 'createdAt', pickString(obj, 'created_at'));
  assign(op, 'userId', userId);
  assign(op, 'externalId', pickString(obj, 'external_id'));
  return op;
}

/** docs: `GET /api/getRampoff?id=`, `amount` a base-unit string with `decimals`, `fiat_amount` a decimal string. */
export function parseRampoff(data: Json): UpstreamOperation {
  const obj = asObject(data, 'rampoff');
  const raw = pickString(obj, 'status') ?? 'unknown';
  const op: UpstreamOperation = {
    id: requireId(obj, 'rampoff', 'id'),
    flow: 'offramp',
    status: normalizeStatus('offramp', raw),
    raw,
  };
  const units = pickString(obj, 'amount');
  const decimals = Number(pickString(obj, 'decimals'));
  if (units && /^\d+$/.test(units) && Number.isInteger(decimals) && decimals >= 0 && decimals <= 36) op.tokenAmount = fromBaseUnits(units, decimals);
  else if (units && isDecimal(units)) op.tokenAmount = units;
  if (obj.fiat_amount !== undefined && obj.fiat_amount !== null) op.fiatAmount = amount(obj.fiat_amount, 'rampoff fiat_amount');
  assign(op, 'symbol', pickString(obj, 'crypto', 'symbol'));
  assign(op, 'chain', pickString(obj, 'blockchain', 'chain'));
  assign(op, 'fiat', pickString(obj, 'fiat_symbol', 'fiat'));
  assign(op, 'wallet', pickString(obj, 'wallet'));
  assign(op, 'createdAt', pickString(obj, 'created_at'));
  assign(op, 'userId', pickString(obj, 'user_id'));
  return op;
}

/** A list response: a bare array, or `{ items|data|… : [], next_page? }`. */
export function parseList(data: Json, flow: Flow): { items: UpstreamOperation[]; next?: string } {
  const list = listOf(data, 'items', 'payments', 'rampoffs', 'operations');
  if (!list) throw new ShapeError('list: unknown shape');
  const parse = flow === 'onramp' ? parsePayment : parseRampoff;
  const items = list.flatMap((item) => {
    try {
      return [parse(item)];
    } catch {
      return []; // one bad row must not hide the others
    }
  });
  const next = isObject(data) ? pickString(data, 'next_page', 'next', 'next_cursor') : undefined;
  return next ? { items, next } : { items };
}

function listOf(data: Json, ...keys: string[]): Json[] | undefined {
  if (Array.isArray(data)) return data;
  if (isObject(data)) {
    for (const key of ['data', ...keys]) {
      const value = data[key];
      if (Array.isArray(value)) return value;
    }
  }
  return undefined;
}

function amount(value: Json, what: string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new ShapeError(`${what}: not an amount`);
    return numberToDecimal(value);
  }
  if (typeof value === 'string' && isDecimal(value.trim())) return value.trim();
  throw new ShapeError(`${what}: not an amount`);
}

function requireId(obj: JsonObject, what: string, ...keys: string[]): string {
  const id = pickString(obj, ...keys);
  if (!id) throw new ShapeError(`${what}: missing id`);
  return id;
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * Ours: how a create whose answer was lost (timeout, reset, a 5xx after sending) is found again, so it is never
 * sent twice. The docs promise no idempotency; these are the rules reconciliation follows.
 * - Onramp: the payment whose `external_id` is our reference (the create's Idempotency-Key), in the user's payments.
 * - Offramp (the create takes no reference): a rampoff of the same user with the same symbol, the same network
 *   (when both name one) and the same token amount, created from `RECONCILE_SKEW_MS` before the attempt to the end
 *   of the window, that no other create has claimed; the oldest such row wins.
 * - The user's first `RECONCILE_PAGES` pages are searched (newest first).
 */
export const RECONCILE_SKEW_MS = 60_000;
export const RECONCILE_PAGES = 3;

export interface RampoffAttempt {
  symbol: string;
  chain?: string;
  amount: string;
  /** When the create was sent (ms since the epoch). */
  at: number;
}

export function matchesPayment(row: UpstreamOperation, reference: string, userId: string): boolean {
  return row.userId === userId && row.externalId === reference;
}

export function matchesRampoff(row: UpstreamOperation, attempt: RampoffAttempt, userId: string, windowMs: number): boolean {
  if (row.userId !== undefined && row.userId !== userId) return false;
  if (!row.symbol || row.symbol.toUpperCase() !== attempt.symbol.toUpperCase()) return false;
  if (attempt.chain && row.chain && row.chain.toLowerCase() !== attempt.chain.toLowerCase()) return false;
  if (!row.tokenAmount || !isDecimal(row.tokenAmount) || compareDecimal(row.tokenAmount, attempt.amount) !== 0) return false;
  const created = row.createdAt ? Date.parse(row.createdAt) : NaN;
  return Number.isFinite(created) && created >= attempt.at - RECONCILE_SKEW_MS && created <= attempt.at + windowMs;
}
