/**
 * Readers for the session protocol's answers (browser side): each validates the shape before the
 * widget uses it, so a wrong answer is a typed error, never `undefined` or `NaN` on screen.
 */
import { normalizeStatus } from './status.js';
import { isSafeUrl } from './urls.js';
import { ShapeError, asArray, asObject, asStringArray, optionalDecimal, pickString, requireDecimal, requireString } from './read.js';
import type { Asset, BankTransferDetails, CreatedPayment, CreatedRampoff, Flow, KycState, Operation, OperationList, PriceQuote, Quote, RampConfig, RampStatus } from '../types.js';

const STATUSES: RampStatus[] = ['created', 'payment_pending', 'funds_received', 'processing', 'completed', 'failed', 'expired'];

export function parseConfig(body: unknown): RampConfig {
  const obj = asObject(body, 'config');
  const region = obj.region;
  if (region !== 'EU' && region !== 'LATAM') throw new ShapeError('config: region must be EU or LATAM');
  const fiats = asStringArray(obj.fiats, 'config fiats');
  if (!fiats.length) throw new ShapeError('config: no fiat currency');
  const assets = asArray(obj.assets, 'config assets').map((item): Asset => {
    const asset = asObject(item, 'asset');
    const decimals = asset.decimals;
    if (typeof decimals !== 'number' || !Number.isInteger(decimals) || decimals < 0 || decimals > 36) throw new ShapeError('asset: bad decimals');
    const name = pickString(asset, 'name');
    return { symbol: requireString(asset, 'asset', 'symbol'), decimals, chains: asStringArray(asset.chains ?? [], 'asset chains'), ...(name ? { name } : {}) };
  });
  if (!assets.length) throw new ShapeError('config: no assets');
  const kycObj = asObject(obj.kyc, 'config kyc');
  const kycStatus = kycObj.status;
  if (kycStatus !== 'valid' && kycStatus !== 'pending' && kycStatus !== 'failed') throw new ShapeError('config: bad kyc status');
  const url = pickString(kycObj, 'url');
  const kyc: KycState = { status: kycStatus, raw: pickString(kycObj, 'raw') ?? kycStatus, ...(isSafeUrl(url) ? { url } : {}) };
  const accountHolder = pickString(obj, 'accountHolder');
  return {
    region,
    fiats,
    assets,
    paymentMethods: asStringArray(obj.paymentMethods ?? [], 'config paymentMethods'),
    kyc,
    stream: obj.stream === true,
    ...(accountHolder ? { accountHolder } : {}),
  };
}

export function parsePrice(body: unknown): PriceQuote {
  const obj = asObject(body, 'price');
  return { symbol: requireString(obj, 'price', 'symbol'), fiat: requireString(obj, 'price', 'fiat'), price: requireDecimal(obj, 'price', 'price') };
}

export function parseQuote(body: unknown): Quote {
  const obj = asObject(body, 'quote');
  const flow = obj.flow;
  if (flow !== 'onramp' && flow !== 'offramp') throw new ShapeError('quote: bad flow');
  const chain = pickString(obj, 'chain');
  const rate = optionalDecimal(obj, 'quote', 'rate');
  const fee = optionalDecimal(obj, 'quote', 'fee');
  return {
    flow,
    symbol: requireString(obj, 'quote', 'symbol'),
    fiat: requireString(obj, 'quote', 'fiat'),
    fiatAmount: requireDecimal(obj, 'quote', 'fiatAmount'),
    tokenAmount: requireDecimal(obj, 'quote', 'tokenAmount'),
    source: obj.source === 'price' ? 'price' : 'quote',
    ...(chain ? { chain } : {}),
    ...(rate ? { rate } : {}),
    ...(fee ? { fee } : {}),
  };
}

export function parseOperation(body: unknown, expectedFlow?: Flow): Operation {
  const obj = asObject(body, 'operation');
  const flow = obj.flow;
  if (flow !== 'onramp' && flow !== 'offramp') throw new ShapeError('operation: bad flow');
  if (expectedFlow && flow !== expectedFlow) throw new ShapeError('operation: wrong flow');
  const raw = requireString(obj, 'operation', 'raw');
  const status = STATUSES.includes(obj.status as RampStatus) ? (obj.status as RampStatus) : normalizeStatus(flow, raw);
  const op: Operation = { id: requireString(obj, 'operation', 'id'), flow, status, raw };
  for (const key of ['symbol', 'chain', 'fiat', 'wallet', 'txid', 'ibanMasked', 'createdAt', 'method'] as const) {
    const value = pickString(obj, key);
    if (value) op[key] = value;
  }
  const paymentUrl = pickString(obj, 'paymentUrl');
  if (isSafeUrl(paymentUrl)) op.paymentUrl = paymentUrl;
  if (obj.bankTransfer !== undefined && obj.bankTransfer !== null) op.bankTransfer = parseBankTransfer(obj.bankTransfer);
  const fiatAmount = optionalDecimal(obj, 'operation', 'fiatAmount');
  const tokenAmount = optionalDecimal(obj, 'operation', 'tokenAmount');
  if (fiatAmount) op.fiatAmount = fiatAmount;
  if (tokenAmount) op.tokenAmount = tokenAmount;
  return op;
}

export function parseOperationList(body: unknown, flow: Flow): OperationList {
  const obj = asObject(body, 'list');
  const items = asArray(obj.items, 'list items').map((item) => parseOperation(item, flow));
  const next = pickString(obj, 'next');
  return next ? { items, next } : { items };
}

export function parseCreatedRampoff(body: unknown): CreatedRampoff {
  const obj = asObject(body, 'rampoff');
  return { id: requireString(obj, 'rampoff', 'id'), wallet: requireString(obj, 'rampoff', 'wallet') };
}

export function parseCreatedPayment(body: unknown): CreatedPayment {
  const obj = asObject(body, 'payment');
  const result: CreatedPayment = { id: requireString(obj, 'payment', 'id'), method: requireString(obj, 'payment', 'method') };
  const paymentUrl = pickString(obj, 'paymentUrl');
  if (isSafeUrl(paymentUrl)) result.paymentUrl = paymentUrl;
  if (obj.bankTransfer !== undefined) result.bankTransfer = parseBankTransfer(obj.bankTransfer);
  return result;
}

function parseBankTransfer(body: unknown): BankTransferDetails {
  const bank = asObject(body, 'bankTransfer');
  return {
    iban: requireString(bank, 'bankTransfer', 'iban'),
    bic: pickString(bank, 'bic') ?? '',
    beneficiary: pickString(bank, 'beneficiary') ?? '',
    reference: requireString(bank, 'bankTransfer', 'reference'),
  };
}
