/**
 * The built files, as a merchant's page loads them (npm test builds before the browser tests):
 * each runs in its own iframe, so what is checked is the file itself, not our sources.
 */
import { expect, waitUntil } from '@open-wc/testing';

async function createOperation(): Promise<{ id: string; wallet: string }> {
  const res = await fetch('/session/eu/offramp/operations', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `build-test-${Math.random().toString(36).slice(2)}` },
    body: JSON.stringify({ amount: '12', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' }),
  });
  return res.json();
}

async function page(body: string): Promise<{ frame: HTMLIFrameElement; errors: string[] }> {
  const frame = document.createElement('iframe');
  frame.style.width = '480px';
  frame.style.height = '900px';
  // errors are collected from the first script on, including module load failures
  frame.srcdoc = `<!doctype html><html lang="en"><head><script>window.errors = []; addEventListener('error', (e) => errors.push(e.message || String(e.target && e.target.src)), true); addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));</script></head><body>${body}</body></html>`;
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  return { frame, errors: (frame.contentWindow as unknown as { errors: string[] }).errors };
}

function shadow(frame: HTMLIFrameElement): ShadowRoot | null | undefined {
  return frame.contentDocument?.querySelector('cryptopocket-ramp')?.shadowRoot;
}

describe('built files', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => document.querySelectorAll('iframe').forEach((f) => f.remove()));

  const classicScripts = { 'classic script': '/dist/classic/cryptopocket-ramp.js', 'one-file classic script (IIFE)': '/dist/cryptopocket-ramp.iife.js' };
  for (const [name, src] of Object.entries(classicScripts)) {
    it(`the ${name} renders, follows an operation and draws its QR code`, async () => {
      const op = await createOperation();
      const { frame, errors } = await page(
        `<script src="${src}"></script><cryptopocket-ramp session-url="/session/eu" mode="offramp" operation-id="${op.id}"></cryptopocket-ramp>`,
      );
      await waitUntil(() => shadow(frame)?.querySelector('canvas')?.dataset.drawn === op.wallet, `${name} did not reach the deposit step`, { timeout: 5000 });
      expect(shadow(frame)!.textContent).to.include('Send exactly 12 USDC');
      expect(errors).to.deep.equal([]);
      // the element is defined as the script runs, and its events are reachable for instanceof checks
      const win = frame.contentWindow as unknown as { CryptopocketRamp: Record<string, unknown>; customElements: CustomElementRegistry };
      expect(win.CryptopocketRamp.CryptopocketRamp).to.equal(win.customElements.get('cryptopocket-ramp'));
      expect(win.CryptopocketRamp.StatusChangedEvent).to.be.a('function');
    });
  }

  it('the classic script loads its later steps and QR code from beside itself, not from the page', async () => {
    // the page sits elsewhere (a <base> that points away): chunks resolve against the script, not the document
    const { frame, errors } = await page(
      `<base href="/somewhere/else/"><script src="/dist/classic/cryptopocket-ramp.js"></script><cryptopocket-ramp session-url="/session/eu" mode="offramp"></cryptopocket-ramp>`,
    );
    await waitUntil(() => shadow(frame)?.textContent?.includes('You sell'), 'did not render', { timeout: 5000 });
    const loaded = () => frame.contentWindow!.performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
    expect(loaded().filter((p) => p.includes('/chunks/qrcode-'))).to.deep.equal([], 'no QR code chunk on the first screen');
    const op = await createOperation();
    frame.contentDocument!.querySelector('cryptopocket-ramp')!.setAttribute('operation-id', op.id);
    await waitUntil(() => shadow(frame)?.querySelector('canvas')?.dataset.drawn === op.wallet, 'no deposit step', { timeout: 5000 });
    // (a resource timing entry can land a moment after the module ran)
    await waitUntil(() => loaded().some((p) => p.startsWith('/dist/classic/chunks/qrcode-')), 'the QR code chunk did not come from beside the script');
    expect(loaded().filter((p) => p.includes('/chunks/') && !p.startsWith('/dist/classic/chunks/'))).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });

  it('the self-contained ES module loads the QR code chunk only when a deposit address is shown', async () => {
    const { frame, errors } = await page(
      `<script type="module" src="/dist/cryptopocket-ramp.bundle.js"></script><cryptopocket-ramp session-url="/session/eu" mode="offramp"></cryptopocket-ramp>`,
    );
    await waitUntil(() => shadow(frame)?.textContent?.includes('You sell'), 'ES module did not render', { timeout: 5000 }).catch((error: Error) => {
      throw new Error(`${error.message}: ${errors.join('; ')} ${shadow(frame)?.textContent}`);
    });
    const chunks = () => frame.contentWindow!.performance.getEntriesByType('resource').filter((e) => e.name.includes('/dist/chunks/qrcode-')).length;
    expect(chunks()).to.equal(0, 'no QR code chunk on the first screen');
    const op = await createOperation();
    frame.contentDocument!.querySelector('cryptopocket-ramp')!.setAttribute('operation-id', op.id);
    await waitUntil(() => shadow(frame)?.querySelector('canvas')?.dataset.drawn === op.wallet, 'no deposit step', { timeout: 5000 });
    await waitUntil(() => chunks() > 0, 'the QR code chunk was not loaded');
    expect(errors).to.deep.equal([]);
  });

  it('two copies of a script on one page define the element once, without errors', async () => {
    const op = await createOperation();
    const { frame, errors } = await page(
      `<script src="/dist/cryptopocket-ramp.iife.js"></script><script src="/dist/cryptopocket-ramp.iife.js"></script><script src="/dist/classic/cryptopocket-ramp.js"></script><cryptopocket-ramp session-url="/session/eu" mode="offramp" operation-id="${op.id}"></cryptopocket-ramp>`,
    );
    // the first copy wins; the later steps it loads lazily still work (the classic script's chunks bind to their own copy)
    await waitUntil(() => shadow(frame)?.querySelector('canvas')?.dataset.drawn === op.wallet, 'no deposit step', { timeout: 5000 });
    expect(errors).to.deep.equal([]);
  });
});
