import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { CryptopocketRamp } from '../../src/cryptopocket-ramp.js';
import type { Quote } from '../../src/types.js';
import { render } from 'lit';
import { mark } from '../../src/views/marks.js';
import { button, byLabel, choose, mount, queryByLabel, root, simState, summaryRows, text, type, waitForText } from '../support/dom.js';

/** A widget in `mode`, its configuration and its marks loaded. */
async function widget(mode: 'onramp' | 'offramp', session = '/session/eu'): Promise<CryptopocketRamp> {
  const el = mount<CryptopocketRamp>(`<cryptopocket-ramp session-url="${session}" mode="${mode}"></cryptopocket-ramp>`);
  await waitUntil(() => root(el).querySelector('[part="token-mark"]'), 'no token mark', { timeout: 4000 });
  return el;
}

/** The two sides of the amount pair: each one's labels and what its controls show. */
function sides(el: CryptopocketRamp): { labels: string[]; shown: string[] }[] {
  return [...root(el).querySelectorAll('.side')].map((side) => ({
    labels: [...side.querySelectorAll('label, .label')].map((l) => l.textContent!.trim()),
    shown: [...side.querySelectorAll('input, output, select, .pill:not(:has(select))')].map((c) =>
      c instanceof HTMLInputElement || c instanceof HTMLSelectElement ? c.value : c.textContent!.trim(),
    ),
  }));
}

const breakdown = (el: CryptopocketRamp) => summaryRows(el, 'dl.breakdown');

