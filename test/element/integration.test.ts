import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import type { CryptopocketRamp } from '../../src/cryptopocket-ramp.js';
import { button, byLabel, mount, queryByLabel, root, text, waitForText } from '../support/dom.js';

async function ready(markup: string, label = 'Token'): Promise<CryptopocketRamp> {
  const el = mount<CryptopocketRamp>(markup);
  await waitUntil(() => queryByLabel(el, label), 'view did not load', { timeout: 4000 });
  return el;
}

function background(el: CryptopocketRamp, selector: string): string {
  return getComputedStyle(root(el).querySelector(selector)!).backgroundColor;
}

describe('theming', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('design tokens on the host restyle the parts', async () => {
    const el = await ready(
      '<cryptopocket-ramp session-url="/session/eu" style="--cp-ramp-accent: rgb(200, 0, 90); --cp-ramp-background: rgb(250, 250, 240)"></cryptopocket-ramp>',
    );
    expect(background(el, '[part="primary-button"]')).to.equal('rgb(200, 0, 90)');
    expect(background(el, '[part="base"]')).to.equal('rgb(250, 250, 240)');
  });

  it('theme="dark" uses the dark palette and passes axe', async () => {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu" theme="dark"></cryptopocket-ramp>');
    expect(background(el, '[part="base"]')).to.equal('rgb(23, 23, 31)');
    await expect(el).to.be.accessible();
  });

  it('theme="auto" follows prefers-color-scheme', async () => {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu" theme="auto"></cryptopocket-ramp>');
    expect(background(el, '[part="base"]')).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'dark' });
    await waitUntil(() => background(el, '[part="base"]') === 'rgb(23, 23, 31)', 'did not follow the dark scheme');
    await expect(el).to.be.accessible();
  });
});

describe('languages', () => {
  it('Spanish: texts and amounts per locale, no key names on screen', async () => {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu" mode="offramp" locale="es-ES"></cryptopocket-ramp>', 'Token');
    await waitForText(el, 'Vender cripto');
    expect(byLabel(el, 'Vendes')).to.exist;
    await waitForText(el, '1 USDC ≈ 0,92 €');
    expect(text(el)).not.to.match(/\b(title|field|quote|price)\.[a-z]/);
    await expect(el).to.be.accessible();
  });

  it('Portuguese (Brazil) from the page lang, Spanish for a LATAM locale', async () => {
    const wrapper = mount<HTMLDivElement>('<div lang="pt-BR"><cryptopocket-ramp session-url="/session/eu"></cryptopocket-ramp></div>');
    const el = wrapper.querySelector('cryptopocket-ramp')!;
    await waitForText(el, 'Comprar cripto');
    expect(queryByLabel(el, 'Você paga')).to.exist;
    const ar = await ready('<cryptopocket-ramp session-url="/session/latam" locale="es-AR"></cryptopocket-ramp>');
    await waitForText(ar, 'Pagas');
  });

  it('a host overrides any text with strings; the rest stays translated', async () => {
    const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/eu" locale="es"></cryptopocket-ramp>');
    el.strings = { 'title.onramp': 'Compra USDC con Acme' };
    await waitForText(el, 'Compra USDC con Acme');
    await waitForText(el, 'Pagas');
  });
});

describe('keyboard only', () => {
  it('sells from amount to deposit address without a mouse, from the field the user is in', async () => {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu-other-seller" mode="offramp"></cryptopocket-ramp>');
    const focused = () => root(el).activeElement as HTMLElement | null;
    const tabTo = async (label: string) => {
      for (let i = 0; i < 4 && focused()?.textContent?.trim() !== label; i++) await sendKeys({ press: 'Tab' });
      expect(focused()?.textContent?.trim()).to.equal(label);
    };
    byLabel(el, 'You sell').focus(); // where the user clicked or tabbed in; every later move is the keyboard's
    await sendKeys({ type: '12' });
    await sendKeys({ press: 'Enter' });
    await waitForText(el, 'Where should we pay you?');
    await sendKeys({ press: 'Tab' }); // from the step's heading, which has focus, to its first field
    expect(focused()?.id).to.equal('iban');
    await sendKeys({ type: 'ES9121000418450200051332' });
    await sendKeys({ press: 'Enter' });
    await waitForText(el, 'Review your sale');
    const made = oneEvent(el, 'rampoff-created');
    await tabTo('Confirm and sell');
    await sendKeys({ press: 'Enter' });
    await made;
    await waitForText(el, 'Send your tokens');
    await tabTo('Copy address');
  });
});

