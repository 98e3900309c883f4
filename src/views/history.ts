/** The "Activity" view: the user's buys and sells, newest first. */
import { html, nothing, type TemplateResult } from 'lit';
import type { HistoryState } from '../controllers/history-controller.js';
import type { Translate } from '../i18n/localize.js';
import { formatFiat, formatToken } from '../lib/money.js';
import { isTerminal } from '../lib/status.js';
import type { Operation } from '../types.js';
import { row as summaryRow } from './rows.js';

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

function parseDate(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso.replace(/(\.\d{3})\d+Z$/, '$1Z')); // the API sends microseconds
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function formatDate(iso: string | undefined, locale: string): string {
  const date = parseDate(iso);
  if (!date) return '';
  let format = dateFormats.get(locale);
  if (!format) dateFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })));
  return format.format(date);
}

/** "5 minutes ago" within a day, else the date. */
function formatWhen(iso: string | undefined, locale: string, now = Date.now()): string {
  const date = parseDate(iso);
  if (!date) return '';
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (Math.abs(seconds) >= 86_400) return formatDate(iso, locale);
  let format = relativeFormats.get(locale);
  if (!format) relativeFormats.set(locale, (format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })));
  if (Math.abs(seconds) < 60) return format.format(seconds, 'second');
  if (Math.abs(seconds) < 3600) return format.format(Math.round(seconds / 60), 'minute');
  return format.format(Math.round(seconds / 3600), 'hour');
}

export interface HistoryModel {
  state: HistoryState;
  locale: string;
  expanded?: string;
  chainLabel(chain: string): string;
}

export function historyView(
  m: HistoryModel,
  t: Translate,
  on: { open(op: Operation): void; toggle(id: string): void; more(): void; refresh(): void },
): TemplateResult {
  const { state } = m;
  const items = state.status === 'idle' ? [] : state.items;
  return html`<section class="step history" aria-label=${t('history.title')} aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
    <div class="history-head">
      <span></span>
      <button type="button" class="secondary small" @click=${on.refresh}>${t('history.refresh')}</button>
    </div>
    ${state.status === 'loading' && !items.length ? html`<p role="status" class="muted">${t('loading')}</p>` : nothing}
    ${state.status === 'ready' && !items.length ? html`<p class="muted">${t('history.empty')}</p>` : nothing}
    ${
      items.length
        ? html`<ul class="history-list" part="history-list">
            ${items.map((op) => row(op, m, t, on))}
          </ul>`
        : nothing
    }
    ${state.status === 'error' ? html`<p class="inline-error" role="alert">${t(`error.${state.error.code}`) || state.error.message}</p>` : nothing}
    ${(state.status === 'ready' || state.status === 'error') && state.next ? html`<button type="button" class="secondary" @click=${on.more}>${t('history.loadMore')}</button>` : nothing}
  </section>`;
}

function row(op: Operation, m: HistoryModel, t: Translate, on: { open(op: Operation): void; toggle(id: string): void }): TemplateResult {
  const token = op.tokenAmount && op.symbol ? formatToken(op.tokenAmount, op.symbol, m.locale) : (op.symbol ?? '');
  const fiat = op.fiatAmount && op.fiat ? formatFiat(op.fiatAmount, op.fiat, m.locale) : '';
  // past tense only once it happened: an open sale is "Selling 16 USDC", a completed one "Sold 16 USDC"
  const done = op.status === 'completed';
  const title = t(op.flow === 'onramp' ? (done ? 'history.bought' : 'history.buying') : done ? 'history.sold' : 'history.selling', { token });
  const status = t(`history.status.${op.flow}.${op.status}`) || t(`history.status.${op.status}`);
  const open = !isTerminal(op.status);
  const expanded = m.expanded === op.id;
  return html`<li class="history-item">
    <div class="history-summary">
      <span class="history-title">${title}</span>
      <span class="history-meta">${[fiat, formatWhen(op.createdAt, m.locale)].filter(Boolean).join(' · ')}</span>
      <span class="badge ${op.status}">${status}</span>
    </div>
    ${
      open
        ? html`<button type="button" class="secondary small" aria-label="${t('history.continue')}: ${title}" @click=${() => on.open(op)}>
            ${t('history.continue')}
          </button>`
        : html`<button
            type="button"
            class="secondary small"
            aria-expanded=${expanded ? 'true' : 'false'}
            aria-controls="details-${op.id}"
            aria-label="${t('history.details')}: ${title}"
            @click=${() => on.toggle(op.id)}
          >
            ${t('history.details')}
          </button>`
    }
    ${
      expanded
        ? html`<dl class="summary history-details" id="details-${op.id}">
            <div>
              <dt>${t(op.flow === 'onramp' ? 'history.buy' : 'history.sell')}</dt>
              <dd>${status}</dd>
            </div>
            ${summaryRow(t('history.fiat'), fiat)} ${summaryRow(t('history.token'), token)}
            ${summaryRow(t('history.network'), op.chain && m.chainLabel(op.chain))} ${summaryRow(t('history.tx'), op.txid, true)}
            ${summaryRow(t('history.iban'), op.ibanMasked)}
            ${
              op.createdAt
                ? html`<div>
                    <dt>${t('history.date')}</dt>
                    <dd>${formatDate(op.createdAt, m.locale)}</dd>
                  </div>`
                : nothing
            }
            <div>
              <dt>${t('history.reference')}</dt>
              <dd class="mono">${op.id}</dd>
            </div>
          </dl>`
        : nothing
    }
  </li>`;
}
