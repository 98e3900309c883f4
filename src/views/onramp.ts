/** Onramp steps after the amount: wallet, review, payment (redirect or bank transfer), done. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import { formatIban } from '../lib/iban.js';
import { formatFiat } from '../lib/money.js';
import type { BankTransferDetails, Quote } from '../types.js';
import { estimateOf, quoteUnavailableKey } from './common.js';
import { textField } from './fields.js';
import { row } from './rows.js';
import { reviewActions } from './review.js';
import { breakdownRows } from './breakdown.js';

export interface WalletModel {
  wallet: string;
  error?: string;
  /** Set by the host: shown read-only. */
  fixed: boolean;
  site: string;
  network?: string;
}

export function walletStep(m: WalletModel, t: Translate, on: { input(v: string): void; blur(): void; back(): void; next(): void }): TemplateResult {
  return html`<form class="step" novalidate @submit=${(e: Event) => (e.preventDefault(), on.next())}>
    <h3>${t('wallet.title')}</h3>
    <div @focusout=${on.blur}>
      ${textField({
        id: 'wallet',
        label: t('field.wallet'),
        value: m.wallet,
        error: m.error,
        readonly: m.fixed,
        hint: m.fixed ? t('wallet.fixed', { site: m.site }) : m.network ? t('wallet.hint', { network: m.network }) : undefined,
        onInput: on.input,
      })}
    </div>
    <div class="actions">
      <button type="button" class="secondary" @click=${on.back}>${t('back')}</button>
      <button type="submit" class="primary" part="primary-button">${t('continue')}</button>
    </div>
  </form>`;
}

export interface OnrampReviewModel {
  /** The terms box, when the merchant set terms. */
  terms?: TemplateResult;
  fiatAmount: string;
  fiat: string;
  symbol: string;
  network?: string;
  method: string;
  wallet: string;
  quote?: Quote;
  /** How long the quote holds (it refreshes here too). */
  quoteNote?: TemplateResult;
  creating: boolean;
  /** The endpoint is finding out whether a create whose answer was lost went through. */
  checking?: boolean;
  error?: TemplateResult;
}

export function onrampReview(m: OnrampReviewModel, t: Translate, locale: string, on: { back(): void; confirm(): void }): TemplateResult {
  return html`<div class="step">
    <h3>${t('review.buyTitle')}</h3>
    <dl class="summary">
      <div>
        <dt>${t('review.pay')}</dt>
        <dd>${formatFiat(m.fiatAmount, m.fiat, locale)}</dd>
      </div>
      <div>
        <dt>${t('review.method')}</dt>
        <dd>${m.method}</dd>
      </div>
      <div>
        <dt>${t('review.getTokens')}</dt>
        <dd title=${m.quote ? `${m.quote.tokenAmount} ${m.symbol}` : nothing}>${m.quote ? estimateOf(m.quote, locale) : t(quoteUnavailableKey('onramp'))}</dd>
      </div>
      ${row(t('review.network'), m.network)} ${breakdownRows(m.quote, t, locale, { total: false })}
      <div>
        <dt>${t('review.wallet')}</dt>
        <dd class="mono">${m.wallet}</dd>
      </div>
    </dl>
    <p class="muted">${t('review.buyNote')}</p>
    ${m.quoteNote ?? nothing} ${m.error ?? nothing}
    ${reviewActions({ creating: m.creating, back: t('back'), confirm: t('review.confirmBuy'), creatingLabel: t('review.creatingPayment'), ...(m.checking ? { checking: t('review.checkingPayment') } : {}), terms: m.terms }, on)}
  </div>`;
}

export interface PayModel {
  amount: string;
  paymentUrl?: string;
  bankTransfer?: BankTransferDetails;
  state: 'opened' | 'redirecting' | 'idle';
  copied: string;
}

export function payPanel(m: PayModel, t: Translate, on: { open(): void; copy(field: string, value: string): void }): TemplateResult {
  if (m.bankTransfer) {
    const b = m.bankTransfer;
    const rows: [string, string, string][] = [
      [t('pay.beneficiary'), b.beneficiary, b.beneficiary],
      [t('pay.iban'), formatIban(b.iban), b.iban],
      [t('pay.bic'), b.bic, b.bic],
      [t('pay.amount'), m.amount, m.amount],
      [t('pay.reference'), b.reference, b.reference],
    ];
    return html`<section class="pay" aria-labelledby="pay-title">
      <h3 id="pay-title">${t('pay.transferTitle')}</h3>
      <p>${t('pay.transferIntro', { amount: m.amount })}</p>
      <dl class="summary transfer" part="bank-details">
        ${rows
          .filter(([, shown]) => shown)
          .map(
            ([label, shown, raw]) =>
              html`<div>
                <dt>${label}</dt>
                <dd>
                  <span class="mono">${shown}</span>
                  <button type="button" class="copy" @click=${() => on.copy(label, raw)}>${t('pay.copy', { field: label })}</button>
                </dd>
              </div>`,
          )}
      </dl>
      <p class="copy-feedback" role="status">
        ${m.copied.startsWith('failed:') ? t('deposit.copyFailed') : m.copied ? t('pay.copied', { field: m.copied }) : ''}
      </p>
      <p class="warning" role="note">${t('pay.referenceWarning', { reference: b.reference })}</p>
    </section>`;
  }
  return html`<section class="pay" aria-labelledby="pay-title">
    <h3 id="pay-title">${t('pay.title')}</h3>
    ${
      m.state === 'redirecting' ? html`<p role="status">${t('pay.redirecting')}</p>` : html`<p role="status">${m.state === 'opened' ? t('pay.opened') : ''}</p>`
    }
    ${
      m.paymentUrl
        ? html`<a
            class="button primary"
            part="primary-button"
            href=${m.paymentUrl}
            target="_blank"
            rel="noopener noreferrer"
            @click=${(e: Event) => (e.preventDefault(), on.open())}
            >${t('pay.open')}</a
          >`
        : nothing
    }
  </section>`;
}

export function onrampDone(
  m: { token: string; fiat: string; id: string; txid?: string; explorer?: { name: string; url: string } },
  t: Translate,
  on: { again(): void },
): TemplateResult {
  return html`<div class="state success" role="status">
    <p class="success-title">${t('done.onramp.title')}</p>
    <p>${t('done.onramp.summary', { token: m.token, fiat: m.fiat })}</p>
    ${m.txid ? html`<p class="muted mono">${t('done.tx', { txid: m.txid })}</p>` : nothing}
    ${m.explorer ? html`<a href=${m.explorer.url} target="_blank" rel="noopener noreferrer">${t('done.explorer', { explorer: m.explorer.name })}</a>` : nothing}
    <p class="muted">${t('status.reference', { id: m.id })}</p>
    <button type="button" class="primary" part="primary-button" @click=${on.again}>${t('done.buyAgain')}</button>
  </div>`;
}