describe('keyboard only: a new customer', () => {
  it('registers without a mouse: Tab to the terms, Space, Tab to the button, Enter; the verification gate follows', async () => {
    const el = await ready('<cryptopocket-ramp session-url="/session/newcomer-keys"></cryptopocket-ramp>', 'Full name');
    const focused = () => root(el).activeElement as HTMLElement | null;
    const events: string[] = [];
    el.addEventListener('account-created', () => events.push('account-created'));
    byLabel(el, 'Full name').focus(); // where the user tabbed in
    for (let i = 0; i < 4 && focused()?.id !== 'register-terms'; i++) await sendKeys({ press: 'Tab' });
    expect(focused()?.id).to.equal('register-terms');
    await sendKeys({ press: 'Space' });
    expect((focused() as HTMLInputElement).checked).to.be.true;
    for (let i = 0; i < 4 && focused()?.textContent?.trim() !== 'Create my account'; i++) await sendKeys({ press: 'Tab' });
    expect(focused()?.textContent?.trim()).to.equal('Create my account');
    await sendKeys({ press: 'Enter' });
    await waitForText(el, 'Verify your identity', undefined, 6000);
    expect(events).to.deep.equal(['account-created']);
    // the pressed button is gone: focus goes to the new step's heading, not to the page
    await waitUntil(() => focused()?.id === 'kyc-title', 'focus did not follow to the verification step');
    expect(document.activeElement).to.equal(el);
  });
});

describe('focus follows the step', () => {
  const focusedIn = (el: HTMLElement) => root(el).activeElement as HTMLElement | null;

  it('sell: each step change takes focus to the new step’s heading, Back too; nothing falls to the page', async () => {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu-other-seller" mode="offramp"></cryptopocket-ramp>');
    const focused = () => focusedIn(el);
    byLabel(el, 'You sell').focus(); // the user is in the field, as after clicking into it
    await sendKeys({ type: '12' });
    await sendKeys({ press: 'Enter' });
    await waitForText(el, 'Where should we pay you?');
    await waitUntil(() => focused()?.tagName === 'H3', 'focus did not move to the payout step');
    expect(focused()!.textContent).to.equal('Where should we pay you?');
    expect(document.activeElement).to.equal(el);
    await sendKeys({ press: 'Tab' });
    expect(focused()?.id).to.equal('iban', 'the first field follows the heading');
    await sendKeys({ type: 'ES9121000418450200051332' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused()?.textContent === 'Review your sale', 'focus did not move to the review');
    button(el, 'Back').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused()?.textContent === 'Where should we pay you?', 'focus did not follow Back');
  });

  it('buy: focus follows every step, and Escape goes back a step (keeping what was typed) but never out of an operation', async () => {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu" mode="onramp" lock-mode></cryptopocket-ramp>');
    const focused = () => focusedIn(el);
    byLabel(el, 'You pay').focus();
    await sendKeys({ type: '100' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused()?.textContent === 'Where should we send your tokens?', 'focus did not move to the wallet step');
    await sendKeys({ press: 'Tab' });
    expect(focused()?.id).to.equal('wallet');
    await sendKeys({ type: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused()?.textContent === 'Review your purchase', 'focus did not move to the review');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => focused()?.textContent === 'Where should we send your tokens?', 'Escape did not go back to the wallet step');
    expect(byLabel(el, 'Your wallet address').value).to.equal('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => focused()?.id === 'amount', 'Escape did not go back to the amount');
    expect(byLabel(el, 'You pay').value).to.equal('100');
    await sendKeys({ press: 'Escape' });
    expect(focused()?.id, 'the first step has no way back').to.equal('amount');
    // an operation being followed: Escape leaves nothing
    el.track('pay_unknown_1', 'onramp');
    await el.updateComplete;
    root(el).querySelector<HTMLElement>('#panel')!.focus();
    const panel = root(el).querySelector<HTMLElement>('#panel')!;
    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true });
    panel.dispatchEvent(escape);
    expect(escape.defaultPrevented, 'tracking has no step to go back to').to.be.false;
  });
});

describe('typed, documented API', () => {
  it('events are typed classes with a static type', async () => {
    const events = await import('../../src/events.js');
    const created = new events.RampoffCreatedEvent({ id: 'x', wallet: '0x', amount: '1', symbol: 'USDC', fiatCurrency: 'EUR' });
    expect(created.type).to.equal('rampoff-created');
    expect(created.bubbles && created.composed).to.be.true;
    expect(new events.KycRequiredEvent({ status: 'pending' }).cancelable).to.be.true;
    expect(new events.DepositRequestedEvent({ address: '0x', amount: '1', symbol: 'USDC' }).cancelable).to.be.true;
  });
});

