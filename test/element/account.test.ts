import { aTimeout, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { CryptopocketRamp } from '../../src/cryptopocket-ramp.js';
import { shownValue, button, byLabel, choose, mount, queryByLabel, root, simAdvance, text, type, waitForText } from '../support/dom.js';

const WALLET = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

function widget(attrs: string): CryptopocketRamp {
  return mount<CryptopocketRamp>(`<cryptopocket-ramp ${attrs}></cryptopocket-ramp>`);
}

async function post(path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `acct-${Math.random().toString(36).slice(2)}` },
    body: JSON.stringify(body),
  });
  return res.json();
}

describe('KYC gate', () => {
  it('verification in progress: says so, offers a re-check, asks for no amount', async () => {
    const el = widget('session-url="/session/kyc-pending"');
    const { detail } = await oneEvent(el, 'kyc-required');
    expect(detail).to.deep.equal({ status: 'pending' });
    await waitForText(el, 'Verification in progress');
    expect(queryByLabel(el, 'You pay')).to.equal(null);
    await expect(el).to.be.accessible();
    const reloaded = oneEvent(el, 'ramp-ready');
    button(el, 'Check again').click();
    expect((await reloaded).detail.kyc.raw).to.equal('processing');
    await waitForText(el, 'Verification in progress');
  });

  it('not verified yet: links to the verification form', async () => {
    const el = widget('session-url="/session/kyc-new" mode="offramp"');
    const { detail } = await oneEvent(el, 'kyc-required');
    expect(detail).to.deep.equal({ status: 'pending', url: 'https://demo.cryptopocket.io/kyc/109' });
    await waitForText(el, 'we need to verify your identity');
    const link = [...root(el).querySelectorAll('a')].find((a) => a.textContent === 'Verify your identity')!;
    expect(link.href).to.equal('https://demo.cryptopocket.io/kyc/109');
    expect(link.target).to.equal('_blank');
    button(el, 'I have verified: check again');
    await expect(el).to.be.accessible();
  });

  it('a host that cancels kyc-required runs its own KYC: no link from the widget', async () => {
    const container = mount<HTMLDivElement>('<div></div>');
    container.addEventListener('kyc-required', (e) => e.preventDefault());
    container.innerHTML = '<cryptopocket-ramp session-url="/session/kyc-new"></cryptopocket-ramp>';
    const el = container.firstElementChild as CryptopocketRamp;
    await waitForText(el, 'Complete the identity verification to continue.');
    expect(root(el).querySelector('a')).to.equal(null);
  });

  it('verification failed: says to contact support', async () => {
    const el = widget('session-url="/session/kyc-failed"');
    expect((await oneEvent(el, 'kyc-required')).detail.status).to.equal('failed');
    await waitForText(el, 'Verification failed');
    expect(text(el)).to.include('Please contact support.');
    expect(root(el).querySelector('button:not([role="tab"])')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('verification failed, with the merchant’s support contact: a link to it, not a dead end', async () => {
    const el = widget('session-url="/session/kyc-failed-support"');
    await waitForText(el, 'Verification failed');
    const links = [...root(el).querySelectorAll<HTMLAnchorElement>('.support a')].map((a) => [a.textContent?.trim(), a.href, a.rel]);
    expect(links).to.deep.equal([
      ['Contact support', 'https://help.example.com/ramp', 'noopener noreferrer'],
      ['Email help@example.com', 'mailto:help@example.com', ''],
    ]);
    await expect(el).to.be.accessible();
  });

  it('kyc_reinforced_required at create lands in the gate, and the user comes back to review', async () => {
    const el = widget(`session-url="/session/eu" mode="onramp" lock-mode wallet="${WALLET}"`);
    await waitUntil(() => queryByLabel(el, 'You pay'), 'no view', { timeout: 4000 });
    type(byLabel(el, 'You pay'), '4000');
    choose(byLabel<HTMLSelectElement>(el, 'Payment method'), 'transfer');
    button(el, 'Continue').click();
    await waitForText(el, 'Where should we send your tokens?');
    button(el, 'Continue').click();
    await waitForText(el, 'Review your purchase');
    const kyc = oneEvent(el, 'kyc-required');
    button(el, 'Confirm and pay').click();
    expect((await kyc).detail).to.deep.equal({ status: 'reinforced', url: 'https://demo.cryptopocket.io/onboarding/106' });
    await waitForText(el, 'Additional verification needed');
    const link = [...root(el).querySelectorAll('a')].find((a) => a.textContent === 'Verify your identity')!;
    expect(link.href).to.equal('https://demo.cryptopocket.io/onboarding/106');
    await expect(el).to.be.accessible();
    button(el, 'I have verified: check again').click();
    await waitForText(el, 'Review your purchase');
    expect(text(el)).to.include('€4,000.00');
  });
});

describe('assets and prices', () => {
  it('the host narrows tokens and networks, never widens them', async () => {
    const el = widget('session-url="/session/eu" assets="USDT, DOGE" chains="bsc"');
    await waitUntil(() => queryByLabel(el, 'Token'), 'no view', { timeout: 4000 });
    // one token on one network: nothing to choose, so no select, the value shown as text
    expect(shownValue(el, 'Token')).to.equal('USDT');
    expect(shownValue(el, 'Network')).to.equal('BNB Smart Chain');
    expect(root(el).querySelector('select#token, select#network')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('an unsupported pre-filled token is reported and the picker falls back', async () => {
    const el = widget('session-url="/session/eu" symbol="DOGE" chain="polygon"');
    const { detail } = await oneEvent(el, 'ramp-error');
    expect(detail.code).to.equal('unsupported_asset');
    await waitUntil(() => queryByLabel(el, 'Token'), 'no view', { timeout: 4000 });
    expect(byLabel<HTMLSelectElement>(el, 'Token').value).to.equal('USDC');
    await expect(el).to.be.accessible();
  });

  it('shows the token price next to the amount, formatted for the locale', async () => {
    const el = widget('session-url="/session/eu" mode="offramp" locale="de-DE"');
    await waitUntil(() => queryByLabel(el, 'You sell'), 'no view', { timeout: 4000 });
    await waitForText(el, '1 USDC ≈ 0,92 €');
    type(byLabel(el, 'You sell'), '25');
    // what 25 USDC are worth is the quote's to say (after its fee): one figure, not a second one from the price
    await waitForText(el, '≈ 22,77 €');
    expect(text(el)).not.to.include('23,00 €');
    choose(byLabel<HTMLSelectElement>(el, 'Token'), 'ETH');
    await waitForText(el, '1 ETH ≈ 2.850,00 €');
  });
});

describe('activity', () => {
  it('lists buys and sells newest first; finished ones show details, open ones resume', async () => {
    const sale = await post('/session/eu/offramp/operations', {
      amount: '30',
      symbol: 'USDC',
      chain: 'polygon',
      fiat: 'EUR',
      iban: 'ES9121000418450200051332',
    });
    await simAdvance(sale.id);
    await simAdvance(sale.id);
    await aTimeout(20); // distinct creation times
    const purchase = await post('/session/eu/onramp/payments', {
      fiatAmount: '40',
      fiat: 'EUR',
      symbol: 'USDC',
      chain: 'polygon',
      wallet: WALLET,
      method: 'transfer',
    });
    const el = widget('session-url="/session/eu"');
    await waitUntil(() => queryByLabel(el, 'Token'), 'no view', { timeout: 4000 });
    button(el, 'Activity').click();
    await waitForText(el, 'Your activity');
    await waitUntil(() => root(el).querySelectorAll('.history-item').length >= 2, 'no rows');
    const rows = [...root(el).querySelectorAll('.history-item')].map((r) => r.textContent!.replace(/\s+/g, ' '));
    // nothing is bought yet: the open purchase says what it is waiting for, in the present tense
    const iPurchase = rows.findIndex((r) => r.includes('Buying') && r.includes('€40.00'));
    const iSale = rows.findIndex((r) => r.includes('Sold 30 USDC'));
    expect(iPurchase).to.be.greaterThan(-1);
    expect(iSale).to.be.greaterThan(iPurchase, 'newest first');
    expect(rows[iSale]).to.include('Completed');
    expect(rows[iPurchase]).to.include('Waiting for payment');
    expect(rows[iPurchase]).not.to.include('Bought');
    await expect(el).to.be.accessible();
    button(el, 'Details: Sold 30 USDC').click();
    await waitForText(el, 'Paid to');
    expect(text(el)).to.include('••••1332');
    expect(text(el)).to.include('€27.33');
    await expect(el).to.be.accessible();
    const switched = oneEvent(el, 'mode-changed');
    button(el, /^Continue: Buying/).click();
    expect((await switched).detail).to.deep.equal({ view: 'onramp', mode: 'onramp' });
    // resumed in the buy view, with the transfer details the user still needs
    await waitForText(el, 'Pay by bank transfer');
    expect(el.mode).to.equal('onramp');
    expect(text(el)).to.include('ES68 0049 1500 0512 3456 7892');
    expect(text(el)).to.include(`Order ID ${purchase.id}`, 'the purchase the user picked, not another');
  });

  it('an empty history says so; hide-history removes the view', async () => {
    const el = widget('session-url="/session/kyc-failed"');
    await waitForText(el, 'Verification failed');
    button(el, 'Activity').click();
    await waitForText(el, 'No purchases or sales yet.');
    await expect(el).to.be.accessible();
    const hidden = widget('session-url="/session/eu" hide-history');
    await waitUntil(() => queryByLabel(hidden, 'Token'), 'no view', { timeout: 4000 });
    expect(() => button(hidden, 'Activity')).to.throw();
    const only = widget('session-url="/session/eu" views="offramp,history"');
    await waitUntil(() => queryByLabel(only, 'Token'), 'no view', { timeout: 4000 });
    expect([...root(only).querySelectorAll('[role="tab"]')].map((t) => t.textContent?.trim())).to.deep.equal(['Sell', 'Activity']);
    expect(only.mode).to.equal('offramp');
  });
});
