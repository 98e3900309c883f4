import { expect, fixture, html, oneEvent, waitUntil, aTimeout } from '@open-wc/testing';
import '../../src/index.js';
import type { CryptopocketRamp } from '../../src/cryptopocket-ramp.js';
import { nextTask } from '../../src/lib/tasks.js';
import { shownValue, byLabel, button, queryByLabel, root, text, type, typeSlowly, waitForText, simState, mount } from '../support/dom.js';

function container(): HTMLDivElement {
  return mount<HTMLDivElement>('<div></div>');
}

async function ready(template: ReturnType<typeof html>): Promise<CryptopocketRamp> {
  const el = await fixture<CryptopocketRamp>(template);
  await waitUntil(() => queryByLabel(el, 'Token'), 'config did not load', { timeout: 4000 });
  return el;
}

describe('<cryptopocket-ramp> shell', () => {
  it('shows the buy view with the config from the session endpoint, without a flash of a loading state', async () => {
    const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/eu"></cryptopocket-ramp>');
    const rendered: string[] = [];
    const watch = new MutationObserver(() => rendered.push(root(el).textContent ?? ''));
    await waitUntil(() => el.shadowRoot, 'no shadow root');
    watch.observe(el.shadowRoot!, { childList: true, subtree: true, characterData: true });
    // the view renders in a task of its own after the configuration's answer: a task queued as the answer is
    // handled runs before the render
    let renderedInAnswerTask: boolean | undefined;
    el.addEventListener('ramp-ready', () => void nextTask().then(() => (renderedInAnswerTask = Boolean(root(el).querySelector('h2')))), { once: true });
    const event = await oneEvent(el, 'ramp-ready');
    expect(event.detail.region).to.equal('EU');
    expect(event.detail.paymentMethods).to.deep.equal(['card', 'paypal', 'psd2', 'transfer']);
    await el.updateComplete;
    expect(root(el).querySelector('h2')?.textContent).to.equal('Buy crypto');
    expect(renderedInAnswerTask).to.equal(false);
    const tokens = [...byLabel<HTMLSelectElement>(el, 'Token').options].map((o) => o.value);
    expect(tokens).to.deep.equal(['USDC', 'USDT', 'ETH']);
    expect([...byLabel<HTMLSelectElement>(el, 'Network').options].map((o) => o.value)).to.deep.equal(['polygon', 'ethereum', 'bsc']);
    expect(byLabel<HTMLSelectElement>(el, 'Payment method').value).to.equal('card');
    watch.disconnect();
    expect(rendered.some((t) => t.includes('Loading'))).to.equal(false, 'a fast endpoint shows no loading state');
    await expect(el).to.be.accessible();
  });

  it('events bubble out of the shadow root to the page', async () => {
    const wrapper = container();
    const readyEvent = oneEvent(wrapper, 'ramp-ready');
    wrapper.innerHTML = '<cryptopocket-ramp session-url="/session/eu"></cryptopocket-ramp>';
    const event = await readyEvent;
    expect(event.composed).to.be.true;
    expect(event.bubbles).to.be.true;
  });

  it('code that comes after ramp-ready loses nothing: ready resolves with that configuration, and config holds it', async () => {
    const wrapper = container();
    const readyEvent = oneEvent(wrapper, 'ramp-ready');
    wrapper.innerHTML = '<cryptopocket-ramp session-url="/session/eu"></cryptopocket-ramp>';
    const { detail } = await readyEvent;
    const el = wrapper.querySelector<CryptopocketRamp>('cryptopocket-ramp')!;
    // awaited only now, after the event has gone
    const config = await el.ready;
    expect(config).to.equal(detail);
    expect(el.config).to.equal(detail);
    expect(config.region).to.equal('EU');
  });

  it('without session-url it says so and fires ramp-error', async () => {
    const wrapper = container();
    const el = document.createElement('cryptopocket-ramp');
    const errored = oneEvent(wrapper, 'ramp-error');
    wrapper.append(el);
    const { detail } = await errored;
    expect(detail.code).to.equal('config_missing');
    await el.updateComplete;
    expect(root(el).querySelector('[role="alert"]')?.textContent).to.include('session-url attribute is missing');
    await expect(el).to.be.accessible();
  });

  it('a slow endpoint shows a loading state after a moment, then the view', async () => {
    const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/slow"></cryptopocket-ramp>');
    const ready = oneEvent(el, 'ramp-ready');
    await waitUntil(() => root(el)?.querySelector('[role="status"]')?.textContent?.includes('Loading'), 'no loading state', { timeout: 500 });
    await expect(el).to.be.accessible();
    await ready;
    await el.updateComplete;
    expect(root(el).querySelector('h2')?.textContent).to.equal('Buy crypto');
    expect(root(el).querySelector('[role="status"]')?.textContent ?? '').not.to.include('Loading');
  });

  it('sends the token property as a bearer token, also when it is set after the element is in the page', async () => {
    const early = document.createElement('cryptopocket-ramp');
    early.setAttribute('session-url', '/session/bearer');
    early.token = 'good-token';
    const earlyReady = oneEvent(early, 'ramp-ready');
    container().append(early);
    await earlyReady;
    // set after connecting, before or after the first answer: the element asks again with it
    const late = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/bearer"></cryptopocket-ramp>');
    const { detail } = await oneEvent(late, 'ramp-error');
    expect(detail.code).to.equal('session_expired');
    const ready = oneEvent(late, 'ramp-ready');
    late.token = 'good-token';
    await ready;
    await late.updateComplete;
    expect(queryByLabel(late, 'Token')).to.exist;
    expect(root(late).querySelector('[role="alert"]')).to.equal(null);
  });

  it('an unreachable endpoint shows a retryable message; retrying loads the view', async () => {
    const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/nowhere"></cryptopocket-ramp>');
    const { detail } = await oneEvent(el, 'ramp-error');
    expect(detail.retryable).to.be.false; // a 404 will not fix itself
    await el.updateComplete;
    expect(root(el).querySelector('[role="alert"]')).to.exist;
    await expect(el).to.be.accessible();
    el.sessionUrl = '/session/eu';
    await oneEvent(el, 'ramp-ready');
    await el.updateComplete;
    expect(root(el).querySelector('[role="alert"]')).to.equal(null);
  });

  it('a session endpoint error can be retried with the Try again button', async () => {
    const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/anonymous"></cryptopocket-ramp>');
    const { detail } = await oneEvent(el, 'ramp-error');
    expect(detail.code).to.equal('session_expired');
    await el.updateComplete;
    expect(text(el)).to.include('Your session has expired');
    el.setAttribute('session-url', '/session/eu');
    await oneEvent(el, 'ramp-ready');
    button(el, 'Buy'); // the view is back
  });

  it('switches between buy and sell with the tabs, by mouse and by keyboard', async () => {
    const el = await ready(html`<cryptopocket-ramp session-url="/session/eu"></cryptopocket-ramp>`);
    const changes: { view: string; mode: string }[] = [];
    el.addEventListener('mode-changed', (e) => changes.push(e.detail));
    button(el, 'Sell').click();
    await el.updateComplete;
    expect(el.mode).to.equal('offramp');
    expect(el.getAttribute('mode')).to.equal('offramp');
    expect(root(el).querySelector('h2')?.textContent).to.equal('Sell crypto');
    expect(queryByLabel(el, 'You sell')).to.exist;
    const sell = button(el, 'Sell');
    sell.focus();
    sell.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(el.mode).to.equal('onramp');
    expect(root(el).activeElement?.textContent?.trim()).to.equal('Buy');
    // each switch the user made is reported once, so a host that mirrors mode does not drift; clicking the shown tab is none
    button(el, 'Buy').click();
    button(el, 'Activity').click();
    await el.updateComplete;
    expect(changes).to.deep.equal([
      { view: 'offramp', mode: 'offramp' },
      { view: 'onramp', mode: 'onramp' },
      { view: 'history', mode: 'onramp' },
    ]);
    button(el, 'Buy').click();
    // the tab list is named for all it holds: Activity is no way to buy or sell
    expect(root(el).querySelector('[role="tablist"]')!.getAttribute('aria-label')).to.equal('Buy, sell or see your activity');
    el.setAttribute('views', 'onramp,offramp');
    await el.updateComplete;
    expect(root(el).querySelector('[role="tablist"]')!.getAttribute('aria-label')).to.equal('Buy or sell');
    await expect(el).to.be.accessible();
  });

  it('lock-mode hides the tabs', async () => {
    const el = await ready(html`<cryptopocket-ramp session-url="/session/eu" mode="offramp" lock-mode></cryptopocket-ramp>`);
    expect(root(el).querySelector('[role="tablist"]')).to.equal(null);
    expect(root(el).querySelector('h2')?.textContent).to.equal('Sell crypto');
  });

  it('quotes as the user types, without one request per keystroke (typed 120 ms apart, as people type)', async () => {
    const el = await ready(html`<cryptopocket-ramp session-url="/session/eu" mode="offramp"></cryptopocket-ramp>`);
    // other test files share the simulator: count only quotes for what this test types
    const mine = (r: { path: string; query: Record<string, string> }) =>
      r.path === '/api/rampoff/quote' && ['9', '97', '973', '9731', '9731.5'].includes(r.query.amount ?? '');
    const before = (await simState()).requests.filter(mine).length;
    const quoted = oneEvent(el, 'quote-updated');
    await typeSlowly(byLabel(el, 'You sell'), '9731.5', 120);
    const { detail } = await quoted;
    expect(detail).to.include({ flow: 'offramp', symbol: 'USDC', tokenAmount: '9731.5', fiat: 'EUR' });
    await waitForText(el, `≈ ${new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(Number(detail.fiatAmount))}`);
    const after = (await simState()).requests.filter(mine).length;
    expect(after - before).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it('an invalid amount says what is wrong with it, and asks for no quote', async () => {
    const el = await ready(html`<cryptopocket-ramp session-url="/session/eu"></cryptopocket-ramp>`);
    const input = byLabel(el, 'You pay');
    let quoted = 0;
    el.addEventListener('quote-updated', () => quoted++);
    const cases: [string, string][] = [
      ['1.2.3', 'Use “.” for decimals and “,” between thousands, for example 1,234.5.'],
      ['1.000.000', 'Use “.” for decimals and “,” between thousands, for example 1,234.5.'],
      ['1,5', 'Use “.” for decimals and “,” between thousands, for example 1,234.5.'],
      ['12abc', 'Use digits only, with “.” for decimals, for example 1,234.5.'],
      ['0', 'Enter an amount greater than zero'],
    ];
    for (const [typed, message] of cases) {
      type(input, typed);
      await el.updateComplete;
      expect(input.getAttribute('aria-invalid'), typed).to.equal('true');
      expect(text(el), typed).to.include(message);
    }
    await aTimeout(500);
    expect(quoted).to.equal(0);
    await expect(el).to.be.accessible();
    // a leading or trailing decimal mark is a number all the same
    type(input, '50.');
    await waitForText(el, '≈ 53.53 USDC');
    expect(input.getAttribute('aria-invalid')).to.equal('false');
  });

  it('an amount with two readings is a question, never a guess: "1.500" in German', async () => {
    const el = await ready(html`<cryptopocket-ramp session-url="/session/eu" locale="de-DE"></cryptopocket-ramp>`);
    let quoted = 0;
    el.addEventListener('quote-updated', () => quoted++);
    const input = byLabel(el, 'You pay');
    type(input, '1.500');
    await el.updateComplete;
    expect(text(el)).to.include('Did you mean 1,50 € or 1.500,00 €? Use “,” for decimals only, for example 1.234,5.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await aTimeout(450);
    expect(quoted).to.equal(0);
    type(input, '1.500,00');
    await waitUntil(() => quoted === 1, 'the unambiguous form is quoted');
  });

  it('the merchant’s limits show before the user types, and an amount outside them says the figure without asking for a quote', async () => {
    const el = await ready(html`<cryptopocket-ramp session-url="/session/limited"></cryptopocket-ramp>`);
    await waitForText(el, 'From €20.00 to €5,000.00');
    let quoted = 0;
    el.addEventListener('quote-updated', () => quoted++);
    const input = byLabel(el, 'You pay');
    type(input, '5000000');
    await el.updateComplete;
    expect(text(el)).to.include('The maximum is €5,000.00.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    button(el, 'Continue').click();
    await el.updateComplete;
    expect(root(el).activeElement?.id, 'Continue keeps the user at the amount').to.equal('amount');
    type(input, '10');
    await el.updateComplete;
    expect(text(el)).to.include('The minimum is €20.00.');
    await aTimeout(500);
    expect(quoted).to.equal(0);
    // a sale: its limit is in tokens
    el.mode = 'offramp';
    await waitForText(el, 'Up to 1,000 USDC');
    type(byLabel(el, 'You sell'), '999999999999999');
    await waitForText(el, 'The maximum is 1,000 USDC.');
    await expect(el).to.be.accessible();
  });

  it('LATAM users see no network picker and their own currency', async () => {
    const el = await ready(html`<cryptopocket-ramp session-url="/session/latam"></cryptopocket-ramp>`);
    expect(queryByLabel(el, 'Network')).to.equal(null);
    expect(shownValue(el, 'Payment method'), 'one method: shown by its name, not as a select').to.equal('Khipu');
    expect(text(el)).to.include('ARS');
    await expect(el).to.be.accessible();
  });

  it('registers once: loading a second copy of the script does not throw', async () => {
    const { CryptopocketRamp } = await import('../../src/cryptopocket-ramp.js');
    await import('../../src/define.js');
    expect(customElements.get('cryptopocket-ramp')).to.equal(CryptopocketRamp);
  });
});
