/**
 * `CryptopocketApi`: the one place on the server that knows the upstream's paths, wire names
 * (`payment_type`, `coin_chain`, `blockchain`, `external_id`…) and answer shapes. The routes speak
 * our own types; `Upstream` carries the calls (auth, timeouts, envelopes); `upstream-map.ts` holds
 * the choices where the docs are silent and the parsers.
 */
import { decimal, jsonBody } from '../lib/json.js';
import { isObject, pickString, ShapeError } from '../lib/read.js';
import { isSafeUrl } from '../lib/urls.js';
import type { Asset, BankTransferDetails, Flow, KycState } from '../types.js';
import { Upstream, UpstreamError, type UpstreamOptions } from './upstream.js';
import {
  PATHS,
  parseAssets,
  parseKyc,
  parseList,
  parsePayment,
  parsePaymentMethods,
  parsePrice,
  parseQuote,
  parseRampoff,
  upstreamUserId,
  type UpstreamOperation,
  type UpstreamQuote,
} from './upstream-map.js';

export interface NewPayment {
  userId: string;
  /** Our reference, sent as `external_id`: the create's Idempotency-Key, so reconciliation can find it. */
  reference: string;
  method: string;
  fiat: string;
  fiatAmount: string;
  symbol: string;
  chain?: string;
  wallet: string;
  callbackUrl?: string;
}

export interface NewRampoff {
  userId: string;
  amount: string;
  symbol: string;
  chain?: string;
  iban?: string;
  bankName?: string;
}

export interface PaymentCreated {
  id: string;
  paymentUrl?: string;
  bankTransfer?: BankTransferDetails;
}

export interface RampoffCreated {
  id: string;
  wallet: string;
}

export class CryptopocketApi {
  private readonly upstream: Upstream;
  /** One read per operation at a time, shared by everyone asking (status streams opening together). */
  private readonly reading = new Map<string, Promise<UpstreamOperation>>();

  constructor(options: UpstreamOptions) {
    this.upstream = new Upstream(options);
  }

  async kyc(userId: string): Promise<KycState> {
    return parseKyc((await this.upstream.call('GET', PATHS.kycCheck, { query: { user_id: userId } })).data);
  }

  async assets(userId?: string): Promise<Asset[]> {
    return parseAssets((await this.upstream.call('GET', PATHS.availableAssets, { query: { user_id: userId } })).data);
  }

  /** Creates a customer (§2.4); answers their id and, when given, the verification form's URL. */
  async registerUser(r: { name: string; email: string; callbackUrl?: string }): Promise<{ id: string; kycFormUrl?: string }> {
    const body = { name: r.name, email: r.email, ...(r.callbackUrl ? { callback_url: r.callbackUrl } : {}) };
    const { data } = await this.upstream.call('POST', PATHS.registerUser, { body: jsonBody(body) });
    if (!isObject(data)) throw new ShapeError('registerUser: no data');
    const id = data.id;
    if ((typeof id !== 'number' && typeof id !== 'string') || !/^[A-Za-z0-9_-]{1,64}$/.test(String(id))) throw new ShapeError('registerUser: no id');
    const kycFormUrl = pickString(data, 'kyc_form_url');
    return { id: String(id), ...(isSafeUrl(kycFormUrl) ? { kycFormUrl } : {}) };
  }

  /** The enhanced verification link (§2.8) a customer follows to raise their limits, when the API gives one. */
  async onboardingForm(userId: string): Promise<string | undefined> {
    const { data } = await this.upstream.call('POST', PATHS.onboardingForm, { body: jsonBody({ user_id: upstreamUserId(userId) }) });
    const url = typeof data === 'string' ? data : isObject(data) ? pickString(data, 'url', 'link', 'onboarding_url', 'form_url') : undefined;
    return isSafeUrl(url) ? url : undefined;
  }

  async paymentMethods(userId: string): Promise<string[]> {
    return parsePaymentMethods((await this.upstream.call('GET', PATHS.paymentMethods, { query: { user_id: userId } })).data);
  }

  async price(symbol: string, fiat: string): Promise<string> {
    return parsePrice((await this.upstream.call('GET', PATHS.price, { query: { symbol, fiat } })).data, fiat);
  }

