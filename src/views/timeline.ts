/** The status timeline shared by both flows. */
import { html, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import { hasReached } from '../lib/status.js';
import type { Flow, RampStatus } from '../types.js';

interface TimelineStep {
  label: string;
  state: 'done' | 'current' | 'upcoming';
}

/**
 * Where each flow's steps sit in the lifecycle: a step is done once the status has reached `doneAt` (the order is
 * `lib/status.ts`'s). A done step says
 * what happened (past tense, `done`); the current and later ones say what is awaited (`pending`, present tense), so the
 * screen never states a fact before the API does.
 */
const STEPS: Record<Flow, { pending?: string; transferPending?: string; done: string; doneAt: RampStatus }[]> = {
  offramp: [
    { done: 'status.offramp.created', doneAt: 'created' },
    { pending: 'status.offramp.waiting', done: 'status.offramp.received', doneAt: 'funds_received' },
    { pending: 'status.offramp.paying', done: 'status.offramp.completed', doneAt: 'completed' },
  ],
  onramp: [
    { done: 'status.onramp.created', doneAt: 'created' },
    { pending: 'status.onramp.waiting', transferPending: 'status.onramp.pending', done: 'status.onramp.received', doneAt: 'funds_received' },
    { pending: 'status.onramp.sending', done: 'status.onramp.completed', doneAt: 'completed' },
  ],
};

/** `transfer`: an onramp paid by bank transfer waits for the transfer, a card payment for the payment. */
export function timelineSteps(flow: Flow, status: RampStatus, t: Translate, transfer = true): TimelineStep[] {
  let currentSet = false;
  return STEPS[flow].map(({ pending, transferPending, done, doneAt }) => {
    if (hasReached(status, doneAt)) return { label: t(done), state: 'done' as const };
    const label = t((transfer && transferPending) || pending || done);
    if (!currentSet && status !== 'failed' && status !== 'expired') {
      currentSet = true;
      return { label: status === 'processing' ? `${label} (${t('status.processing')})` : label, state: 'current' as const };
    }
    return { label, state: 'upcoming' as const };
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
