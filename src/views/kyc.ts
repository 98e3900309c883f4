/** The KYC gate: what the user must do before amounts are asked for. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';

export type KycGateKind = 'start' | 'progress' | 'failed' | 'reinforced';

const IN_PROGRESS = new Set(['processing', 'pending', 'review', 'in_review', 'submitted', 'in_progress']);

export function kycGateKind(status: 'valid' | 'pending' | 'failed', raw: string): KycGateKind | undefined {
  if (status === 'valid') return undefined;
  if (status === 'failed') return 'failed';
  return IN_PROGRESS.has(raw.toLowerCase()) ? 'progress' : 'start';
}

export function kycGate(m: { kind: KycGateKind; url?: string; hostHandles: boolean; checking: boolean }, t: Translate, on: { check(): void }): TemplateResult {
  const title = t(`kyc.title.${m.kind}`);
  const body = m.hostHandles && m.kind !== 'failed' ? t('kyc.host') : t(`kyc.${m.kind}`);
  const link = m.url && !m.hostHandles && (m.kind === 'start' || m.kind === 'reinforced');
  return html`<section class="state kyc" part="kyc" aria-labelledby="kyc-title">
    <h3 id="kyc-title">${title}</h3>
    <p>${body}</p>
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