  async onrampQuote(q: { amount: string; symbol: string; chain?: string; method?: string }): Promise<UpstreamQuote> {
    return parseQuote(
      (await this.upstream.call('GET', PATHS.onrampQuote, { query: { amount: q.amount, symbol: q.symbol, chain: q.chain, payment_type: q.method } })).data,
    );
  }

  async offrampQuote(q: { amount: string; symbol: string; chain?: string; fiat: string }): Promise<UpstreamQuote> {
    return parseQuote(
      (await this.upstream.call('GET', PATHS.offrampQuote, { query: { amount: q.amount, symbol: q.symbol, blockchain: q.chain, fiat_symbol: q.fiat } })).data,
    );
  }

  async createPayment(p: NewPayment): Promise<PaymentCreated> {
    const body = {
      user_id: upstreamUserId(p.userId),
      external_id: p.reference,
      payment_type: p.method,
      fiat_symbol: p.fiat,
      fiat_amount: decimal(p.fiatAmount),
      coin_symbol: p.symbol,
      ...(p.chain ? { coin_chain: p.chain } : {}),
      wallet: p.wallet,
      ...(p.callbackUrl ? { callback_url: p.callbackUrl } : {}),
    };
    const { data } = await this.upstream.call('POST', PATHS.createPayment, { body: jsonBody(body) });
    if (!isObject(data)) throw new ShapeError('createPayment: no data');
    const id = pickString(data, 'payment_id', 'id');
    if (!id) throw new ShapeError('createPayment: no payment_id');
    const result: PaymentCreated = { id };
    const paymentUrl = pickString(data, 'url_payment', 'gateway_url', 'url');
    if (isSafeUrl(paymentUrl)) result.paymentUrl = paymentUrl;
    const iban = pickString(data, 'iban');
    if (iban) {
      result.bankTransfer = {
        iban,
        bic: pickString(data, 'bic') ?? '',
        beneficiary: pickString(data, 'destination_name', 'beneficiary') ?? '',
        reference: pickString(data, 'concept', 'reference') ?? '',
      };
    }
    return result;
  }

  async createRampoff(r: NewRampoff): Promise<RampoffCreated> {
    const body = {
      user_id: upstreamUserId(r.userId),
      amount: decimal(r.amount),
      symbol: r.symbol,
      ...(r.chain ? { blockchain: r.chain } : {}),
      ...(r.iban ? { iban: r.iban } : {}),
      ...(r.bankName ? { bank_name: r.bankName } : {}),
    };
    const { data } = await this.upstream.call('POST', PATHS.createRampoff, { body: jsonBody(body) });
    if (!isObject(data)) throw new ShapeError('createRampoff: no data');
    const id = pickString(data, 'id');
    const wallet = pickString(data, 'wallet', 'address');
    if (!id || !wallet) throw new ShapeError('createRampoff: no id or wallet');
    return { id, wallet };
  }

  /** One operation as the upstream has it now; `*_not_found` answers become `not_found`. Concurrent reads share one call. */
  operation(flow: Flow, id: string): Promise<UpstreamOperation> {
    const key = `${flow}:${id}`;
    let read = this.reading.get(key);
    if (!read) {
      read = this.readOperation(flow, id).finally(() => this.reading.delete(key));
      this.reading.set(key, read);
    }
    return read;
  }

  private async readOperation(flow: Flow, id: string): Promise<UpstreamOperation> {
    try {
      return flow === 'onramp'
        ? parsePayment((await this.upstream.call('GET', PATHS.payment(id))).data)
        : parseRampoff((await this.upstream.call('GET', PATHS.rampoff, { query: { id } })).data);
    } catch (error) {
      if (error instanceof UpstreamError && (/not_found$/.test(error.code) || error.status === 404))
        throw new UpstreamError('not_found', 'No such operation.', error.status);
      throw error;
    }
  }

  /** One page of the user's operations of a flow (the upstream's own filter is not trusted: callers check owners). */
  async list(flow: Flow, userId: string, page?: string): Promise<{ items: UpstreamOperation[]; next?: string }> {
    const path = flow === 'onramp' ? PATHS.payments : PATHS.rampoffs;
    return parseList((await this.upstream.call('GET', path, { query: { user_id: userId, page } })).data, flow);
  }
}

export type { UpstreamOperation, UpstreamQuote } from './upstream-map.js';
