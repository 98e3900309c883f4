/**
 * Embedding from a CDN: a merchant's page (localhost) loads the built files from another origin (127.0.0.1, with the
 * CORS header public CDNs send), with and without `crossorigin`. The first screen and the steps after it, which are
 * chunks imported beside the script, must load: a sale gets to its review.
 */
import { expect, waitUntil } from '@open-wc/testing';

/** The widget in the frame once its first screen is there: the element, its shadow root, and typing an amount to sell. */
async function firstScreen(
  frame: HTMLIFrameElement,
): Promise<{ element: () => Element | undefined; shadow: () => ShadowRoot | undefined; typeAmount: () => void }> {
  const element = () => frame.contentDocument?.querySelector('cryptopocket-ramp') ?? undefined;
  const shadow = () => element()?.shadowRoot ?? undefined;
  const input = () =>
    [...(shadow()?.querySelectorAll('input') ?? [])].find((i) => shadow()!.querySelector(`label[for="${i.id}"]`)?.textContent?.includes('You sell'));
  await waitUntil(input, 'the first screen did not load', { timeout: 6000 });
  const typeAmount = () => {
    const field = input()!;
    field.value = '5';
    field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  };
  return { element, shadow, typeAmount };
}

async function pressContinue(shadow: () => ShadowRoot | undefined): Promise<void> {
  const next = () => [...shadow()!.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Continue');
  await waitUntil(() => next() && !next()!.hasAttribute('disabled'), 'no Continue button', { timeout: 4000 });
  next()!.click();
}

async function load(variant: string): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.src = `/cdn/page.html?variant=${variant}`;
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  return frame;
}

describe('embedded from another origin (a CDN)', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => document.querySelectorAll('iframe').forEach((f) => f.remove()));

  for (const variant of ['classic', 'classic-cors', 'bundle', 'bundle-sri', 'classic-sri']) {
    it(`the ${variant} build loads its later steps from the script's own origin`, async () => {
      const { shadow, typeAmount } = await firstScreen(await load(variant));
      typeAmount();
      await pressContinue(shadow);
      await waitUntil(
        () => shadow()!.textContent?.includes('Where should we pay you?'),
        `the steps chunk did not load (${shadow()!.textContent?.replace(/\s+/g, ' ').slice(0, 120)})`,
        { timeout: 6000 },
      );
      expect(shadow()!.textContent).not.to.include('Loading');
    });
  }

  for (const variant of ['missing-chunks', 'bundle-sri-tampered']) {
    it(`chunks that cannot be loaded (${variant}): a message with a retry button and a retryable ramp-error, not an endless spinner`, async () => {
      const { element, shadow, typeAmount } = await firstScreen(await load(variant));
      const errors: { code: string; retryable: boolean }[] = [];
      element()!.addEventListener('ramp-error', (e) => errors.push((e as CustomEvent).detail));
      typeAmount();
      await pressContinue(shadow);
      await waitUntil(() => shadow()!.textContent?.includes('Part of the widget could not be loaded'), 'no message', { timeout: 6000 });
      expect(errors.some((e) => e.code === 'chunk_failed' && e.retryable)).to.be.true;
      expect([...shadow()!.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Try again')).to.be.true;
    });
  }
});
