/** The order summary that stays on screen while the user waits. */
import { html, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import { formatFiat, formatToken } from '../lib/money.js';
import type { Operation } from '../types.js';
import { row } from './rows.js';

/**
 * What the user ordered, while they wait: amounts, network and where the money or tokens go. Estimates say so until
 * the operation is complete.
 */
export function orderSummary(op: Partial<Operation> & { amount?: string }, t: Translate, locale: string): TemplateResult {
  const sell = op.flow === 'offramp';
  const tokens = op.tokenAmount ?? op.amount;
  const token = tokens && op.symbol ? formatToken(tokens, op.symbol, locale) : '';
  const fiat = op.fiatAmount && op.fiat ? formatFiat(op.fiatAmount, op.fiat, locale) : '';
  const rows: [string, string][] = sell
    ? [
        ['review.sell', token],
        ['review.receive', fiat && `≈ ${fiat}`],
        ['review.payTo', op.ibanMasked ? t('review.ibanEnding', { last4: op.ibanMasked }) : ''],
      ]
    : [
        ['review.pay', fiat],
        ['review.getTokens', token && `≈ ${token}`],
        ['review.wallet', op.wallet ?? ''],
      ];
  return html`<section class="order" aria-labelledby="order-title">
    <h3 id="order-title">${t('order.title')}</h3>
    <dl class="summary">${rows.map(([label, value]) => row(t(label), value, label === 'review.wallet'))}</dl>
  </section>`;
}
