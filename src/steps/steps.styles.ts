import { css } from 'lit';
import { summaryStyles } from '../views/breakdown.js';
import { visuallyHidden } from '../views/chrome.js';

/** Styles of the steps after the amount; adopted into the shadow root when the steps load. */
export const stepStyles = css`
  ${summaryStyles}
  ${visuallyHidden}
  h3 {
    font-size: 1rem;
    margin: 0;
  }
  .inline-error {
    color: var(--_danger);
    margin: 0;
  }
  input[readonly] {
    background: var(--_surface);
  }
  .actions {
    display: flex;
    gap: 0.5rem;
  }
  .actions .primary {
    flex: 1;
  }
  .deposit {
    display: grid;
    gap: 0.6rem;
  }
  .deposit p {
    margin: 0;
  }
  .deposit-grid {
    display: grid;
    gap: var(--_space);
    grid-template-columns: 1fr;
    justify-items: center;
  }
  @container (min-width: 420px) {
    .deposit-grid {
      grid-template-columns: auto 1fr;
      justify-items: start;
      align-items: start;
    }
  }
  .qr {
    width: 176px;
    height: 176px;
    color: var(--cp-ramp-qr-dark, #000000);
    background: var(--cp-ramp-qr-light, #ffffff);
    border-radius: 8px;
  }
  .terms {
    display: grid;
    gap: 0.3rem;
  }
  .terms .check {
    display: flex;
    gap: 0.5rem;
    align-items: start;
    font-weight: 400;
  }
  .terms .links {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    margin: 0;
    padding-inline-start: 1.6rem;
  }
  .qr-figure {
    margin: 0;
    display: grid;
    gap: 0.3rem;
    max-width: 176px;
  }
  .qr-figure figcaption {
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .pending-dot {
    display: inline-block;
    width: 0.6em;
    height: 0.6em;
    margin-inline-end: 0.5em;
    border-radius: 50%;
    background: var(--_accent);
    animation: pulse 1.6s ease-in-out infinite;
  }
  @keyframes pulse {
    50% {
      opacity: 0.3;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .pending-dot,
    .current .dot,
    .step {
      animation: none;
    }
  }
  .address-box {
    display: grid;
    gap: 0.4rem;
    min-width: 0;
  }
  .address-box .label {
    font-weight: 600;
    font-size: 0.9rem;
  }
  .mono {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    overflow-wrap: anywhere;
  }
  .address span {
    white-space: nowrap;
  }
  a.button {
    display: block;
    text-align: center;
    text-decoration: none;
    border-radius: calc(var(--_radius) / 2);
    padding: 0.65rem 1rem;
  }
  a.button.primary {
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
  }
  a {
    color: var(--_accent);
  }
  .pay {
    display: grid;
    gap: 0.6rem;
  }
  .pay p {
    margin: 0;
  }
  .summary.transfer div {
    display: grid;
    gap: 0.15rem;
  }
  .transfer dd {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
    justify-content: space-between;
  }
  button.copy {
    padding: 0.2rem 0.5rem;
    font-size: 0.85rem;
    background: transparent;
    color: var(--_accent);
  }
  .address {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.95rem;
    background: var(--_surface);
    border-radius: 8px;
    padding: 0.5rem;
    user-select: all;
  }
  .warning {
    border-inline-start: 4px solid var(--_danger);
    padding: 0.5rem 0.75rem;
    background: color-mix(in srgb, var(--_danger) 8%, var(--_bg));
    border-radius: 4px;
  }
  .copy-feedback {
    min-height: 1.2em;
    font-size: 0.9rem;
    color: var(--_muted);
  }
  .timeline-box {
    display: grid;
    gap: 0.5rem;
  }
  .timeline {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.45rem;
  }
  .timeline li {
    display: flex;
    gap: 0.6rem;
    align-items: start;
    color: var(--_muted);
  }
  .timeline .time {
    display: block;
    font-size: 0.85rem;
    font-weight: 400;
  }
  .timeline li.done,
  .timeline li.current {
    color: var(--_text);
  }
  .timeline li.current {
    font-weight: 700;
  }
  .dot {
    display: inline-grid;
    place-items: center;
    width: 1.3rem;
    height: 1.3rem;
    border-radius: 50%;
    border: 2px solid var(--_border);
    font-size: 0.8rem;
    flex: none;
  }
  .done .dot {
    background: var(--_success);
    border-color: var(--_success);
    color: var(--_bg);
  }
  .current .dot {
    border-color: var(--_accent);
    box-shadow:
      inset 0 0 0 3px var(--_bg),
      inset 0 0 0 8px var(--_accent);
    animation: pulse 1.6s ease-in-out infinite;
  }
  /* a later step arrives: a short rise, so the eye sees that the view changed (no fade: text stays readable throughout) */
  .step {
    animation: arrive 180ms ease-out;
  }
  @keyframes arrive {
    from {
      transform: translateY(6px);
    }
  }
  .state.success {
    color: var(--_text);
  }
  .success-title {
    font-weight: 700;
    color: var(--_success);
    margin: 0;
  }
  .state.success p {
    margin: 0;
  }
  .history-head {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
  }
  button.small {
    padding: 0.3rem 0.7rem;
    font-size: 0.9rem;
  }
  .history-list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  .history-item {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.5rem;
    align-items: center;
    padding: 0.6rem 0.75rem;
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_surface);
  }
  .history-summary {
    display: grid;
    gap: 0.15rem;
    min-width: 0;
  }
  .history-title {
    font-weight: 600;
  }
  .history-meta {
    color: var(--_muted);
    font-size: 0.85rem;
  }
  .badge {
    justify-self: start;
    font-size: 0.8rem;
    font-weight: 600;
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    color: var(--_muted);
  }
  .badge.completed {
    color: var(--_success);
  }
  .badge.failed,
  .badge.expired {
    color: var(--_danger);
  }
  .history-details {
    grid-column: 1 / -1;
    background: var(--_bg);
  }
  .kyc {
    color: var(--_text);
  }
  .kyc p {
    margin: 0;
  }
`;
