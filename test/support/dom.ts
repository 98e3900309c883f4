/** Finding things the way a user does: by role and visible label, inside the element's shadow root. */
import { waitUntil } from '@open-wc/testing';

export function root(el: HTMLElement): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

/** The control whose visible <label> text is `text`. */
export function byLabel<T extends HTMLElement = HTMLInputElement>(el: HTMLElement, text: string): T {
  // a <label for>, or the label of a choice with one option (shown as its value, labelled by aria-labelledby)
  const labels = [...root(el).querySelectorAll<HTMLElement>('label, .field > .label')];
  const label = labels.find((l) => l.textContent?.trim() === text);
  if (!label) throw new Error(`no label "${text}"; labels: ${labels.map((l) => l.textContent?.trim()).join(', ')}`);
  const control = label instanceof HTMLLabelElement ? root(el).getElementById(label.htmlFor) : root(el).querySelector(`[aria-labelledby="${label.id}"]`);
  if (!control) throw new Error(`label "${text}" points at nothing`);
  return control as T;
}

export function queryByLabel(el: HTMLElement, text: string): HTMLElement | null {
  try {
    return byLabel(el, text);
  } catch {
    return null;
  }
}

/** The button whose accessible text is `text`. */
export function button(el: HTMLElement, text: string | RegExp): HTMLButtonElement {
  const all = [...root(el).querySelectorAll('button')];
  const found = all.find((b) =>
    typeof text === 'string'
      ? (b.getAttribute('aria-label') ?? b.textContent?.trim()) === text
      : text.test(b.getAttribute('aria-label') ?? b.textContent ?? ''),
  );
  if (!found) throw new Error(`no button "${text}"; buttons: ${all.map((b) => b.textContent?.trim()).join(', ')}`);
  return found;
}

export function text(el: HTMLElement): string {
  return (root(el).textContent ?? '').replace(/\s+/g, ' ');
}

/** Types `value` into `input` as a user would: one input event per character. */
export function type(input: HTMLInputElement, value: string): void {
  input.focus();
  input.value = '';
  for (const char of value) key(input, char);
}

/** One key typed at the end of the field, with the input event a browser sends. */
function key(input: HTMLInputElement, char: string): void {
  input.value += char;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: char, inputType: 'insertText' }));
}

/** Types as a person does: one key at a time, `gapMs` apart (real time passes, so every keystroke renders). */
export async function typeSlowly(input: HTMLInputElement, value: string, gapMs: number): Promise<void> {
  input.focus();
  input.value = '';
  for (const char of value) {
    key(input, char);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
}

export function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

export async function waitForText(el: HTMLElement, needle: string | RegExp, message?: string, timeout = 4000): Promise<void> {
  await waitUntil(
    () => (typeof needle === 'string' ? text(el).includes(needle) : needle.test(text(el))),
    message ?? `waiting for "${needle}" in: ${text(el).slice(0, 300)}`,
    { timeout },
  );
}

/** The simulator's state, through its control API. */
export async function simState(): Promise<{
  payments: { id: string; status: string }[];
  rampoffs: { id: string; status: string; wallet: string; user_id: number }[];
  requests: { method: string; path: string; query: Record<string, string>; body: string }[];
}> {
  return (await fetch('/_simulator/state')).json();
}

/** Status streams the session endpoint holds open on one operation (the demo backend's own control). */
export async function openStreams(id: string, flow = 'offramp'): Promise<number> {
  return ((await (await fetch(`/_backend/streams?flow=${flow}&id=${encodeURIComponent(id)}`)).json()) as { streams: number }).streams;
}

export async function simAdvance(id?: string): Promise<void> {
  await fetch('/_simulator/advance', { method: 'POST', body: JSON.stringify(id ? { id } : {}) });
}

export async function simFail(path: string, status: number | 'hang', times = 1): Promise<void> {
  await fetch('/_simulator/fail', { method: 'POST', body: JSON.stringify({ path, status, times }) });
}

// Test files may share one browser tab: every test starts with no open operation to resume.
beforeEach(() => sessionStorage.clear());

/**
 * Mounts markup in a plain container. (fixture() waits for an animation frame on plain elements,
 * which a test page in a background tab may never get.)
 */
export function mount<T extends Element = HTMLElement>(markup: string): T {
  const container = document.createElement('div');
  container.className = 'test-mount';
  container.innerHTML = markup;
  document.body.append(container);
  return container.firstElementChild as T;
}

afterEach(() => document.querySelectorAll('.test-mount').forEach((c) => c.remove()));

// Lit's development build warns about real mistakes (updates scheduled during an update, …): they fail the test.
const litWarnings: string[] = [];
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const message = String(args[0]);
  if (message.includes('lit.dev/msg') && !message.includes('dev-mode')) litWarnings.push(message);
  warn(...args);
};
afterEach(() => {
  const found = litWarnings.splice(0);
  if (found.length) throw new Error(`Lit warned:\n${found.join('\n')}`);
});

/** The rows of the summaries on screen (review, order), as the user reads them: label → value. */
export function summaryRows(el: HTMLElement, selector = 'dl.summary'): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const row of root(el).querySelectorAll(`${selector} > div`)) {
    const label = row.querySelector('dt')?.textContent?.trim();
    if (label) rows[label] = row.querySelector('dd')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }
  return rows;
}

/** A sale from its amount through the payout step to the review, as a user would (a LATAM payout: `iban: ''`, `bankName`). */
export async function sellToReview(el: HTMLElement & { updateComplete: Promise<unknown> }, { amount = '25', iban = '', bankName = '' } = {}): Promise<void> {
  type(byLabel(el, 'You sell'), amount);
  button(el, 'Continue').click();
  await waitForText(el, 'Where should we pay you?');
  if (iban) type(byLabel(el, 'IBAN'), iban);
  if (bankName) type(byLabel(el, 'Bank name'), bankName);
  await el.updateComplete;
  button(el, 'Continue').click();
  await waitForText(el, 'Review your sale');
}

/** The value shown for a choice with one option (no select): the text under the label `text`. */
export function shownValue(el: HTMLElement, text: string): string | undefined {
  const label = [...root(el).querySelectorAll('.field > .label')].find((l) => l.textContent?.trim() === text);
  return label?.parentElement?.querySelector('.value, .pill')?.textContent?.trim();
}
