/** Offramp steps after the amount: payout details, review, deposit, done and failure. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import { groupAddress } from '../lib/address.js';
import { formatToken } from '../lib/money.js';
import type { Quote, Support } from '../types.js';
import { supportLinks } from './kyc.js';
import { estimateOf } from './common.js';
import { textField } from './fields.js';
import { row } from './rows.js';
import { reviewActions } from './review.js';
import { breakdownRows } from './breakdown.js';

export interface PayoutModel {
  region: 'EU' | 'LATAM';
  iban: string;
  ibanError?: string;
  bankName: string;
  bankNameError?: string;
  accountHolder?: string;
}

export function payoutStep(
  m: PayoutModel,
  t: Translate,
  on: { iban(v: string): void; ibanBlur(): void; bankName(v: string): void; back(): void; next(): void },
): TemplateResult {
  return html`<form class="step" novalidate @submit=${(e: Event) => (e.preventDefault(), on.next())}>
    <h3>${t('payout.title')}</h3>
    ${
      m.region === 'EU'
        ? html`<div @focusout=${on.ibanBlur}>
              ${textField({ id: 'iban', label: t('field.iban'), value: m.iban, error: m.ibanError, autocomplete: 'off', onInput: on.iban })}
            </div>
            ${m.accountHolder ? html`<p class="muted">${t('field.accountHolder')}: <strong>${m.accountHolder}</strong></p>` : nothing}`
        : html`<p class="muted">${t('payout.latamNote')}</p>
            ${textField({ id: 'bank-name', label: t('field.bankName'), value: m.bankName, error: m.bankNameError, autocomplete: 'organization', onInput: on.bankName })}`
    }
    <div class="actions">
      <button type="button" class="secondary" @click=${on.back}>${t('back')}</button>
      <button type="submit" class="primary" part="primary-button">${t('continue')}</button>
    </div>
  </form>`;
}

export interface ReviewModel {
  /** The terms box, when the merchant set terms. */
  terms?: TemplateResult;
  amount: string;
  symbol: string;
  network?: string;
  fiat: string;
  quote?: Quote;
  /** How long the quote holds (it refreshes here too). */
  quoteNote?: TemplateResult;
  payTo: string;
  creating: boolean;
  /** The endpoint is finding out whether a create whose answer was lost went through. */
  checking?: boolean;
  error?: TemplateResult;
}

export function reviewStep(m: ReviewModel, t: Translate, locale: string, on: { back(): void; confirm(): void }): TemplateResult {
  return html`<div class="step">
    <h3>${t('review.title')}</h3>
    <dl class="summary">
      <div>
        <dt>${t('review.sell')}</dt>
        <dd>${formatToken(m.amount, m.symbol, locale, 18)}</dd>
      </div>
      ${row(t('review.network'), m.network)}
      <div>
        <dt>${t('review.receive')}</dt>
        <dd>${m.quote ? estimateOf(m.quote, locale) : t('quote.unavailable')}</dd>
      </div>
      ${breakdownRows(m.quote, t, locale, { total: false })}
      <div>
        <dt>${t('review.payTo')}</dt>
        <dd>${m.payTo}</dd>
      </div>
    </dl>
    <p class="muted">${t('review.estimateNote')}</p>
    ${m.quoteNote ?? nothing} ${m.error ?? nothing}
    ${reviewActions({ creating: m.creating, back: t('back'), confirm: t('review.confirmSell'), creatingLabel: t('review.creating'), ...(m.checking ? { checking: t('review.checking') } : {}), terms: m.terms }, on)}
  </div>`;
}

export interface DepositModel {
  id: string;
  address: string;
  /** Null when the address does not look right for the network: no QR, no copy, an error instead. */
  valid: boolean;
  amount: string;
  symbol: string;
  network?: string;
  copyState: 'idle' | 'copied' | 'failed';
  walletSending: boolean;
  /** The host wallet's transaction, once reported with `depositSent()`. */
  walletTx?: string;
  /** The user pressed "I've sent the tokens". */
  sent: boolean;
  /** What the drawn QR code holds, once drawn. */
  qrHolds?: 'request' | 'address';
}

