/**
 * What every route shares: the user, the options, the upstream client, the store, the ledger and the follower,
 * the input checks (run before anything goes upstream) and the ownership records that decide whose an operation is.
 */
import { compareDecimal, isDecimal, normalizeDecimal } from '../lib/money.js';
import type { AmountLimits, Asset, Flow, Operation, OperationList, Region, Support, Terms } from '../types.js';
import type { CryptopocketApi, UpstreamOperation } from './api.js';
import type { EventBus } from './bus.js';
import type { StatusFollower } from './follower.js';
import { HttpError } from './http.js';
import type { Ledger } from './ledger.js';
import type { Limits } from './limits.js';
import type { KeyValueStore } from './store.js';
import { DEFAULT_LATAM_FIAT } from './upstream-map.js';

/** The logged-in user, as the merchant's backend knows them. */
export interface SessionUser {
  /**
   * The CryptopocketAPI customer id (`user_id`), when the merchant has one. Without it, the handler looks up the id
   * it stored at registration for `merchantUserId`; with neither, the user has no account yet (`account: "none"`).
   */
  id?: string | number;
  /** The merchant's own id for the user: the key of the registration, and of the stored Cryptopocket id. */
  merchantUserId?: string;
  /** For registration: the user's name and email as the merchant knows them. */
  name?: string;
  email?: string;
  region: Region;
  /** The user's fiat currency (LATAM: e.g. `ARS`); EU is always `EUR`. */
  fiat?: string;
  /** Where the user completes KYC (`kyc_form_url` from registration). */
  kycUrl?: string;
  /** Payout account holder shown next to the IBAN field. */
  accountHolder?: string;
}

export interface Context {
  api: CryptopocketApi;
  store: Required<KeyValueStore>;
  bus: EventBus;
  ledger: Ledger;
  follower: StatusFollower;
  limits: Limits;
  log: (line: string) => void;
  now: () => number;
  maxBodyBytes: number;
  heartbeatMs: number;
  /** The assets the API offers (cached for a few minutes); `undefined` while the API cannot say. */
  assets: () => Promise<Asset[] | undefined>;
  /** The merchant's amount limits (see `SessionHandlerOptions.amountLimits`). */
  amountLimits: AmountLimits;
  support?: Support;
  /** Terms every create must carry `acceptedTerms: true` for (see `SessionHandlerOptions.terms`). */
  terms?: Terms;
  registration: RegistrationOptions;
  /** Seconds a quote is shown before the widget asks again (see `SessionHandlerOptions.quoteValidFor`). */
  quoteValidFor: number;
}

/** How the widget registers a user without an account (see `SessionHandlerOptions`). */
export interface RegistrationOptions {
  /** The fields the user may change on the registration screen (the others are the merchant's, read-only). */
  editable?: ('name' | 'email')[];
  /** The provider's terms the user accepts by registering (an `https:` page). */
  termsUrl?: string;
  /** Where the verification page sends the user back (default: the page the widget is on). */
  callbackUrl?: string;
  /** Receives the new Cryptopocket id, once per merchant user: store it and return it as `id` from `resolveUser`. */
  onUserRegistered?: (user: SessionUser, cryptopocketUserId: string, kycFormUrl: string | undefined) => void | Promise<void>;
}

/** Where the handler keeps a registered user's Cryptopocket id (for merchants that do not store it themselves). */
export const accountKey = (merchantUserId: string) => `account:${merchantUserId}`;
/** Where the handler keeps the verification link of an account it registered (for the KYC gate). */
export const kycFormKey = (merchantUserId: string) => `kycform:${merchantUserId}`;
/** Ten years: the mapping is the user's account, not a cache. */
export const ACCOUNT_TTL = 10 * 365 * 24 * 60 * 60 * 1000;

export interface RouteInput {
  request: Request;
  url: URL;
  params: Record<string, string>;
  user: SessionUser;
  userId: string;
}

export type Route = (ctx: Context, input: RouteInput) => Promise<Response>;

/** Our record of an operation created through this handler: whose it is, which create made it, what the status needs. */
export interface OwnerRecord {
  userId: string;
  /** The Idempotency-Key of the create (claims the operation for it). */
  key?: string;
  symbol?: string;
  chain?: string;
  fiat?: string;
  amount?: string;
  wallet?: string;
  ibanMasked?: string;
  method?: string;
  paymentUrl?: string;
  bankTransfer?: Operation['bankTransfer'];
}

