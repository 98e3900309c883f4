/**
 * Readers for the session protocol's answers the first screen needs (configuration, price, quote); the operations'
 * readers are in `protocol-operations.ts`, loaded with the later steps. Each validates the shape before the widget
 * uses it, so a wrong answer is a typed error, never `undefined` or `NaN` on screen.
 */
import { isSafeUrl } from './urls.js';
import { ShapeError, asArray, asObject, asStringArray, isObject, optionalDecimal, pickString, requireDecimal, requireString } from './read.js';
import type { AmountLimits, Asset, KycState, PriceQuote, Quote, RampConfig } from '../types.js';

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
  // limits per flow and unit: a range that is no object is skipped; a limit that is no decimal is a malformed answer
  const limits: AmountLimits = {};
  for (const flow of ['onramp', 'offramp'] as const) {
    const units = isObject(obj.limits) && isObject(obj.limits[flow]) ? obj.limits[flow] : {};
    for (const [unit, range] of Object.entries(units)) {
      if (!isObject(range)) continue;
      const min = optionalDecimal(range, 'limit', 'min');
      const max = optionalDecimal(range, 'limit', 'max');
      if (min || max) (limits[flow] ??= {})[unit] = { ...(min ? { min } : {}), ...(max ? { max } : {}) };
    }
  }
  const support = isObject(obj.support) ? obj.support : {};
  const supportUrl = pickString(support, 'url');
  const email = pickString(support, 'email');
  const help = { ...(isSafeUrl(supportUrl) ? { url: supportUrl } : {}), ...(email && /^[^\s@<>]+@[^\s@<>]+$/.test(email) ? { email } : {}) };
  const terms = isObject(obj.terms) ? obj.terms : {};
  const termsUrl = pickString(terms, 'url');
  const privacyUrl = pickString(terms, 'privacyUrl');
  return {
    region,
    fiats,
    assets,
    paymentMethods: asStringArray(obj.paymentMethods ?? [], 'config paymentMethods'),
    kyc,
    stream: obj.stream === true,
    ...(accountHolder ? { accountHolder } : {}),
    ...(limits.onramp || limits.offramp ? { limits } : {}),
    ...(help.url || help.email ? { support: help } : {}),
    // terms only with a page to read: a create then carries acceptedTerms
    ...(isSafeUrl(termsUrl) ? { terms: { url: termsUrl, ...(isSafeUrl(privacyUrl) ? { privacyUrl } : {}) } } : {}),
  };
}

export function parsePrice(body: unknown): PriceQuote {
  const obj = asObject(body, 'price');
  return { symbol: requireString(obj, 'price', 'symbol'), fiat: requireString(obj, 'price', 'fiat'), price: requireDecimal(obj, 'price', 'price') };
}

/** How long a quote may say it holds (`validFor`): whole seconds, 5 s to an hour. The handler's option obeys it too. */
export function isQuoteValidFor(seconds: unknown): seconds is number {
  return Number.isInteger(seconds) && (seconds as number) >= 5 && (seconds as number) <= 3600;
}

export function parseQuote(body: unknown): Quote {
  const obj = asObject(body, 'quote');
  const flow = obj.flow;
  if (flow !== 'onramp' && flow !== 'offramp') throw new ShapeError('quote: bad flow');
  const chain = pickString(obj, 'chain');
  const rate = optionalDecimal(obj, 'quote', 'rate');
  const fee = optionalDecimal(obj, 'quote', 'fee');
  const networkFee = optionalDecimal(obj, 'quote', 'networkFee');
  // anything but a refresh interval the widget can keep: no countdown
  const validFor = isQuoteValidFor(obj.validFor) ? obj.validFor : undefined;
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
    ...(networkFee ? { networkFee } : {}),
    ...(validFor ? { validFor } : {}),
  };
}