describe('look and trust: the amount pair, the breakdown, the quote that holds, the step indicator', () => {
  beforeEach(() => sessionStorage.clear());

  it('a purchase reads as a pair (you pay, you get) with marked pills, and its breakdown adds up, network fee included', async () => {
    const el = await widget('onramp');
    const quoted = oneEvent(el, 'quote-updated');
    type(byLabel(el, 'You pay'), '100');
    await quoted;
    await waitUntil(() => breakdown(el)['Processing fee'], 'no breakdown');
    expect(sides(el)).to.deep.equal([
      { labels: ['You pay', 'Currency'], shown: ['100', 'EUR'] },
      { labels: ['You get (estimate)', 'Token', 'Network'], shown: ['≈ 107.06 USDC', 'USDC', 'polygon'] },
    ]);
    // the token's mark carries its network's as a badge; the network pill its own
    const token = root(el).querySelector('.pill:has(#token) [part="token-mark"]')!;
    expect(token.querySelector('svg'), 'the USDC mark is drawn').to.exist;
    expect(token.querySelector('.badge [part="network-mark"] svg'), 'the Polygon badge').to.exist;
    expect(root(el).querySelector('.pill:has(#network) [part="network-mark"] svg')).to.exist;
    expect(breakdown(el)).to.deep.equal({ Rate: '1 USDC ≈ €0.92', 'Processing fee': '€1.50', 'Total you pay': '€100.00' });
    expect(text(el)).to.include('Step 1 of 4');
    expect(root(el).querySelector('.progress .visually-hidden')!.textContent).to.equal(': Amount');
    expect(text(el)).to.include('Powered by Cryptopocket');
    await expect(el).to.be.accessible();

    // on Ethereum the API names a network fee: it is its own line, and the estimate is net of it
    const again = oneEvent(el, 'quote-updated');
    choose(byLabel<HTMLSelectElement>(el, 'Network'), 'ethereum');
    const { detail } = await again;
    expect(detail).to.include({ networkFee: '1.5', fee: '1.5', tokenAmount: '105.434782' });
    await waitUntil(() => breakdown(el)['Network fee'], 'no network fee line');
    expect(breakdown(el)).to.deep.equal({ Rate: '1 USDC ≈ €0.92', 'Processing fee': '€1.50', 'Network fee': '€1.50', 'Total you pay': '€100.00' });
    await waitForText(el, '≈ 105.43 USDC');
  });

  it('a sale reads as a pair (you sell, you receive), and its breakdown ends with what reaches the bank', async () => {
    const el = await widget('offramp');
    type(byLabel(el, 'You sell'), '25');
    await waitUntil(() => breakdown(el)['Processing fee'], 'no breakdown');
    expect(sides(el)).to.deep.equal([
      { labels: ['You sell', 'Token', 'Network'], shown: ['25', 'USDC', 'polygon'] },
      { labels: ['You receive (estimate)', 'Currency'], shown: ['≈ €22.77', 'EUR'] },
    ]);
    expect(breakdown(el)).to.deep.equal({ Rate: '1 USDC ≈ €0.92', 'Processing fee': '€0.23', 'You receive': '≈ €22.77' });
    await expect(el).to.be.accessible();
  });

  it('the quote counts down, asks again when it runs out (once), and the review shows the fresh figures', async function () {
    this.timeout(30_000);
    // a test page may be in a background tab: this one is in view (a hidden tab waits for its return to refresh)
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    after(() => delete (document as { visibilityState?: DocumentVisibilityState }).visibilityState);
    const el = await widget('onramp', '/session/quick-quotes');
    const quotes: Quote[] = [];
    el.addEventListener('quote-updated', (e) => quotes.push(e.detail));
    const asked = async () => (await simState()).requests.filter((r) => r.path === '/api/quote' && r.query.amount === '123.45').length;
    type(byLabel(el, 'You pay'), '123.45');
    await waitForText(el, 'New quote in 5 s');
    await waitForText(el, 'New quote in 3 s', 'the countdown does not tick');
    expect(await asked()).to.equal(1);
    await waitUntil(() => quotes.length === 2, 'no fresh quote when the first ran out', { timeout: 8000 });
    expect(await asked(), 'one upstream quote per refresh').to.equal(2);
    await waitForText(el, 'New quote in 5 s');

    // the review repeats the figures of the quote on screen, and keeps it fresh too
    button(el, 'Continue').click();
    await waitUntil(() => queryByLabel(el, 'Your wallet address'), 'no wallet step');
    type(byLabel(el, 'Your wallet address'), '0x71C7656EC7ab88b098defB751B7401B5f6d8976F');
    expect(text(el)).to.include('Step 2 of 4');
    button(el, 'Continue').click();
    await waitForText(el, 'Review your purchase');
    expect(text(el)).to.include('Step 3 of 4');
    await waitUntil(() => quotes.length === 3, 'the quote is not refreshed on the review', { timeout: 8000 });
    await el.updateComplete;
    const last = quotes.at(-1)!;
    expect(summaryRows(el)).to.deep.include({
      'You receive (estimate)': `≈ ${Number(last.tokenAmount).toFixed(2)} USDC`,
      Rate: '1 USDC ≈ €0.92',
      'Processing fee': `€${Number(last.fee).toFixed(2)}`,
    });
    expect(text(el)).to.match(/New quote in [1-5] s/);
    expect(await asked()).to.equal(3);
    await expect(el).to.be.accessible();
  });

  it('a token or network without a drawn mark gets its first letter; the marks are parts a host can hide', async () => {
    const host = mount<HTMLDivElement>('<div></div>');
    render(mark('token', 'xyz', mark('network', 'zksync')), host);
    const token = host.querySelector('[part="token-mark"]')!;
    expect(token.classList.contains('letter')).to.equal(true);
    const own = [...token.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent)
      .join('');
    expect(own).to.equal('X');
    expect(token.querySelector('[part="network-mark"]')!.textContent).to.equal('Z');
    expect(token.getAttribute('aria-hidden')).to.equal('true');
    render(mark('token', 'USDT'), host);
    expect(host.querySelector('[part="token-mark"] svg')).to.exist;
    expect(host.querySelector('[part="token-mark"]')!.textContent!.trim()).to.equal('');
  });
});
