/**
 * A merchant user without a Cryptopocket account: registers inside the widget, verifies (a simulator step), comes
 * back, and buys — each event once, one upstream registration whatever is pressed.
 */
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { CryptopocketRamp } from '../../src/cryptopocket-ramp.js';
import { button, byLabel, mount, queryByLabel, root, text, type, waitForText } from '../support/dom.js';

async function state(): Promise<{ requests: { path: string; body: string }[]; registered: { id: number; email: string; kyc: string }[] }> {
  return (await fetch('/_simulator/state')).json();
}

describe('onboarding: a user without an account', () => {
  it('registers (one account for two presses), verifies, comes back to the amount, with account-created, kyc-required and kyc-completed once each', async () => {
    const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/newcomer" mode="onramp" lock-mode></cryptopocket-ramp>');
    const events: string[] = [];
    for (const type of ['account-created', 'kyc-required', 'kyc-completed', 'rampon-created']) el.addEventListener(type, () => events.push(type));
    await waitForText(el, 'Create your Cryptopocket account');
    expect(text(el)).to.include('regulated provider');
    const name = byLabel(el, 'Full name');
    expect(name.value).to.equal('Nora Vidal');
    expect(name.readOnly, 'the merchant did not make the name editable').to.be.true;
    const email = byLabel(el, 'Email');
    expect(email.readOnly).to.be.false;
    await expect(el).to.be.accessible();
    // the terms first: nothing is sent without them
    button(el, 'Create my account').click();
    await waitForText(el, 'Accept the terms to create your account.');
    expect(root(el).activeElement?.id).to.equal('register-terms');
    // this user's registrations only: other test files share the simulator (and register their own users)
    const mine = async () => (await state()).requests.filter((r) => r.path === '/api/registerUser' && r.body.includes('nora'));
    expect(await mine()).to.have.length(0);
    type(email, 'nora.v@shop.test');
    const terms = root(el).querySelector<HTMLInputElement>('#register-terms')!;
    terms.click();
    await el.updateComplete;
    button(el, 'Create my account').click();
    button(el, /Creating your account|Create my account/).click();
    await waitForText(el, 'Verify your identity', undefined, 6000);
    const registered = (await state()).registered.find((u) => u.email === 'nora.v@shop.test')!;
    expect(await mine()).to.have.length(1);
    const link = [...root(el).querySelectorAll<HTMLAnchorElement>('a')].find((a) => a.textContent?.includes('Verify your identity'))!;
    expect(link.href).to.equal(`https://demo.cryptopocket.io/kyc/${registered.id}`);
    await expect(el).to.be.accessible();
    // the verification passes upstream; the widget finds out by itself, within its backoff
    await fetch('/_simulator/kyc', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: registered.id, status: 'valid' }),
    });
    await waitUntil(() => queryByLabel(el, 'You pay'), 'the widget did not continue after verification', { timeout: 8000 });
    expect(events).to.deep.equal(['account-created', 'kyc-required', 'kyc-completed']);
    // and the new customer buys, right away
    const opened = window.open;
    window.open = (() => null) as typeof window.open;
    try {
      type(byLabel(el, 'You pay'), '50');
      button(el, 'Continue').click();
      await waitForText(el, 'Where should we send your tokens?');
      type(byLabel(el, 'Your wallet address'), '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
      button(el, 'Continue').click();
      await waitForText(el, 'Review your purchase');
      button(el, 'Confirm and pay').click();
      await waitUntil(() => events.includes('rampon-created'), 'no purchase', { timeout: 6000 });
    } finally {
      window.open = opened;
    }
    expect(events).to.deep.equal(['account-created', 'kyc-required', 'kyc-completed', 'rampon-created']);
    const payments = (await state()).requests.filter((r) => r.path === '/api/createPayment' && r.body.includes(`"user_id":${registered.id}`));
    expect(payments, 'one purchase, as the new customer').to.have.length(1);
  });
});

describe('registration refused', () => {
  it('an email that already has an account: its own message and a ramp-error, no verification gate', async () => {
    const first = await fetch('/session/twin-a/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'twin-a-key-1' },
      body: '{}',
    });
    expect(first.status).to.equal(201);
    const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/twin-b"></cryptopocket-ramp>');
    const errors: string[] = [];
    el.addEventListener('ramp-error', (e) => errors.push(e.detail.code));
    await waitForText(el, 'Create your Cryptopocket account');
    button(el, 'Create my account').click();
    await waitForText(el, 'There is already a Cryptopocket account with this email.');
    expect(errors).to.deep.equal(['user_already_exists']);
    expect(text(el)).not.to.include('Verify your identity');
    await expect(el).to.be.accessible();
  });
});

describe('onboarding: a refused email', () => {
  it('a throwaway email: its own message and a ramp-error; another email then creates the account, once', async () => {
    const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/throwaway"></cryptopocket-ramp>');
    const errors: string[] = [];
    el.addEventListener('ramp-error', (e) => errors.push(e.detail.code));
    await waitForText(el, 'Create your Cryptopocket account');
    root(el).querySelector<HTMLInputElement>('#register-terms')!.click();
    await el.updateComplete;
    button(el, 'Create my account').click();
    await waitForText(el, 'This email address cannot be used for an account. Please use another one.');
    expect(errors).to.deep.equal(['email_not_allowed']);
    expect(text(el)).not.to.include('Verify your identity');
    await expect(el).to.be.accessible();
    type(byLabel(el, 'Email'), 'tim.temp@shop.test');
    await el.updateComplete;
    button(el, 'Create my account').click();
    await waitForText(el, 'Verify your identity', undefined, 6000);
    const registered = (await state()).registered.filter((u) => u.email.startsWith('tim'));
    expect(registered.map((u) => u.email)).to.deep.equal(['tim.temp@shop.test']);
  });
});

describe('the verification gate checks by itself', () => {
  it('re-checks while shown (and when the tab is visible again), and stops when the widget is removed', async () => {
    // the widget's own requests for the state (the simulator's log is a window shared with other test files)
    let asked = 0;
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith('/session/kyc-pending/config')) asked++;
      return realFetch(input, init);
    };
    try {
      const checks = async () => asked;
      const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/kyc-pending"></cryptopocket-ramp>');
      await waitForText(el, 'Verification in progress');
      const first = await checks();
      await waitUntil(async () => (await checks()) > first, 'no check while the gate waits', { timeout: 4000 });
      // the tab comes back into view (several test pages share the browser: this one may really be in the background)
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      await waitUntil(async () => (await checks()) > first + 1, 'no check when the tab is visible again', { timeout: 2000 });
      el.remove();
      const removed = await checks();
      await new Promise((resolve) => setTimeout(resolve, 4500));
      expect(await checks(), 'a removed widget checks nothing').to.equal(removed);
    } finally {
      window.fetch = realFetch;
      delete (document as { visibilityState?: DocumentVisibilityState }).visibilityState;
    }
  });
});
