import { css } from 'lit';

/** The dark theme's defaults (each still overridable by its `--cp-ramp-*` token). */
const dark = css`
    color-scheme: dark;
    --_accent: var(--cp-ramp-accent, #a49dff);
    --_accent-text: var(--cp-ramp-accent-text, #14112e);
    --_bg: var(--cp-ramp-background, #17171f);
    --_surface: var(--cp-ramp-surface, #25252f);
    --_text: var(--cp-ramp-text, #f2f2f7);
    --_muted: var(--cp-ramp-muted, #b9bacb);
    --_danger: var(--cp-ramp-danger, #ff8f85);
    --_success: var(--cp-ramp-success, #7fdc93);
    --_border: var(--cp-ramp-border, #8d8ea3);
`;

/** Design tokens are read from `--cp-ramp-*` custom properties on the host, always with a fallback. */
export const styles = css`
  :host {
    display: block;
    container-type: inline-size;
    --_accent: var(--cp-ramp-accent, #3b2fc9);
    --_accent-text: var(--cp-ramp-accent-text, #ffffff);
    --_bg: var(--cp-ramp-background, #ffffff);
    --_surface: var(--cp-ramp-surface, #f4f4f8);
    --_text: var(--cp-ramp-text, #16161d);
    --_muted: var(--cp-ramp-muted, #55566a);
    --_danger: var(--cp-ramp-danger, #b3261e);
    --_success: var(--cp-ramp-success, #146c2e);
    --_border: var(--cp-ramp-border, #8a8b9c);
    --_radius: var(--cp-ramp-radius, 12px);
    --_space: var(--cp-ramp-spacing, 1rem);
    --_focus: var(--cp-ramp-focus-ring, 0 0 0 3px color-mix(in srgb, var(--_accent) 45%, transparent));
    font-family: var(--cp-ramp-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: 1rem;
    line-height: 1.4;
    color: var(--_text);
    text-align: start;
    color-scheme: light;
    /* inherited text styles of the host page stop here */
    font-style: normal;
    font-weight: 400;
    letter-spacing: normal;
    word-spacing: normal;
    text-transform: none;
    text-indent: 0;
    white-space: normal;
    direction: inherit;
  }
  :host([hidden]) {
    display: none;
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${dark}
    }
  }
  * {
    box-sizing: border-box;
  }
  .card {
    background: var(--_bg);
    border: 1px solid color-mix(in srgb, var(--_border) 40%, transparent);
    border-radius: var(--_radius);
    padding: var(--_space);
    display: grid;
    gap: var(--_space);
    min-width: 0;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) / 2);
    align-items: center;
    justify-content: space-between;
  }
  h2 {
    font-size: 1.2rem;
    margin: 0;
  }
  [role='tablist'] {
    display: inline-flex;
    background: var(--_surface);
    border-radius: 999px;
    padding: 3px;
  }
  [role='tab'] {
    border: 0;
    background: transparent;
    color: var(--_text);
    border-radius: 999px;
    padding: 0.35rem 0.9rem;
    font: inherit;
    cursor: pointer;
  }
  [role='tab'][aria-selected='true'] {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  form,
  .step {
    display: grid;
    gap: calc(var(--_space) * 0.75);
  }
  .row {
    display: grid;
    grid-template-columns: 1fr;
    gap: calc(var(--_space) * 0.75);
  }
  @container (min-width: 400px) {
    .row {
      grid-template-columns: 1fr 1fr;
    }
  }
  .field {
    display: grid;
    gap: 0.3rem;
    min-width: 0;
  }
  label {
    font-weight: 600;
    font-size: 0.9rem;
  }
  input,
  select {
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.55rem 0.7rem;
    width: 100%;
    min-width: 0;
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  input[readonly] {
    background: var(--_surface);
  }
  .input-row {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  .suffix {
    color: var(--_muted);
    font-weight: 600;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
    box-shadow: var(--_focus);
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: calc(var(--_radius) / 2);
    padding: 0.65rem 1rem;
    border: 1px solid var(--_accent);
  }
  button.primary {
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
    width: 100%;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button[disabled],
  button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .quote {
    background: var(--_surface);
    border-radius: calc(var(--_radius) / 1.5);
    padding: calc(var(--_space) * 0.75);
  }
  .quote p {
    margin: 0.1rem 0;
  }
  .quote-amount {
    font-size: 1.3rem;
    font-weight: 700;
  }
  .muted,
  .hint {
    color: var(--_muted);
    font-size: 0.9rem;
    margin: 0;
  }
  .field-error {
    color: var(--_danger);
    font-size: 0.9rem;
    margin: 0;
  }
  .state {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
    padding: var(--_space) 0;
  }
  .state.error {
    color: var(--_danger);
  }
  .state.error p {
    margin: 0;
  }
  .error-title {
    font-weight: 700;
  }
  .spinner {
    width: 1.2rem;
    height: 1.2rem;
    border: 3px solid var(--_surface);
    border-top-color: var(--_accent);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  button.close {
    border: 0;
    background: transparent;
    color: var(--_muted);
    font-size: 1.4rem;
    line-height: 1;
    padding: 0.2rem 0.5rem;
  }
  h3 {
    font-size: 1rem;
    margin: 0;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
  }
  .actions .primary {
    flex: 1;
  }
  .summary {
    margin: 0;
    display: grid;
    gap: 0.4rem;
    background: var(--_surface);
    border-radius: calc(var(--_radius) / 1.5);
    padding: calc(var(--_space) * 0.75);
  }
  .summary div {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
    flex-wrap: wrap;
  }
  .summary dt {
    color: var(--_muted);
  }
  .summary dd {
    margin: 0;
    font-weight: 600;
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
  .notice,
  .inline-error {
    color: var(--_danger);
    margin: 0;
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
    align-items: center;
    color: var(--_muted);
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
    box-shadow: inset 0 0 0 3px var(--_bg), inset 0 0 0 8px var(--_accent);
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
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
`;
