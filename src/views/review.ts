/** What both review steps share: the terms box and the buttons that confirm or go back. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import type { Terms } from '../types.js';

/**
 * The terms the user accepts before confirming, when the merchant set them: a box with a visible label, the pages as
 * links beside it (opened in a new tab), and what is missing when Confirm was pressed without it.
 */
export function termsBox(m: { terms: Terms; accepted: boolean; missing: boolean }, t: Translate, on: { accept(accepted: boolean): void }): TemplateResult {
  const missing = m.missing && !m.accepted;
  return html`<div class="terms" part="terms">
    <div class="check">
      <input
        type="checkbox"
        id="review-terms"
        .checked=${m.accepted}
        aria-invalid=${missing ? 'true' : 'false'}
        aria-describedby=${missing ? 'terms-missing' : nothing}
        @change=${(e: Event) => on.accept((e.target as HTMLInputElement).checked)}
      />
      <label for="review-terms">${t(m.terms.privacyUrl ? 'review.acceptBoth' : 'review.accept')}</label>
    </div>
    <p class="links">
      <a href=${m.terms.url} target="_blank" rel="noopener noreferrer">${t('review.termsLink')}</a>
      ${m.terms.privacyUrl ? html`<a href=${m.terms.privacyUrl} target="_blank" rel="noopener noreferrer">${t('review.privacyLink')}</a>` : nothing}
    </p>
    ${missing ? html`<p class="field-error" id="terms-missing">${t('review.acceptMissing')}</p>` : nothing}
  </div>`;
}

/** The review step's buttons: back, and the confirm that creates (busy, not disabled, while it runs: it keeps focus). */
export function reviewActions(
  m: { creating: boolean; back: string; confirm: string; creatingLabel: string; checking?: string; terms?: TemplateResult },
  on: { back(): void; confirm(): void },
): TemplateResult {
  // while a create whose answer was lost is looked for, say so: nothing is known yet, and the key stays the same
  return html`${m.terms ?? nothing}${m.checking ? html`<p class="muted" role="status">${m.checking}</p>` : nothing}
    <div class="actions">
      <button type="button" class="secondary" ?disabled=${m.creating} @click=${on.back}>${m.back}</button>
      <button type="button" class="primary" part="primary-button" aria-disabled=${m.creating ? 'true' : 'false'} @click=${on.confirm}>
        ${m.checking ?? (m.creating ? m.creatingLabel : m.confirm)}
      </button>
    </div>`;
}
