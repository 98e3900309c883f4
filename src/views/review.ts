/** What both review steps share: the quote's terms and the buttons that confirm or go back. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import { formatFiat } from '../lib/money.js';
import type { Quote } from '../types.js';
import { row } from './rows.js';

/** The quote's rate and fee as review rows: the same figures the amount step showed. */
export function quoteTerms(quote: Quote | undefined, t: Translate, locale: string): TemplateResult | typeof nothing {
  if (!quote) return nothing;
  return html`${row(t('review.rate'), quote.rate && `1 ${quote.symbol} ≈ ${formatFiat(quote.rate, quote.fiat, locale)}`)}
  ${row(t('review.fee'), quote.fee && formatFiat(quote.fee, quote.fiat, locale))}`;
}

/** The review step's buttons: back, and the confirm that creates (busy, not disabled, while it runs: it keeps focus). */
export function reviewActions(
  m: { creating: boolean; back: string; confirm: string; creatingLabel: string; checking?: string },
  on: { back(): void; confirm(): void },
): TemplateResult {
  // while a create whose answer was lost is looked for, say so: nothing is known yet, and the key stays the same
  return html`${m.checking ? html`<p class="muted" role="status">${m.checking}</p>` : nothing}
    <div class="actions">
      <button type="button" class="secondary" ?disabled=${m.creating} @click=${on.back}>${m.back}</button>
      <button type="button" class="primary" part="primary-button" aria-disabled=${m.creating ? 'true' : 'false'} @click=${on.confirm}>
        ${m.checking ?? (m.creating ? m.creatingLabel : m.confirm)}
      </button>
    </div>`;
}