export const OWNER_TTL = 30 * 24 * 60 * 60 * 1000;

export async function ownerOf(ctx: Context, flow: Flow, id: string): Promise<OwnerRecord | undefined> {
  const text = await ctx.store.get(`owner:${flow}:${id}`);
  return text ? (JSON.parse(text) as OwnerRecord) : undefined;
}

/**
 * Whether the user owns the operation: the upstream's `user_id` where it gives one, else our record. An operation
 * neither names is nobody's (not shown).
 */
export function owns(userId: string, op: UpstreamOperation, record: OwnerRecord | undefined): boolean {
  if (record && record.userId !== userId) return false;
  return op.userId !== undefined ? op.userId === userId : record !== undefined;
}

/** The operation for the browser: our record fills what the upstream leaves out; no owner or reference fields. */
export function present(op: UpstreamOperation, record: OwnerRecord | undefined): Operation {
  const { userId: _owner, externalId: _reference, ...result } = op;
  if (!record) return result;
  for (const key of ['symbol', 'chain', 'fiat', 'wallet', 'ibanMasked', 'method', 'paymentUrl'] as const)
    if (result[key] === undefined && record[key]) result[key] = record[key];
  if (record.bankTransfer && (result.status === 'created' || result.status === 'payment_pending')) result.bankTransfer = record.bankTransfer;
  if (op.flow === 'offramp' && result.tokenAmount === undefined && record.amount) result.tokenAmount = record.amount;
  return result;
}

/** One operation of the user; another user's and an unknown one get the same 404. */
export async function operationFor(ctx: Context, flow: Flow, id: string, userId: string): Promise<{ op: Operation; record?: OwnerRecord }> {
  const record = await ownerOf(ctx, flow, id);
  if (record && record.userId !== userId) throw new HttpError(404, 'not_found', 'No such operation.');
  const op = await ctx.api.operation(flow, id);
  if (!owns(userId, op, record)) throw new HttpError(404, 'not_found', 'No such operation.');
  return { op: present(op, record), ...(record ? { record } : {}) };
}

/** One page of the user's operations, filtered by the handler itself: a row whose owner is unknown or another is dropped. */
export async function listFor(ctx: Context, flow: Flow, userId: string, page?: string): Promise<OperationList> {
  const parsed = await ctx.api.list(flow, userId, page);
  const records = await Promise.all(parsed.items.map((row) => ownerOf(ctx, flow, row.id)));
  const items = parsed.items.flatMap((row, i) => (owns(userId, row, records[i]) ? [present(row, records[i])] : [])).sort(newestFirst);
  return parsed.next ? { items, next: parsed.next } : { items };
}

export function newestFirst(a: Operation, b: Operation): number {
  return (b.createdAt ?? '').localeCompare(a.createdAt ?? '');
}

// ── input: checked before anything goes upstream ───────────────────────────

const MAX_INTEGER_DIGITS = 15;

/** A positive decimal amount with at most `decimals` fraction digits and no exponent, sign or spaces. */
export function checkAmount(value: unknown, decimals: number): string {
  if (typeof value !== 'string' || value.length > MAX_INTEGER_DIGITS + 1 + decimals || !isDecimal(value))
    throw new HttpError(400, 'invalid_amount', 'Enter an amount greater than zero.');
  const normalized = normalizeDecimal(value);
  const [int = '', frac = ''] = normalized.split('.');
  if (normalized === '0') throw new HttpError(400, 'invalid_amount', 'Enter an amount greater than zero.');
  if (int.length > MAX_INTEGER_DIGITS) throw new HttpError(400, 'invalid_amount', 'This amount is too large.');
  if (frac.length > decimals) throw new HttpError(400, 'invalid_amount', `At most ${decimals} decimal places.`, { decimals: String(decimals) });
  return normalized;
}

/** Refuses an amount outside the merchant's limits for a flow and its unit (the fiat of a purchase, the token of a sale). */
export function checkRange(ctx: Context, flow: Flow, unit: string, amount: string): void {
  const range = ctx.amountLimits[flow]?.[unit];
  if (range?.min && compareDecimal(amount, range.min) < 0)
    throw new HttpError(422, 'amount_below_minimum', `The minimum is ${range.min} ${unit}.`, { minimum: range.min, unit });
  if (range?.max && compareDecimal(amount, range.max) > 0)
    throw new HttpError(422, 'amount_above_maximum', `The maximum is ${range.max} ${unit}.`, { maximum: range.max, unit });
}