describe('host hooks', () => {
  it('a host wallet takes over the deposit: deposit-requested cancelled, then depositSent()', async () => {
    const wrapper = mount<HTMLDivElement>('<div></div>');
    const requested: unknown[] = [];
    wrapper.addEventListener('deposit-requested', (e) => {
      requested.push(e.detail);
      e.preventDefault();
    });
    wrapper.innerHTML = '<cryptopocket-ramp session-url="/session/eu-other-seller" mode="offramp" lock-mode></cryptopocket-ramp>';
    const el = wrapper.firstElementChild as CryptopocketRamp;
    await waitUntil(() => queryByLabel(el, 'You sell'), 'no view', { timeout: 4000 });
    const { type } = await import('../support/dom.js');
    type(byLabel(el, 'You sell'), '5');
    root(el).querySelector<HTMLButtonElement>('button.primary')!.click();
    await waitForText(el, 'Where should we pay you?');
    type(byLabel(el, 'IBAN'), 'ES9121000418450200051332');
    root(el).querySelector<HTMLButtonElement>('button.primary')!.click();
    await waitForText(el, 'Review your sale');
    const made = oneEvent(el, 'rampoff-created');
    root(el).querySelector<HTMLButtonElement>('button.primary')!.click();
    const { detail } = await made;
    await waitForText(el, 'Your wallet is sending the tokens.');
    expect(requested).to.deep.equal([{ address: detail.wallet, amount: '5', symbol: 'USDC', chain: 'polygon' }]);
    expect(root(el).querySelector('canvas')).to.equal(null, 'no QR code when the host wallet sends');
    const tx = `0x${'ab'.repeat(32)}`;
    el.depositSent(tx);
    await waitForText(el, `Your wallet sent the tokens in transaction ${tx}.`);
    await expect(el).to.be.accessible();
  });

  it('closable: the close button fires close-requested and hides the widget unless cancelled; open() shows it again', async () => {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu" closable></cryptopocket-ramp>');
    const close = root(el).querySelector<HTMLButtonElement>('button.close')!;
    expect(close.getAttribute('aria-label')).to.equal('Close');
    const veto = (e: Event) => e.preventDefault();
    el.addEventListener('close-requested', veto);
    close.click();
    expect(el.hidden).to.be.false;
    el.removeEventListener('close-requested', veto);
    const requested = oneEvent(el, 'close-requested');
    close.click();
    await requested;
    expect(el.hidden).to.be.true;
    el.open();
    expect(el.hidden).to.be.false;
    await expect(el).to.be.accessible();
  });
});

describe('hostile host CSS', () => {
  it('inherited text styles of the page do not leak into the widget', async () => {
    const wrapper = mount<HTMLDivElement>(
      '<div style="letter-spacing: 12px; text-transform: uppercase; font-style: italic; white-space: pre"><cryptopocket-ramp session-url="/session/eu"></cryptopocket-ramp></div>',
    );
    const el = wrapper.querySelector('cryptopocket-ramp')!;
    await waitUntil(() => queryByLabel(el, 'Token'), 'no view', { timeout: 4000 });
    const title = getComputedStyle(root(el).querySelector('h2')!);
    expect([title.textTransform, title.letterSpacing, title.fontStyle, title.whiteSpace]).to.deep.equal(['none', 'normal', 'normal', 'normal']);
  });
});

describe('dark theme, every step', () => {
  it('passes axe from amount to the end of a sale', async function () {
    this.timeout(15_000);
    const { type, simAdvance } = await import('../support/dom.js');
    const el = await ready('<cryptopocket-ramp session-url="/session/eu-other-seller" mode="offramp" theme="dark"></cryptopocket-ramp>');
    const primary = () => root(el).querySelector<HTMLButtonElement>('button.primary')!;
    type(byLabel(el, 'You sell'), '7');
    await waitForText(el, '≈ €');
    await expect(el).to.be.accessible();
    primary().click();
    await waitForText(el, 'Where should we pay you?');
    type(byLabel(el, 'IBAN'), 'ES91 2100 0418 4502 0005 1333');
    primary().click();
    await waitForText(el, 'not valid');
    await expect(el).to.be.accessible();
    type(byLabel(el, 'IBAN'), 'ES91 2100 0418 4502 0005 1332');
    primary().click();
    await waitForText(el, 'Review your sale');
    await expect(el).to.be.accessible();
    const made = oneEvent(el, 'rampoff-created');
    primary().click();
    const { detail } = await made;
    await waitForText(el, 'Send your tokens');
    await expect(el).to.be.accessible();
    await simAdvance(detail.id);
    await waitForText(el, 'Now: Preparing your bank transfer');
    await expect(el).to.be.accessible();
    await simAdvance(detail.id);
    await waitForText(el, 'You sold 7 USDC');
    await expect(el).to.be.accessible();
    root(el).querySelector<HTMLButtonElement>('[role="tab"]#tab-history')!.click();
    await waitForText(el, 'Sold 7 USDC');
    await expect(el).to.be.accessible();
  });
});