export function depositPanel(m: DepositModel, t: Translate, locale: string, on: { copy(): void; sent(sent: boolean): void }): TemplateResult {
  if (!m.valid) {
    return html`<div class="state error" part="error" role="alert"><p>${t('deposit.invalid', { network: m.network ?? m.symbol, id: m.id })}</p></div>`;
  }
  const amount = formatToken(m.amount, m.symbol, locale, 18);
  if (m.sent && !m.walletSending) {
    // the user said it is on its way: the wait, in the present tense (nothing has arrived yet), and the address one press away
    return html`<section class="deposit" aria-labelledby="deposit-title">
      <h3 id="deposit-title" tabindex="-1">${t('deposit.title')}</h3>
      <p id="deposit-waiting" tabindex="-1" role="status">
        <span class="pending-dot" part="pending-dot" aria-hidden="true"></span>${t('deposit.waiting', { amount })}
      </p>
      <button type="button" class="secondary" @click=${() => on.sent(false)}>${t('deposit.showAgain')}</button>
    </section>`;
  }
  return html`<section class="deposit" aria-labelledby="deposit-title">
    <h3 id="deposit-title" tabindex="-1">${t('deposit.title')}</h3>
    ${
      m.walletSending
        ? html`<p role="status">${m.walletTx ? t('deposit.walletSent', { tx: m.walletTx }) : t('deposit.walletSending')}</p>`
        : html`<p>${t('deposit.send', { amount })}</p>
            <div class="deposit-grid">
              <figure class="qr-figure">
                <canvas class="qr" part="qr-code" role="img" aria-label=${t('deposit.qr', { address: m.address })} width="176" height="176"></canvas>
                ${m.qrHolds ? html`<figcaption part="qr-caption">${t(m.qrHolds === 'request' ? 'deposit.qrRequest' : 'deposit.qrAddress')}</figcaption>` : nothing}
              </figure>
              <div class="address-box">
                <p class="label" id="address-label">${t('deposit.address')}</p>
                <p class="address" part="deposit-address" aria-labelledby="address-label" data-address=${m.address}>
                  ${groupAddress(m.address).map((g) => html`<span>${g}</span> `)}
                </p>
                <button type="button" class="secondary" @click=${on.copy}>${t('deposit.copy')}</button>
                <p class="copy-feedback" role="status">
                  ${m.copyState === 'copied' ? t('deposit.copied') : m.copyState === 'failed' ? t('deposit.copyFailed') : ''}
                </p>
              </div>
            </div>
            <button type="button" class="primary" part="primary-button" @click=${() => on.sent(true)}>${t('deposit.sent')}</button>`
    }
    <p class="warning" role="note">
      ${m.network ? t('deposit.warning', { symbol: m.symbol, network: m.network }) : t('deposit.warningNoNetwork', { symbol: m.symbol })}
    </p>
  </section>`;
}

export function offrampDone(m: { token: string; fiat: string; id: string }, t: Translate, on: { again(): void }): TemplateResult {
  return html`<div class="state success" role="status">
    <p class="success-title">${t('done.offramp.title')}</p>
    <p>${t('done.offramp.summary', { token: m.token, fiat: m.fiat })}</p>
    <p class="muted">${t('status.reference', { id: m.id })}</p>
    <button type="button" class="primary" part="primary-button" @click=${on.again}>${t('done.sellAgain')}</button>
  </div>`;
}

/** A failed or expired operation, either flow: what happened and what the user can do. */
export function operationFailed(
  m: { flow: 'onramp' | 'offramp'; status: 'failed' | 'expired'; id: string; support?: Support },
  t: Translate,
  on: { again(): void },
): TemplateResult {
  const buy = m.flow === 'onramp';
  return html`<div class="state error" part="error" role="alert">
    <p class="error-title">${t(buy ? 'failed.onramp.title' : 'failed.title')}</p>
    <p>${t(m.status === 'expired' ? 'failed.expired' : 'failed.failed')}</p>
    <p>${t(buy ? 'failed.onramp.help' : 'failed.help', { id: m.id })}</p>
    ${m.support ? supportLinks(m.support, t) : nothing}
    <button type="button" class="secondary" @click=${on.again}>${t(buy ? 'failed.onramp.startOver' : 'failed.startOver')}</button>
  </div>`;
}
