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
  .field {
    display: grid;
    gap: 0.3rem;
    min-width: 0;
  }
  label,
  .label {
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
  /* the amount pair: each side a figure (typed, or the estimate) with its pills */
  .side {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.5rem;
    background: var(--_surface);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.75);
  }
  .side > .field:first-child {
    flex: 1 1 9rem;
  }
  .big {
    font-size: 1.6rem;
    font-weight: 600;
  }
  input.big {
    padding: 0.2rem 0;
    border: 0;
    border-bottom: 1px solid var(--_border);
    border-radius: 0;
    background: none;
  }
  .pick > :first-child {
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .pill {
    display: flex;
    align-items: center;
    gap: 0.4rem;
    padding: 0.3rem 0.5rem;
    border-radius: 999px;
    background: var(--_bg);
    border: 1px solid var(--_surface);
    font-weight: 600;
  }
  .pill select {
    border: 0;
    padding: 0.2rem;
    font-weight: inherit;
    width: auto;
  }
  .muted,
  .hint {
    color: var(--_muted);
    font-size: 0.9rem;
    margin: 0;
  }
  .field-error,
  .field-error {
    font-size: 0.9rem;
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
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
`;
