/** What the two quote routes share: the API's quote, else an estimate from the token price. */
import { ShapeError } from '../../lib/read.js';
import type { Quote } from '../../types.js';
import type { UpstreamQuote } from '../api.js';
import type { Context } from '../context.js';
import { describe, json } from '../http.js';
import { UpstreamError } from '../upstream.js';
import { priceOf } from './config.js';

/**
 * The quote for `base` (its given side already in it): the API's own figure for the other side, or — when the quote
 * is unavailable, not refused — an estimate from the token price, marked `source: "price"`.
 */
export async function quoteOrEstimate(
  ctx: Context,
  base: Omit<Quote, 'fiatAmount' | 'tokenAmount' | 'source'> & Partial<Pick<Quote, 'fiatAmount' | 'tokenAmount'>>,
  other: 'fiatAmount' | 'tokenAmount',
  ask: () => Promise<UpstreamQuote>,
  estimate: (rate: string) => string,
): Promise<Response> {
  try {
    const quote = await ask();
    const value = quote[other];
    if (!value) throw new ShapeError(`${base.flow} quote: no ${other}`);
    return json({
      ...base,
      [other]: value,
      source: 'quote',
      ...opt('rate', quote.rate),
      ...opt('fee', quote.fee),
      ...opt('networkFee', quote.networkFee),
      validFor: ctx.quoteValidFor,
    } as Quote);
  } catch (error) {
    if (!fallsBackToPrice(error)) throw error;
    ctx.log(`${base.flow} quote failed, estimating from price: ${describe(error)}`);
    const { price: rate } = await priceOf(ctx, base.symbol, base.fiat);
    return json({ ...base, [other]: estimate(rate), rate, source: 'price', validFor: ctx.quoteValidFor } as Quote);
  }
}

/** A quote that is unavailable (not a business refusal such as `min_purchase`) is estimated from the price instead. */
function fallsBackToPrice(error: unknown): boolean {
  if (error instanceof ShapeError) return true;
  if (!(error instanceof UpstreamError)) return false;
  return ['not_found', 'upstream_unavailable', 'upstream_timeout', 'bad_response', 'upstream_error'].includes(error.code);
}

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
