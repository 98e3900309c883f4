/** Building blocks shared by both flows: labelled fields, the quote panel, error and loading states. */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { QuoteState } from '../controllers/quote-controller.js';
import type { Translate } from '../i18n/localize.js';
import type { Flow } from '../types.js';
import { formatFiat, formatToken } from '../lib/money.js';

export interface SelectField {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange(value: string): void;
}

/** A choice: a select when there is one to make; a single option is shown as its value (no select with nothing to choose). */
export function selectField(field: SelectField): TemplateResult {
  if (field.options.length === 1)
    return html`<div class="field">
      <span class="label" id="${field.id}-label">${field.label}</span>
      <p class="value" id=${field.id} aria-labelledby="${field.id}-label">${field.options[0]!.label}</p>
    </div>`;
  return html`<div class="field">
    <label for=${field.id}>${field.label}</label>
    <select id=${field.id} .value=${field.value} @change=${(e: Event) => field.onChange((e.target as HTMLSelectElement).value)}>
      ${field.options.map((o) => html`<option value=${o.value} ?selected=${o.value === field.value}>${o.label}</option>`)}
    </select>
  </div>`;
}

export interface TextField {
  id: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  inputmode?: 'decimal' | 'text';
  autocomplete?: string;
  part?: string;
  readonly?: boolean;
  /** A unit shown after the input (`EUR`, `USDC`). */
  suffix?: string;
  onInput(value: string): void;
}

export function textField(field: TextField): TemplateResult {
  const describedBy = [field.error ? `${field.id}-error` : '', field.hint ? `${field.id}-hint` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for=${field.id}>${field.label}</label>
    <div class="input-row">
      <input
        id=${field.id}
        part=${ifDefined(field.part)}
        .value=${field.value}
        inputmode=${field.inputmode ?? 'text'}
        autocomplete=${field.autocomplete ?? 'off'}
        spellcheck="false"
        ?readonly=${field.readonly}
        aria-invalid=${field.error ? 'true' : 'false'}
        aria-describedby=${ifDefined(describedBy || undefined)}
        @input=${(e: Event) => field.onInput((e.target as HTMLInputElement).value)}
      />
      ${field.suffix ? html`<span class="suffix" aria-hidden="true">${field.suffix}</span>` : nothing}
    </div>
    ${field.hint ? html`<p class="hint" id="${field.id}-hint">${field.hint}</p>` : nothing}
    ${field.error ? html`<p class="field-error" id="${field.id}-error">${field.error}</p>` : nothing}
  </div>`;
}

/** The live quote: what the user pays or receives, as an estimate. */
/** Why there is no estimate, in the words of the flow: offline is offline; a sale's rate is fixed when the tokens arrive, a purchase's amount of tokens when the payment does. */
export function quoteUnavailableKey(flow: Flow, code?: string): string {
  if (code === 'network_error' || code === 'timeout') return 'quote.offline';
  return flow === 'onramp' ? 'quote.unavailableBuy' : 'quote.unavailable';
}

export function quotePanel(state: QuoteState, t: Translate, locale: string): TemplateResult {
  let body: TemplateResult;
  if (state.status === 'empty') body = html`<p class="muted">${t('quote.enterAmount')}</p>`;
  else if (state.status === 'loading') body = html`<p class="muted">${t('quote.loading')}</p>`;
  else if (state.status === 'unavailable') body = html`<p class="muted">${t(quoteUnavailableKey(state.request.flow, state.error.code))}</p>`;
  else {
    const { quote } = state;
    const received = quote.flow === 'onramp' ? formatToken(quote.tokenAmount, quote.symbol, locale) : formatFiat(quote.fiatAmount, quote.fiat, locale);
    body = html`<p class="quote-label">${t('quote.youReceive')}</p>
      <p class="quote-amount" data-testid="quote-amount" title=${quote.flow === 'onramp' ? `${quote.tokenAmount} ${quote.symbol}` : nothing}>≈ ${received}</p>
      ${quote.rate ? html`<p class="muted">${t('quote.rate', { symbol: quote.symbol, price: formatFiat(quote.rate, quote.fiat, locale) })}</p>` : nothing}
      ${quote.fee ? html`<p class="muted">${t('quote.fee', { fee: formatFiat(quote.fee, quote.fiat, locale) })}</p>` : nothing}
      ${quote.source === 'price' ? html`<p class="muted">${t('quote.fromPrice')}</p>` : nothing}`;
  }
  return html`<section class="quote" part="quote" aria-live="polite" aria-label=${t('quote.youReceive')}>${body}</section>`;
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
