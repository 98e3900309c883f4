/** The first screen of a user without an account: what Cryptopocket is, their name and email, the terms, one button. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import { textField } from './fields.js';

export interface RegisterModel {
  name: string;
  email: string;
  editable: ('name' | 'email')[];
  termsUrl?: string;
  accepted: boolean;
  /** The user pressed the button once: missing fields and terms are errors now. */
  touched: boolean;
  creating: boolean;
  error?: string;
}

export function registerStep(
  m: RegisterModel,
  t: Translate,
  on: { name(v: string): void; email(v: string): void; accept(v: boolean): void; submit(): void },
): TemplateResult {
  const missing = (value: string) => (m.touched && !value.trim() ? t('register.missing') : undefined);
  return html`<form class="step" novalidate @submit=${(e: Event) => (e.preventDefault(), on.submit())}>
    <h3>${t('register.title')}</h3>
    <p>${t('register.intro')}</p>
    ${textField({ id: 'register-name', label: t('register.name'), value: m.name, readonly: !m.editable.includes('name'), autocomplete: 'name', error: missing(m.name), onInput: on.name })}
    ${textField({ id: 'register-email', label: t('register.email'), value: m.email, readonly: !m.editable.includes('email'), autocomplete: 'email', error: missing(m.email), onInput: on.email })}
    ${
      m.termsUrl
        ? html`<div class="field consent">
            <label>
              <input
                type="checkbox"
                id="register-terms"
                .checked=${m.accepted}
                aria-invalid=${m.touched && !m.accepted ? 'true' : 'false'}
                @change=${(e: Event) => on.accept((e.target as HTMLInputElement).checked)}
              />
              ${t('register.accept')} <a href=${m.termsUrl} target="_blank" rel="noopener noreferrer">${t('register.terms')}</a>
            </label>
            ${m.touched && !m.accepted ? html`<p class="field-error">${t('register.acceptMissing')}</p>` : nothing}
          </div>`
        : nothing
    }
    ${m.error ? html`<p class="inline-error" role="alert">${m.error}</p>` : nothing}
    <button type="submit" class="primary" part="primary-button" aria-disabled=${m.creating ? 'true' : 'false'}>
      ${t(m.creating ? 'register.creating' : 'register.submit')}
    </button>
  </form>`;
}
