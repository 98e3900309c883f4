/** The status timeline shared by both flows. */
import { html, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import type { Flow, RampStatus } from '../types.js';

interface TimelineStep {
  label: string;
  state: 'done' | 'current' | 'upcoming';
}

/** Where each flow's steps sit in the lifecycle: a step is done once the status has reached `doneAt`. */
const STEPS: Record<Flow, { key: string; doneAt: RampStatus[] }[]> = {
  offramp: [
    { key: 'status.offramp.created', doneAt: ['created', 'processing', 'funds_received', 'completed'] },
    { key: 'status.offramp.waiting', doneAt: ['funds_received', 'completed'] },
    { key: 'status.offramp.received', doneAt: ['funds_received', 'completed'] },
    { key: 'status.offramp.completed', doneAt: ['completed'] },
  ],
  onramp: [
    { key: 'status.onramp.created', doneAt: ['created', 'payment_pending', 'processing', 'funds_received', 'completed'] },
    { key: 'status.onramp.pending', doneAt: ['funds_received', 'completed'] },
    { key: 'status.onramp.received', doneAt: ['funds_received', 'completed'] },
    { key: 'status.onramp.completed', doneAt: ['completed'] },
  ],
};

/** `transfer`: an onramp paid by bank transfer has a "bank transfer pending" step; card payments do not. */
export function timelineSteps(flow: Flow, status: RampStatus, t: Translate, transfer = true): TimelineStep[] {
  let currentSet = false;
  const steps = STEPS[flow].filter(({ key }) => transfer || key !== 'status.onramp.pending');
  return steps.map(({ key, doneAt }) => {
    if (doneAt.includes(status)) return { label: t(key), state: 'done' as const };
    if (!currentSet && status !== 'failed' && status !== 'expired') {
      currentSet = true;
      return { label: status === 'processing' ? `${t(key)} (${t('status.processing')})` : t(key), state: 'current' as const };
    }
    return { label: t(key), state: 'upcoming' as const };
  });
}

export function timeline(flow: Flow, status: RampStatus, t: Translate, transfer = true): TemplateResult {
  const steps = timelineSteps(flow, status, t, transfer);
  const current = steps.find((s) => s.state === 'current') ?? steps.filter((s) => s.state === 'done').at(-1);
  return html`<section class="timeline-box" aria-labelledby="timeline-title">
    <h3 id="timeline-title">${t('status.title')}</h3>
    <ol class="timeline" part="status-timeline">
      ${steps.map(
        (step) =>
          html`<li class=${step.state} aria-current=${step.state === 'current' ? 'step' : 'false'}>
            <span class="dot" aria-hidden="true">${step.state === 'done' ? '✓' : ''}</span>
            <span>${step.label}</span>
          </li>`,
      )}
    </ol>
    <p class="visually-hidden" role="status">${current ? t('status.now', { step: current.label }) : ''}</p>
  </section>`;
}
