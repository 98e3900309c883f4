/** The KYC gate: what the user must do before amounts are asked for. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import type { KycGateKind } from '../lib/status.js';
import type { Support } from '../types.js';

export function kycGate(
  m: { kind: KycGateKind; url?: string; hostHandles: boolean; checking: boolean; support?: Support },
  t: Translate,
  on: { check(): void },
): TemplateResult {
  const title = t(`kyc.title.${m.kind}`);
  const body = m.hostHandles && m.kind !== 'failed' ? t('kyc.host') : t(`kyc.${m.kind}`);
  const link = m.url && !m.hostHandles && (m.kind === 'start' || m.kind === 'reinforced');
  return html`<section class="state kyc" part="kyc" aria-labelledby="kyc-title">
    <h3 id="kyc-title" tabindex="-1">${title}</h3>
    <p>${body}</p>
    ${m.kind === 'failed' && (m.support?.url || m.support?.email) ? supportLinks(m.support, t) : nothing}
    ${link ? html`<a class="button primary" part="primary-button" href=${m.url!} target="_blank" rel="noopener noreferrer">${t('kyc.verify')}</a>` : nothing}
    ${
      m.kind === 'failed'
        ? nothing
        : html`<button type="button" class="secondary" aria-disabled=${m.checking ? 'true' : 'false'} @click=${on.check}>
            ${t(link ? 'kyc.checkDone' : 'kyc.check')}
          </button>`
    }
  </section>`;
}

/** Where the user gets help: the merchant's support page and/or email address (from the configuration). */
export function supportLinks(support: Support, t: Translate): TemplateResult {
  return html`<p class="support">
    ${support.url ? html`<a href=${support.url} target="_blank" rel="noopener noreferrer">${t('support.page')}</a>` : nothing}
    ${support.email ? html`<a href="mailto:${support.email}">${t('support.email', { email: support.email })}</a>` : nothing}
  </p>`;
}
