/** The status timeline shared by both flows. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/localize.js';
import { hasReached } from '../lib/status.js';
import type { Flow, RampStatus } from '../types.js';

interface TimelineStep {
  label: string;
  state: 'done' | 'current' | 'upcoming';
  /** How long the step usually takes, as the product states it (texts `status.time.*`), while it is awaited. */
  time?: string;
}

/**
 * Where each flow's steps sit in the lifecycle: a step is done once the status has reached `doneAt` (the order is
 * `lib/status.ts`'s). A done step says
 * what happened (past tense, `done`); the current and later ones say what is awaited (`pending`, present tense), so the
 * screen never states a fact before the API does. `time` (and `transferTime`) name the text with the step's usual duration.
 */
const STEPS: Record<Flow, { pending?: string; transferPending?: string; done: string; doneAt: RampStatus; time?: string; transferTime?: string }[]> = {
  offramp: [
    { done: 'status.offramp.created', doneAt: 'created' },
    { pending: 'status.offramp.waiting', done: 'status.offramp.received', doneAt: 'funds_received', time: 'status.time.network' },
    { pending: 'status.offramp.paying', done: 'status.offramp.completed', doneAt: 'completed', time: 'status.time.bank' },
  ],
  onramp: [
    { done: 'status.onramp.created', doneAt: 'created' },
    {
      pending: 'status.onramp.waiting',
      transferPending: 'status.onramp.pending',
      done: 'status.onramp.received',
      doneAt: 'funds_received',
      time: 'status.time.payment',
      transferTime: 'status.time.sepa',
    },
    { pending: 'status.onramp.sending', done: 'status.onramp.completed', doneAt: 'completed', time: 'status.time.network' },
  ],
};

/** `transfer`: an onramp paid by bank transfer waits for the transfer, a card payment for the payment. */
export function timelineSteps(flow: Flow, status: RampStatus, t: Translate, transfer = true): TimelineStep[] {
  let currentSet = false;
  return STEPS[flow].map(({ pending, transferPending, done, doneAt, time, transferTime }) => {
    if (hasReached(status, doneAt)) return { label: t(done), state: 'done' as const };
    const label = t((transfer && transferPending) || pending || done);
    const usual = (transfer && transferTime) || time;
    const timed = usual ? { time: t(usual) } : {};
    if (!currentSet && status !== 'failed' && status !== 'expired') {
      currentSet = true;
      return { label: status === 'processing' ? `${label} (${t('status.processing')})` : label, state: 'current' as const, ...timed };
    }
    return { label, state: 'upcoming' as const, ...timed };
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
            <span>${step.label}${step.time ? html` <span class="muted time">${step.time}</span>` : nothing}</span>
          </li>`,
      )}
    </ol>
    <p class="visually-hidden" role="status">${current ? t('status.now', { step: current.label }) : ''}</p>
  </section>`;
}
