/** The later steps' text fields: a visible label, the input, a hint and an error tied to it. */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

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
  onInput(value: string): void;
}

export function textField(field: TextField): TemplateResult {
  const describedBy = [field.error ? `${field.id}-error` : '', field.hint ? `${field.id}-hint` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for=${field.id}>${field.label}</label>
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
    ${field.hint ? html`<p class="hint" id="${field.id}-hint">${field.hint}</p>` : nothing}
    ${field.error ? html`<p class="field-error" id="${field.id}-error">${field.error}</p>` : nothing}
  </div>`;
}
