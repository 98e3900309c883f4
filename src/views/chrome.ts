/**
 * The first view's trust chrome, drawn once it is loaded (see `views/extras.ts`): where the user is in the flow
 * ("Step 2 of 4", with the step's name for screen readers) and who provides the service ("Powered by Cryptopocket").
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import { FLOW_STEPS, type Step } from '../model.js';
import type { Flow } from '../types.js';

/** "Step n of 4" over a flow's steps, with bars, when `shown`; screen readers hear the step's name too. */
export function progress(flow: Flow, step: Step, t: Translate, shown: boolean): TemplateResult | typeof nothing {
  if (!shown) return nothing;
  const steps = FLOW_STEPS[flow];
  const n = steps.indexOf(step) + 1;
  return html`<p class="progress" part="progress">
    <span class="bars" aria-hidden="true">${steps.map((_, i) => html`<i class=${i < n ? 'done' : ''}></i>`)}</span>
    ${t('step.of', { n, total: steps.length })}<span class="visually-hidden">: ${t(`step.${step}`)}</span>
  </p>`;
}

/** The provider's mark under the card. */
export function poweredBy(t: Translate): TemplateResult {
  return html`<p class="powered" part="powered-by"><span class="logo" aria-hidden="true"></span>${t('powered')}</p>`;
}

/** Text for screen readers only (the step indicator's step name; the later steps use it too). */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

export const chromeStyles = css`
  ${visuallyHidden}
  .progress,
  .powered {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    margin: 0;
    color: var(--_muted);
    font-size: 0.8rem;
  }
  .bars {
    display: flex;
    gap: 3px;
  }
  .bars i {
    width: 1.2rem;
    height: 4px;
    border-radius: 2px;
    background: var(--_surface);
  }
  .bars .done {
    background: var(--_accent);
  }
  .powered {
    justify-content: center;
  }
  .logo {
    width: 0.75rem;
    height: 0.75rem;
    border-radius: 3px 50%;
    background: var(--_accent);
  }
`;
