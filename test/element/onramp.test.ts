import { aTimeout, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { CryptopocketRamp } from '../../src/cryptopocket-ramp.js';
import type { StatusChangedDetail } from '../../src/events.js';
import { button, byLabel, summaryRows, queryByLabel, root, simAdvance, simState, text, type, waitForText, choose, mount } from '../support/dom.js';

const WALLET = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

async function buyWidget(user = 'eu', extra = ''): Promise<CryptopocketRamp> {
  const el = mount<CryptopocketRamp>(`<cryptopocket-ramp session-url="/session/${user}" mode="onramp" lock-mode ${extra}></cryptopocket-ramp>`);
  await waitUntil(() => queryByLabel(el, 'You pay'), 'onramp view did not load', { timeout: 4000 });
  return el;
}

async function toReview(el: CryptopocketRamp, { amount = '100', method = 'card', wallet = WALLET } = {}): Promise<void> {
  type(byLabel(el, 'You pay'), amount);
  choose(byLabel<HTMLSelectElement>(el, 'Payment method'), method);
  await el.updateComplete;
  button(el, 'Continue').click();
  await waitForText(el, 'Where should we send your tokens?');
  if (!byLabel(el, 'Your wallet address').readOnly) type(byLabel(el, 'Your wallet address'), wallet);
  await el.updateComplete;
  button(el, 'Continue').click();
  await waitForText(el, 'Review your purchase');
}

/** window.open is a boundary: record what the widget opens instead of opening tabs in the test browser. */
function stubOpen(): { urls: string[]; features: string[]; restore(): void } {
  const original = window.open;
  const urls: string[] = [];
  const features: string[] = [];
  window.open = ((url?: string | URL, _target?: string, feature?: string) => {
    urls.push(String(url));
    features.push(feature ?? '');
    // with noopener the browser returns null whether the tab opened or not
    return null;
  }) as typeof window.open;
  return { urls, features, restore: () => (window.open = original) };
}

describe('onramp: buy crypto with fiat', () => {
  let opened: ReturnType<typeof stubOpen> | undefined;
  beforeEach(() => sessionStorage.clear());
  afterEach(() => opened?.restore());

  it('goes from amount to tokens in the wallet with a card payment', async () => {
    opened = stubOpen();
    const el = await buyWidget();
    const statuses: StatusChangedDetail[] = [];
    el.addEventListener('status-changed', (e) => statuses.push(e.detail));

    const quoted = oneEvent(el, 'quote-updated');
    type(byLabel(el, 'You pay'), '100');
    const { detail: quote } = await quoted;
    expect(quote).to.include({ flow: 'onramp', fiatAmount: '100', tokenAmount: '107.065217', fee: '1.5', rate: '0.92' });
    // a stablecoin estimate reads in cents; the exact figure is there on hover
    await waitForText(el, '≈ 107.06 USDC');
    expect(root(el).querySelector('[data-testid="quote-amount"]')!.getAttribute('title')).to.equal('107.065217 USDC');
    // the breakdown, item by item, once it has loaded
    await waitUntil(() => summaryRows(el, 'dl.breakdown')['Processing fee'], 'no breakdown');
    expect(summaryRows(el, 'dl.breakdown')).to.deep.equal({ Rate: '1 USDC ≈ €0.92', 'Processing fee': '€1.50', 'Total you pay': '€100.00' });
    await expect(el).to.be.accessible();
    button(el, 'Continue').click();

    // wallet: validated per network, EIP-55 for mixed case
    await waitForText(el, 'Where should we send your tokens?');
    const input = byLabel(el, 'Your wallet address');
    type(input, '0x1234');
    button(el, 'Continue').click();
    await el.updateComplete;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(text(el)).to.include('This is not a Polygon address');
    type(input, WALLET.replace('aAeb', 'aaEb'));
    await el.updateComplete;
    expect(text(el)).to.include('its capital letters do not match its checksum');
    await expect(el).to.be.accessible();
    type(input, WALLET);
    button(el, 'Continue').click();

    // review, then one payment intent
    await waitForText(el, 'Review your purchase');
    // the review repeats the quote's figures: amount, rate and fee
    expect(summaryRows(el)).to.deep.include({
      'You pay': '€100.00',
      'Payment method': 'Card',
      'You receive (estimate)': '≈ 107.06 USDC',
      Rate: '1 USDC ≈ €0.92',
      'Processing fee': '€1.50',
      'Sent to': WALLET,
    });
    await expect(el).to.be.accessible();
    expect(el.operation, 'nothing is open before the create').to.equal(undefined);
    const made = oneEvent(el, 'rampon-created');
    button(el, 'Confirm and pay').click();
    const { detail } = await made;
    // a host that listens late reads the open operation as a property
    expect(el.operation).to.include({ id: detail.id, flow: 'onramp' });
    expect(detail).to.include({ paymentType: 'card', fiatAmount: '100', fiatCurrency: 'EUR', symbol: 'USDC', chain: 'polygon', wallet: WALLET });
    expect(detail.paymentUrl).to.match(/^https:\/\/demo\.cryptopocket\.io\/gateway\/psd2\?token=/);
    const sent = JSON.parse(
      (await simState()).requests
        .filter((r) => r.path === '/api/createPayment' && r.body.includes(detail.wallet) && r.body.includes('"fiat_amount":100,'))
        .at(-1)!.body,
    );
    expect(sent).to.include({
      user_id: 106,
      payment_type: 'card',
      fiat_symbol: 'EUR',
      fiat_amount: 100,
      coin_symbol: 'USDC',
      coin_chain: 'polygon',
      wallet: WALLET,
      callback_url: location.origin + location.pathname,
    });
    expect(location.search, 'the test page has a query, which must not travel to the payment provider').not.to.equal('');
    expect(sent.external_id).to.match(/^[0-9a-f]{32}$/);

    // the payment page opens; the widget keeps tracking
    expect(opened.urls).to.deep.equal([detail.paymentUrl]);
    await waitForText(el, 'The payment page opens in a new tab. If it did not open, use the button below.');
    const link = root(el).querySelector<HTMLAnchorElement>('a.button')!;
    expect(link.textContent).to.equal('Open the payment page');
    expect(link.href).to.equal(detail.paymentUrl);
    expect(link.rel).to.include('noopener');
    expect(text(el)).not.to.include('Waiting for your bank transfer', 'a card payment has no bank transfer step');
    // nothing is paid yet: the step says what is awaited, not what happened
    await waitForText(el, 'Now: Waiting for your payment');
    expect(text(el)).not.to.include('Payment received');
    // how long the awaited steps usually take, and what was ordered, stay on screen while the user waits
    // two phrases, read as two (they ran together as "paymentUsually")
    expect(root(el).querySelector('[aria-current="step"]')!.textContent!.replace(/\s+/g, ' ')).to.include('Waiting for your payment Usually a few minutes');
    expect(summaryRows(el, '.order dl')).to.deep.include({ 'You pay': '€100.00', 'Sent to': WALLET });
    await expect(el).to.be.accessible();

    await simAdvance(detail.id);
    await waitUntil(() => statuses.some((s) => s.status === 'funds_received'), 'no payment received');
    expect(el.operation).to.include({ id: detail.id, flow: 'onramp', status: 'funds_received', raw: 'payment_received' });
    await waitForText(el, 'Now: Sending your tokens');
    expect(text(el)).not.to.include('Tokens sent', 'the tokens are not sent yet');
    const completed = oneEvent(el, 'ramp-completed');
    await simAdvance(detail.id);
    const { detail: done } = await completed;
    expect(done).to.deep.equal({ id: detail.id, flow: 'onramp', fiatAmount: '100', fiatCurrency: 'EUR', tokenAmount: '107.065217', symbol: 'USDC' });
    await waitForText(el, 'You bought 107.06 USDC for €100.00.');
    const explorer = [...root(el).querySelectorAll('a')].find((a) => a.textContent?.includes('Polygonscan'))!;
    expect(explorer.href).to.match(/^https:\/\/polygonscan\.com\/tx\/0x[0-9a-f]{64}$/);
    expect(statuses.map((s) => s.raw)).to.deep.equal(['started', 'payment_received', 'coins_sent']);
    await expect(el).to.be.accessible();
  });

  it('shows the bank transfer details with copy buttons and the reference warning', async () => {
    const el = await buyWidget();
    await toReview(el, { method: 'transfer', amount: '250.5' });
    const copied: string[] = [];
    const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (v: string) => void copied.push(v) } });
    try {
      const made = oneEvent(el, 'rampon-created');
      button(el, 'Confirm and pay').click();
      const { detail } = await made;
      expect(detail.paymentType).to.equal('transfer');
      expect(detail.bankTransfer).to.deep.include({ beneficiary: 'Fintech Payments, S.L', iban: 'ES6800491500051234567892', bic: 'PFSSESM1XXX' });
      await waitForText(el, 'Pay by bank transfer');
      expect(text(el)).to.include('Send €250.50 by bank transfer to:');
      expect(text(el)).to.include('ES68 0049 1500 0512 3456 7892');
      expect(text(el)).to.include(`Quote the transfer reference ${detail.bankTransfer!.reference} in your transfer`);
      expect(text(el)).to.include('Now: Waiting for your bank transfer');
      expect(root(el).querySelector('[aria-current="step"]')!.textContent).to.include('SEPA transfers take 1–2 business days');
      // two different numbers, each named for what it is: the one to quote in the transfer, and the order's own id
      expect(text(el)).to.include(`Order ID ${detail.id}`);
      expect(text(el).match(/\bReference\b/g), 'no bare "Reference" next to two different values').to.equal(null);
      await expect(el).to.be.accessible();
      button(el, 'Copy Transfer reference').click();
      await waitForText(el, 'Transfer reference copied.');
      button(el, 'Copy IBAN').click();
      await waitUntil(() => copied.length === 2);
      expect(copied).to.deep.equal([detail.bankTransfer!.reference, 'ES6800491500051234567892']);
    } finally {
      if (clipboard) delete (navigator as unknown as Record<string, unknown>).clipboard;
    }
    // the amount in cents comes back right
    await waitUntil(
      async () => (await simState()).payments.some((p) => (p as unknown as { fiat_amount: number }).fiat_amount === 25050),
      'payment not stored in cents',
    );
  });

  it('with the merchant’s terms: Confirm does nothing upstream until the box is ticked, and the create says it was', async () => {
    opened = stubOpen();
    const el = mount<CryptopocketRamp>(`<cryptopocket-ramp session-url="/session/terms" mode="onramp" lock-mode wallet="${WALLET}"></cryptopocket-ramp>`);
    await waitUntil(() => queryByLabel(el, 'You pay'), 'no view', { timeout: 4000 });
    type(byLabel(el, 'You pay'), '42.17');
    button(el, 'Continue').click();
    await waitForText(el, 'Where should we send your tokens?');
    button(el, 'Continue').click();
    await waitForText(el, 'Review your purchase');
    const links = [...root(el).querySelectorAll<HTMLAnchorElement>('.terms a')].map((a) => [a.textContent?.trim(), a.href, a.target]);
    expect(links).to.deep.equal([
      ['Terms of service', 'https://shop.example/terms', '_blank'],
      ['Privacy policy', 'https://shop.example/privacy', '_blank'],
    ]);
    const box = byLabel(el, 'I accept the terms of service and the privacy policy');
    expect(box.checked).to.be.false;
    await expect(el).to.be.accessible();
    // this test's purchases only (an amount no other test uses): other files share the simulator
    const mine = async () => (await simState()).requests.filter((r) => r.path === '/api/createPayment' && r.body.includes('"fiat_amount":42.17')).length;
    expect(await mine()).to.equal(0);
    button(el, 'Confirm and pay').click();
    await waitForText(el, 'Accept the terms to confirm.');
    expect(root(el).activeElement?.id, 'focus goes to what is missing').to.equal('review-terms');
    expect(box.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
    await aTimeout(300);
    expect(await mine(), 'nothing upstream').to.equal(0);
    box.click();
    await el.updateComplete;
    expect(text(el)).not.to.include('Accept the terms to confirm.');
    const made = oneEvent(el, 'rampon-created');
    button(el, 'Confirm and pay').click();
    const { detail } = await made;
    expect(detail.fiatAmount).to.equal('42.17');
    expect(await mine()).to.equal(1);
  });

  it('shows the minimum before submit and does not go on', async () => {
    const el = await buyWidget();
    type(byLabel(el, 'You pay'), '10');
    await waitForText(el, 'The minimum is €20.00.');
    expect(byLabel(el, 'You pay').getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
    button(el, 'Continue').click();
    await aTimeout(50);
    expect(text(el)).not.to.include('Where should we send your tokens?');
  });

  it('a wallet fixed by the host is read-only', async () => {
    const el = await buyWidget('eu', `wallet="${WALLET}"`);
    type(byLabel(el, 'You pay'), '50');
    button(el, 'Continue').click();
    await waitForText(el, 'Where should we send your tokens?');
    const input = byLabel(el, 'Your wallet address');
    expect(input.readOnly).to.be.true;
    expect(input.value).to.equal(WALLET);
    expect(text(el)).to.include('it cannot be changed here');
    await expect(el).to.be.accessible();
  });

  it('the payment tab gets neither the opener nor the referrer, and the button to open it stays (a blocked tab looks the same)', async () => {
    opened = stubOpen();
    const el = await buyWidget();
    await toReview(el);
    button(el, 'Confirm and pay').click();
    await waitForText(el, 'If it did not open, use the button below.');
    expect(opened.features[0]!.split(',')).to.include.members(['noopener', 'noreferrer']);
    const link = root(el).querySelector<HTMLAnchorElement>('a.button')!;
    expect(link.textContent).to.equal('Open the payment page');
    expect(link.rel.split(' ')).to.include.members(['noopener', 'noreferrer']);
    opened.urls.length = 0;
    link.click();
    expect(opened.urls).to.deep.equal([link.href]);
    expect(opened.features[1]!.split(',')).to.include.members(['noopener', 'noreferrer']);
  });

  it('API errors get a human message and a ramp-error with the code', async () => {
    opened = stubOpen();
    const el = await buyWidget();
    await toReview(el, { amount: '6000' });
    const errored = oneEvent(el, 'ramp-error');
    button(el, 'Confirm and pay').click();
    expect((await errored).detail).to.include({ code: 'limit_exceded', retryable: false });
    await waitForText(el, 'This amount is over your limit.');
    await expect(el).to.be.accessible();
  });

  it('LATAM: the methods from the API, no network, ARS', async () => {
    opened = stubOpen();
    const el = await buyWidget('latam');
    expect(queryByLabel(el, 'Network')).to.equal(null);
    await toReview(el, { amount: '25000', method: 'KHIPU' });
    expect(text(el)).to.include('Khipu', 'the method by its name');
    expect(text(el)).not.to.include('KHIPU');
    const made = oneEvent(el, 'rampon-created');
    button(el, 'Confirm and pay').click();
    const { detail } = await made;
    expect(detail).to.include({ paymentType: 'KHIPU', fiatCurrency: 'ARS' });
    expect(detail.chain).to.equal(undefined);
    const sent = JSON.parse((await simState()).requests.filter((r) => r.path === '/api/createPayment' && r.body.includes('"user_id":200')).at(-1)!.body);
    expect(sent).not.to.have.property('coin_chain');
    expect(sent.payment_type).to.equal('KHIPU');
  });
});
