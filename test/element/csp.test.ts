/**
 * Embedding under a strict Content-Security-Policy (no unsafe-inline, no unsafe-eval, Trusted Types
 * enforced): the built files render the whole sale, QR code included, with no violation. A negative
 * control proves the violation check fires.
 */
import { expect, waitUntil } from '@open-wc/testing';

async function createOperation(): Promise<{ id: string; wallet: string }> {
  const res = await fetch('/session/eu/offramp/operations', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `csp-${Math.random().toString(36).slice(2)}` },
    body: JSON.stringify({ amount: '3', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' }),
  });
  return res.json();
}

async function load(variant: string, op: string): Promise<{ frame: HTMLIFrameElement; win: Window & { violations: string[]; inlineRan?: boolean } }> {
  const frame = document.createElement('iframe');
  frame.src = `/csp/page.html?variant=${variant}&op=${op}`;
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  return { frame, win: frame.contentWindow as Window & { violations: string[]; inlineRan?: boolean } };
}

describe('strict CSP with Trusted Types', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => document.querySelectorAll('iframe').forEach((f) => f.remove()));

  for (const variant of ['bundle', 'classic', 'iife']) {
    it(`the ${variant} build renders the deposit step and its QR code with no violation`, async () => {
      const op = await createOperation();
      const { frame, win } = await load(variant, op.id);
      const shadow = () => frame.contentDocument?.querySelector('cryptopocket-ramp')?.shadowRoot;
      await waitUntil(() => shadow()?.querySelector('canvas')?.dataset.drawn === op.wallet, 'no QR code under CSP', { timeout: 6000 });
      expect(shadow()!.textContent).to.include('Send exactly 3 USDC');
      expect(win.violations).to.deep.equal([]);
    });
  }

  it('negative control: an inline script and style on the same page are reported', async () => {
    const op = await createOperation();
    const { win } = await load('control', op.id);
    await waitUntil(() => win.violations.length >= 2, 'the violation listener did not fire');
    expect(win.inlineRan).to.equal(undefined);
    expect(win.violations.some((v) => v.startsWith('script-src'))).to.be.true;
    expect(win.violations.some((v) => v.startsWith('style-src'))).to.be.true;
  });
});