/** The handler's `amountLimits` option, checked once at start-up: a limit that is no decimal is a configuration error. */
export function checkedAmountLimits(limits: AmountLimits = {}): AmountLimits {
  for (const flow of ['onramp', 'offramp'] as const) {
    for (const [unit, range] of Object.entries(limits[flow] ?? {})) {
      for (const value of [range.min, range.max])
        if (value !== undefined && !isDecimal(value)) throw new TypeError(`amountLimits.${flow}.${unit}: "${value}" is not a decimal string`);
      if (range.min && range.max && compareDecimal(range.min, range.max) > 0) throw new TypeError(`amountLimits.${flow}.${unit}: min is above max`);
    }
  }
  return limits;
}

/** A page an option names (terms, privacy, support), checked once at start-up: an `https:` URL, or absent. */
export function checkedPage(url: string | undefined, option: string): void {
  if (url !== undefined && !/^https:\/\/\S+$/.test(url)) throw new TypeError(`${option} must be an https: URL`);
}

/** Where the provider may send the user back (`callback_url`): an http(s) URL that parses. */
export function isCallbackUrl(url: string): boolean {
  return /^https?:\/\/\S{1,2000}$/.test(url) && URL.canParse(url);
}

/** The handler's `terms` option, checked once at start-up: `https:` pages. */
export function checkedTerms(terms: Terms): Terms {
  checkedPage(terms.url, 'terms.url');
  checkedPage(terms.privacyUrl, 'terms.privacyUrl');
  return terms;
}

/** The handler's `support` option, checked once at start-up: an `https:` URL and/or an email address. */
export function checkedSupport(support: Support): Support {
  checkedPage(support.url, 'support.url');
  if (support.email !== undefined && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(support.email)) throw new TypeError('support.email is not an email address');
  return support;
}

/** Fiat amounts: two decimals. */
export const FIAT_DECIMALS = 2;

/** No token has more (the widest, ETH and most ERC-20s, have 18); the asset's own decimals are checked once it is known. */
export const MAX_TOKEN_DECIMALS = 18;

export function requiredParam(q: URLSearchParams, key: string): string {
  const value = q.get(key);
  if (!value || value.length > 64) throw new HttpError(400, 'invalid_request', `${key} is required.`);
  return value;
}

export function bodyString(body: Record<string, unknown>, key: string, max = 256): string {
  const value = body[key];
  if (typeof value !== 'string' || !value.trim() || value.length > max) throw new HttpError(400, 'invalid_request', `${key} is required.`);
  return value.trim();
}

export function fiatFor(user: SessionUser, requested?: string | null): string {
  const fiat = user.region === 'EU' ? 'EUR' : (user.fiat ?? DEFAULT_LATAM_FIAT).toUpperCase();
  if (requested && requested.toUpperCase() !== fiat) throw new HttpError(422, 'fiat_not_supported', `Only ${fiat} is available.`);
  return fiat;
}

/**
 * The asset and network of a request, checked against what the API offers: an unknown symbol or network is a 400
 * before anything goes upstream. LATAM sends no network (docs). When the API cannot list its assets right now, the
 * names are only checked for shape, with 18 decimals at most.
 */
export async function assetFor(
  ctx: Context,
  user: SessionUser,
  symbolValue: unknown,
  chainValue: unknown,
): Promise<{ symbol: string; chain?: string; decimals: number }> {
  if (typeof symbolValue !== 'string' || !/^[A-Za-z0-9]{1,16}$/.test(symbolValue)) throw new HttpError(400, 'unknown_asset', 'This token is not available.');
  const symbol = symbolValue.toUpperCase();
  const latam = user.region === 'LATAM';
  if (!latam && (typeof chainValue !== 'string' || !/^[a-z0-9_-]{1,32}$/i.test(chainValue)))
    throw new HttpError(400, 'invalid_request', 'A network is required.');
  const chain = latam ? undefined : (chainValue as string).toLowerCase();
  const assets = await ctx.assets();
  if (!assets) return { symbol, ...(chain ? { chain } : {}), decimals: MAX_TOKEN_DECIMALS };
  const asset = assets.find((a) => a.symbol === symbol);
  if (!asset) throw new HttpError(400, 'unknown_asset', 'This token is not available.');
  if (chain && !asset.chains.includes(chain)) throw new HttpError(400, 'unknown_chain', 'This token is not available on this network.');
  return { symbol, ...(chain ? { chain } : {}), decimals: asset.decimals };
}
