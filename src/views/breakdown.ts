/**
 * The price breakdown: rate, processing fee, network fee (when the API names it) and the total, from one quote. The
 * amount step and the review show it from the same quote, so the figures on both are the same.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import { formatFiat } from '../lib/money.js';
import type { Quote } from '../types.js';
import { estimateOf } from './common.js';
import { row } from './rows.js';

export { enBreakdown } from '../i18n/en-breakdown.js';

/** The breakdown's rows (for a `<dl class="summary">`); `total: false` leaves out the total a review already states. */
export function breakdownRows(quote: Quote | undefined, t: Translate, locale: string, options: { total?: boolean } = {}): TemplateResult | typeof nothing {
  if (!quote) return nothing;
  const fiat = (value: string | undefined) => value && formatFiat(value, quote.fiat, locale);
  const buying = quote.flow === 'onramp';
  return html`${row(t('breakdown.rate'), quote.rate && `1 ${quote.symbol} ≈ ${fiat(quote.rate)}`)} ${row(t('breakdown.fee'), fiat(quote.fee))}
  ${row(t('breakdown.networkFee'), fiat(quote.networkFee))}
  ${options.total === false ? nothing : row(t(buying ? 'breakdown.totalPay' : 'breakdown.totalReceive'), buying ? fiat(quote.fiatAmount) : estimateOf(quote, locale))}`;
}

/** The amount step's breakdown: its own list, named for screen readers. */
export function breakdown(quote: Quote | undefined, t: Translate, locale: string): TemplateResult | typeof nothing {
  return quote ? html`<dl class="summary breakdown" part="breakdown" aria-label=${t('breakdown.label')}>${breakdownRows(quote, t, locale)}</dl>` : nothing;
}

/** Summary lists (the breakdown, and the review's lists, which the later steps' styles take from here). */
export const summaryStyles = css`
  .summary {
    margin: 0;
    display: grid;
    gap: 0.4rem;
    background: var(--_surface);
    border-radius: calc(var(--_radius) / 1.5);
    padding: calc(var(--_space) * 0.75);
  }
  .summary div {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
    flex-wrap: wrap;
  }
  .summary dt {
    color: var(--_muted);
  }
  .summary dd {
    margin: 0;
    font-weight: 600;
  }
  .breakdown {
    background: none;
    padding: 0 0.25rem;
    font-size: 0.9rem;
  }
`;
