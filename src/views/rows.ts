/** A row of a summary list (`<dl class="summary">`): a label and its value, or nothing when there is no value. */
import { html, nothing, type TemplateResult } from 'lit';

export function row(label: string, value: string | TemplateResult | undefined, mono = false): TemplateResult | typeof nothing {
  return value
    ? html`<div>
        <dt>${label}</dt>
        <dd class=${mono ? 'mono' : ''}>${value}</dd>
      </div>`
    : nothing;
}
