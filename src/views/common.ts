/** The first view's building blocks: pills, the quote's estimate and notes, error and loading states. */
import { html, nothing, type TemplateResult } from 'lit';
import type { QuoteState } from '../controllers/quote-controller.js';
import type { Translate } from '../i18n/localize.js';
import type { Flow, Quote } from '../types.js';
import { formatFiat, formatToken } from '../lib/money.js';

export interface PickField {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  /** A mark before the value (a token's or a network's), once the marks are loaded. */
  mark?: TemplateResult | undefined;
  onChange(value: string): void;
}

/**
 * A choice, as a pill with its small visible label: a select when there is one to make; a single option is shown as
 * its value (no select with nothing to choose).
 */
export function pickField(field: PickField): TemplateResult {
  const mark = field.mark ?? nothing;
  if (field.options.length === 1)
    return html`<div class="field pick">
      <span class="label" id="${field.id}-label">${field.label}</span>
      <span class="pill" id=${field.id} aria-labelledby="${field.id}-label">${mark}${field.options[0]!.label}</span>
    </div>`;
  return html`<div class="field pick">
    <label for=${field.id}>${field.label}</label>
    <span class="pill">
      ${mark}
      <select id=${field.id} .value=${field.value} @change=${(e: Event) => field.onChange((e.target as HTMLSelectElement).value)}>
        ${field.options.map((o) => html`<option value=${o.value} ?selected=${o.value === field.value}>${o.label}</option>`)}
      </select>
    </span>
  </div>`;
}

/** Why there is no estimate, in the words of the flow: offline is offline; a sale's rate is fixed when the tokens arrive, a purchase's amount of tokens when the payment does. */
export function quoteUnavailableKey(flow: Flow, code?: string): string {
  if (code === 'network_error' || code === 'timeout') return 'quote.offline';
  return flow === 'onramp' ? 'quote.unavailableBuy' : 'quote.unavailable';
}

/** What a quote says the user gets: `≈ 160.59 USDC` for a purchase, `≈ €91.08` for a sale. */
export function estimateOf(quote: Quote, locale: string): string {
  return `≈ ${quote.flow === 'onramp' ? formatToken(quote.tokenAmount, quote.symbol, locale) : formatFiat(quote.fiatAmount, quote.fiat, locale)}`;
}

/**
 * What the quote's state says under the pair: getting a quote, why there is none, where an estimate
 * comes from, and how long it holds ("New quote in 24 s", not announced every second).
 */
export function quoteNote(state: QuoteState, seconds: number | undefined, t: Translate): TemplateResult {
  // before an amount, the pair's "—" says it all
  const key =
    state.status === 'loading'
      ? 'quote.loading'
      : state.status === 'unavailable'
        ? quoteUnavailableKey(state.request.flow, state.error.code)
        : state.status === 'ready' && state.quote.source === 'price'
          ? 'quote.fromPrice'
          : '';
  const refresh = state.status === 'ready' && (state.refreshing ? t('quote.loading') : seconds !== undefined && t('quote.refreshIn', { seconds }));
  return html`<div class="muted" part="quote" aria-live="polite">${key ? t(key) : nothing}</div>
    ${refresh ? html`<p class="muted" part="quote-refresh">${refresh}</p>` : nothing}`;
}

export function loadingState(t: Translate): TemplateResult {
  return html`<div class="state" role="status"><span class="spinner" aria-hidden="true"></span>${t('loading')}</div>`;
}

export function errorState(message: string, t: Translate, retry?: () => void): TemplateResult {
  return html`<div class="state error" part="error" role="alert">
    <p class="error-title">${t('error.title')}</p>
    <p>${message}</p>
    ${retry ? html`<button type="button" class="secondary" @click=${retry}>${t('retry')}</button>` : nothing}
  </div>`;
}
