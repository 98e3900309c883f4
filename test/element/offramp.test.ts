import { aTimeout, expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { CryptopocketRamp } from '../../src/cryptopocket-ramp.js';
import type { StatusChangedDetail } from '../../src/events.js';
import {
  button,
  byLabel,
  choose,
  openStreams,
  summaryRows,
  queryByLabel,
  root,
  sellToReview,
  simAdvance,
  simFail,
  simState,
  text,
  type,
  waitForText,
} from '../support/dom.js';

declare global {
  interface Window {
    jsQR?: (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
  }
}

/** What a phone reads from the drawn QR code (jsQR, a decoder independent of the encoder). */
async function decodeQr(canvas: HTMLCanvasElement): Promise<string | undefined> {
  const jsQR = await loadJsQr();
  const image = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(image.data, image.width, image.height)?.data;
}

async function loadJsQr(): Promise<NonNullable<Window['jsQR']>> {
  if (!window.jsQR) {
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/jsqr/dist/jsQR.js';
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }
  return window.jsQR!;
}

const IBAN = 'es91 2100 0418 4502 0005 1332';

async function sellWidget(user = 'eu-seller'): Promise<CryptopocketRamp> {
  const el = await fixture<CryptopocketRamp>(html`<cryptopocket-ramp session-url="/session/${user}" mode="offramp" lock-mode></cryptopocket-ramp>`);
  await waitUntil(() => queryByLabel(el, 'You sell'), 'offramp view did not load', { timeout: 4000 });
  return el;
}

/** Amount → payout → review, as a user would (this file's IBAN unless told). */
const toReview = (el: CryptopocketRamp, { amount = '25', iban = IBAN, bankName = '' } = {}) => sellToReview(el, { amount, iban, bankName });

/** Confirms the reviewed sale and returns what `rampoff-created` reported. */
async function confirmSale(el: CryptopocketRamp) {
  const made = oneEvent(el, 'rampoff-created');
  button(el, 'Confirm and sell').click();
  return (await made).detail;
}

async function rampoffsOf(userId: number) {
  return (await simState()).rampoffs.filter((r) => r.user_id === userId);
}

/** Confirms a sale, removes the widget while its create is in flight (the page goes away), and loads a new one. */
async function reloadDuringCreate(session: string): Promise<{ again: CryptopocketRamp; before: number }> {
  const el = await sellWidget(session);
  await toReview(el);
  const before = (await rampoffsOf(110)).length;
  button(el, 'Confirm and sell').click();
  await waitUntil(() => Object.values(sessionStorage).some((v) => v.includes('"creating"')), 'no pending create stored');
  el.remove();
  const again = await fixture<CryptopocketRamp>(html`<cryptopocket-ramp session-url="/session/${session}"></cryptopocket-ramp>`);
  return { again, before };
}

describe('offramp: sell crypto for fiat', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(() => fixtureCleanup());

  it('goes from quote to bank transfer, end to end', async () => {
    const el = await sellWidget();
    const statuses: StatusChangedDetail[] = [];
    const created: unknown[] = [];
    el.addEventListener('status-changed', (e) => statuses.push(e.detail));
    el.addEventListener('rampoff-created', (e) => created.push(e.detail));

    // 1. amount and asset, with a live quote
    const quoted = oneEvent(el, 'quote-updated');
    type(byLabel(el, 'You sell'), '25');
    const { detail: quote } = await quoted;
    expect(quote.fiatAmount).to.equal('22.77'); // 25 × 0.92 − 1 %
    await waitForText(el, '≈ €22.77');
    await expect(el).to.be.accessible();
    button(el, 'Continue').click();

    // 2. payout details: IBAN validated as typed, holder shown
    await waitForText(el, 'Where should we pay you?');
    expect(text(el)).to.include('Account holder: Jon Ander Ortiz');
    type(byLabel(el, 'IBAN'), IBAN);
    await el.updateComplete;
    expect(byLabel(el, 'IBAN').getAttribute('aria-invalid')).to.equal('false');
    await expect(el).to.be.accessible();
    button(el, 'Continue').click();

    // 3. review and confirm
    await waitForText(el, 'Review your sale');
    expect(text(el)).to.include('25 USDC');
    // the same figures as the quote: what the user receives, at which rate, for which fee
    expect(summaryRows(el)).to.deep.include({
      'You receive (estimate)': '≈ €22.77',
      Rate: '1 USDC ≈ €0.92',
      'Processing fee': `€${Number(quote.fee).toFixed(2)}`,
    });
    expect(text(el)).to.include('Polygon');
    expect(text(el)).to.include('≈ €22.77');
    expect(text(el)).to.include('IBAN ending ••••1332');
    await expect(el).to.be.accessible();
    const made = oneEvent(el, 'rampoff-created');
    button(el, 'Confirm and sell').click();
    const { detail } = await made;
    expect(detail).to.include({ amount: '25', symbol: 'USDC', chain: 'polygon', fiatCurrency: 'EUR' });
    const [upstream] = (await simState()).rampoffs.filter((r) => r.id === detail.id);
    expect(upstream!.wallet).to.equal(detail.wallet);

    // 4. deposit: address in full and grouped, QR encodes it, a warning names network and token
    await waitForText(el, 'Send your tokens');
    const address = root(el).querySelector<HTMLElement>('[part="deposit-address"]')!;
    expect(address.textContent!.replace(/\s/g, '')).to.equal(detail.wallet);
    expect(address.querySelectorAll('span').length).to.equal(10); // 0x + 40 hex in groups of four
    expect(text(el)).to.include('Send exactly 25 USDC');
    expect(text(el)).to.include('Send only USDC on the Polygon network');
    const canvas = root(el).querySelector<HTMLCanvasElement>('canvas[part="qr-code"]')!;
    expect(canvas.getAttribute('role')).to.equal('img');
    expect(canvas.getAttribute('aria-label')).to.include(detail.wallet);
    await waitUntil(() => canvas.dataset.drawn, 'QR not drawn');
    // USDC on Polygon: native or bridged, the API does not say which, so no payment request, the address as given
    expect(await decodeQr(canvas)).to.equal(detail.wallet);
    await waitForText(el, 'This QR code holds the address only: enter the amount in your wallet.');
    await expect(el).to.be.accessible();

    // 5. status follows the operation (simulator steps: tokens received, then bank transfer)
    await waitUntil(() => statuses.length === 1, 'no initial status');
    await simAdvance(detail.id);
    await waitUntil(() => statuses.some((s) => s.status === 'funds_received'), 'no funds_received');
    // the tokens arrived; the bank transfer is not sent yet, and the screen does not say it is
    await waitForText(el, 'Now: Preparing your bank transfer');
    expect(text(el)).to.include('Tokens received');
    expect(text(el)).not.to.include('Bank transfer sent');
    expect(root(el).querySelector('canvas')).to.equal(null, 'the deposit address is gone once tokens arrived');
    expect(root(el).querySelector('[aria-current="step"]')!.textContent).to.include('Bank transfers usually arrive in 1–2 business days');
    expect(summaryRows(el, '.order dl')).to.deep.include({ 'You sell': '25 USDC', 'Paid to': 'IBAN ending ••••1332' });
    await expect(el).to.be.accessible();
    const completed = oneEvent(el, 'ramp-completed');
    await simAdvance(detail.id);
    const done = await completed;
    expect(done.detail).to.deep.equal({ id: detail.id, flow: 'offramp', fiatAmount: '22.77', fiatCurrency: 'EUR', tokenAmount: '25', symbol: 'USDC' });

    // 6. done
    await waitForText(el, 'Bank transfer sent');
    expect(text(el)).to.include('You sold 25 USDC and receive €22.77.');
    expect(statuses.map((s) => [s.previousStatus, s.status])).to.deep.equal([
      [undefined, 'created'],
      ['created', 'funds_received'],
      ['funds_received', 'completed'],
    ]);
    expect(statuses.map((s) => s.raw)).to.deep.equal(['pending', 'crypto_received', 'finished']);
    expect(created).to.have.length(1);
    await expect(el).to.be.accessible();
    button(el, 'Sell again').click();
    await waitUntil(() => queryByLabel(el, 'You sell'), 'sell again did not restart');
  });

  it('a token whose contract is known: the QR code is an EIP-681 payment request; "I’ve sent the tokens" shows the wait, the address one press away', async () => {
    const el = await sellWidget();
    choose(byLabel<HTMLSelectElement>(el, 'Token'), 'USDT');
    await el.updateComplete;
    await toReview(el, { amount: '25.5' });
    const detail = await confirmSale(el);
    expect(detail).to.include({ symbol: 'USDT', chain: 'polygon' });
    expect(detail.wallet, 'the simulator writes deposit addresses in EIP-55 mixed case').to.match(/[A-F]/);
    await waitForText(el, 'Send your tokens');
    const canvas = root(el).querySelector<HTMLCanvasElement>('canvas[part="qr-code"]')!;
    await waitUntil(() => canvas.dataset.drawn, 'QR not drawn');
    // Tether's contract on Polygon, chain 137, the address exactly as the API gave it, 25.5 USDT in base units (6 decimals)
    expect(await decodeQr(canvas)).to.equal(`ethereum:0xc2132D05D31c914a87C6611C10748AEb04B58e8F@137/transfer?address=${detail.wallet}&uint256=25500000`);
    await waitForText(el, 'This QR code is a payment request');
    await expect(el).to.be.accessible();

    button(el, 'I’ve sent the tokens').click();
    await waitForText(el, 'Waiting for your 25.5 USDT to arrive.');
    expect(root(el).activeElement?.id, 'focus follows the step').to.equal('deposit-waiting');
    expect(root(el).querySelector('canvas'), 'nothing has arrived: the wait, not the QR code').to.equal(null);
    expect(text(el)).not.to.include('Tokens received');
    await expect(el).to.be.accessible();
    button(el, 'Show the address again').click();
    await waitUntil(() => root(el).querySelector('[part="deposit-address"]'), 'the address did not come back');
    expect(root(el).querySelector('[part="deposit-address"]')!.textContent!.replace(/\s/g, '')).to.equal(detail.wallet);
    expect(root(el).activeElement?.id).to.equal('deposit-title');
  });

  it('an invalid IBAN is an inline error and sends no request', async () => {
    const el = await sellWidget();
    type(byLabel(el, 'You sell'), '25');
    button(el, 'Continue').click();
    await waitForText(el, 'Where should we pay you?');
    const mine = (r: { path: string; body: string }) => r.path === '/api/createRampoff' && r.body.includes('"user_id":110');
    const before = (await simState()).requests.filter(mine).length;
    type(byLabel(el, 'IBAN'), 'ES91 2100 0418 4502 0005 1333');
    await el.updateComplete;
    const input = byLabel(el, 'IBAN');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(text(el)).to.include('This IBAN is not valid: check it for typos.');
    expect(root(el).getElementById(input.getAttribute('aria-describedby')!)?.textContent).to.include('not valid');
    await expect(el).to.be.accessible();
    button(el, 'Continue').click();
    await el.updateComplete;
    expect(text(el)).not.to.include('Review your sale');
    expect(root(el).activeElement).to.equal(input);
    type(input, 'ES91 2100');
    button(el, 'Continue').click();
    await el.updateComplete;
    expect(text(el)).to.include('wrong length');
    // a letter where Austria's format has a digit (1 typed as I… as G here), and check digits that pass mod 97 but
    // not the Spanish bank's own (the "DC": 45 → 46, with the IBAN's check digits recomputed to 29)
    type(input, 'AT61 1G04 3002 3457 3201');
    await el.updateComplete;
    expect(text(el)).to.include('This IBAN has a letter where its country uses digits');
    type(input, 'ES29 2100 0418 4602 0005 1332');
    button(el, 'Continue').click();
    await el.updateComplete;
    expect(text(el)).to.include("The bank's own check digits in this IBAN do not match");
    expect(text(el)).not.to.include('Review your sale');
    const after = (await simState()).requests.filter(mine).length;
    expect(after).to.equal(before);
  });

  it('LATAM users see no network and no IBAN, and give their bank name', async () => {
    const el = await sellWidget('latam');
    expect(queryByLabel(el, 'Network')).to.equal(null);
    const before = (await rampoffsOf(200)).length;
    await toReview(el, { amount: '10', iban: '', bankName: 'Banco Nación' });
    expect(queryByLabel(el, 'IBAN')).to.equal(null);
    expect(text(el)).to.include('Your registered account at Banco Nación');
    expect(text(el)).not.to.include('Network');
    await expect(el).to.be.accessible();
    const made = oneEvent(el, 'rampoff-created');
    button(el, 'Confirm and sell').click();
    const { detail } = await made;
    expect(detail.chain).to.equal(undefined);
    expect(detail.fiatCurrency).to.equal('ARS');
    const sent = (await simState()).requests.filter((r) => r.path === '/api/createRampoff' && r.body.includes('"user_id":200')).at(-1)!;
    expect(JSON.parse(sent.body)).to.deep.equal({ user_id: 200, amount: 10, symbol: 'USDC', bank_name: 'Banco Nación' });
    expect((await rampoffsOf(200)).length).to.equal(before + 1);
    await waitForText(el, 'Send only USDC.');
  });

  it('a double click creates one operation', async () => {
    const el = await sellWidget();
    await toReview(el);
    const before = (await rampoffsOf(110)).length;
    let events = 0;
    el.addEventListener('rampoff-created', () => events++);
    const confirm = button(el, 'Confirm and sell');
    confirm.click();
    confirm.click();
    await el.updateComplete;
    button(el, /Creating your sale|Confirm and sell/).click();
    await waitForText(el, 'Send your tokens');
    await aTimeout(300);
    expect((await rampoffsOf(110)).length).to.equal(before + 1);
    expect(events).to.equal(1);
  });

  it('a server error at create: "checking" while the endpoint looks for it, then "not created" with the merchant’s support, and a new press makes one', async () => {
    const el = await sellWidget('eu-seller-help');
    await toReview(el);
    const before = (await rampoffsOf(110)).length;
    await simFail('/api/createRampoff', 503, 1); // an HTML 503: the API may or may not have created it
    const errored = oneEvent(el, 'ramp-error');
    button(el, 'Confirm and sell').click();
    await waitForText(el, 'Checking whether your sale was created…');
    expect(text(el)).not.to.include('Send your tokens');
    const { detail } = await errored;
    expect(detail).to.include({ code: 'not_created', retryable: false });
    await waitForText(el, 'was not created, and nothing was charged');
    const alert = root(el).querySelector('[role="alert"]')!;
    // where to get help, on the error itself
    expect([...alert.querySelectorAll('a')].map((a) => [a.textContent?.trim(), a.href])).to.deep.equal([
      ['Contact support', 'https://help.example.com/ramp'],
      ['Email help@example.com', 'mailto:help@example.com'],
    ]);
    await expect(el).to.be.accessible();
    expect((await rampoffsOf(110)).length).to.equal(before);
    button(el, 'Confirm and sell').click();
    await waitForText(el, 'Send your tokens');
    expect((await rampoffsOf(110)).length).to.equal(before + 1);
  });

  it('with its webhooks lost, the widget still reaches the end through the endpoint’s own reconciliation', async () => {
    const el = await sellWidget();
    await toReview(el, { amount: '8' });
    const detail = await confirmSale(el);
    await waitForText(el, 'Send your tokens');
    await fetch('/_simulator/webhooks', { method: 'POST', body: JSON.stringify({ enabled: false, id: detail.id }) });
    const completed = oneEvent(el, 'ramp-completed');
    await fetch('/_simulator/advance', { method: 'POST', body: JSON.stringify({ id: detail.id, finish: true }) });
    expect((await completed).detail.id).to.equal(detail.id);
    await waitForText(el, 'Bank transfer sent');
  });

  it('another user (a new token) sees nothing of the previous one: not the open sale, not its Activity, not after a reload', async () => {
    const el = await fixture<CryptopocketRamp>(html`<cryptopocket-ramp session-url="/session/switch" mode="offramp" .token=${'user-110'}></cryptopocket-ramp>`);
    await waitUntil(() => queryByLabel(el, 'You sell'), 'offramp view did not load', { timeout: 4000 });
    await toReview(el, { amount: '13.37' });
    const detail = await confirmSale(el);
    await waitForText(el, 'Send your tokens');
    const errors: string[] = [];
    el.addEventListener('ramp-error', (e) => errors.push(e.detail.code));
    el.token = 'user-106';
    await el.updateComplete;
    // before the new configuration renders, the previous user's sale is gone
    expect(root(el).querySelector('[part="deposit-address"]')).to.equal(null);
    expect(text(el)).not.to.include('13.37');
    await waitUntil(() => queryByLabel(el, 'You sell'), 'the new user did not get the amount step', { timeout: 4000 });
    await aTimeout(300);
    expect(text(el)).not.to.include('Send your tokens');
    expect(text(el)).not.to.include('This operation was not found');
    button(el, 'Activity').click();
    await waitUntil(() => !text(el).includes('Loading'), 'Activity did not load', { timeout: 4000 });
    expect(text(el)).not.to.include('13.37');
    expect(errors).to.deep.equal([]);
    // a reload of the page for the new user does not bring the old sale back, nor an error about it
    el.remove();
    const again = await fixture<CryptopocketRamp>(
      html`<cryptopocket-ramp session-url="/session/switch" mode="offramp" .token=${'user-106'}></cryptopocket-ramp>`,
    );
    await waitUntil(() => queryByLabel(again, 'You sell'), 'offramp view did not load', { timeout: 4000 });
    await aTimeout(300);
    expect(text(again)).not.to.include('This operation was not found');
    expect(JSON.stringify({ ...sessionStorage })).not.to.include(detail.id);
  });

  it('reload() for the same user brings the open sale back; Activity is read again', async () => {
    const el = await sellWidget();
    await toReview(el, { amount: '9' });
    const detail = await confirmSale(el);
    await waitForText(el, 'Send your tokens');
    const reloaded = el.reload();
    await el.updateComplete;
    expect(root(el).querySelector('[part="deposit-address"]'), 'cleared before the answer').to.equal(null);
    await reloaded;
    await waitForText(el, 'Send your tokens');
    expect(root(el).querySelector('[part="deposit-address"]')!.textContent!.replace(/\s/g, '')).to.equal(detail.wallet);
  });

  it('an open sale can be left from the screen: "Start a new sale" goes back to the amount; the sale stays in Activity', async () => {
    const el = await fixture<CryptopocketRamp>(html`<cryptopocket-ramp session-url="/session/eu-seller" mode="offramp"></cryptopocket-ramp>`);
    await waitUntil(() => queryByLabel(el, 'You sell'), 'offramp view did not load', { timeout: 4000 });
    await toReview(el, { amount: '11.5' });
    const detail = await confirmSale(el);
    await waitForText(el, 'Send your tokens');
    expect(text(el)).to.include('stays in Activity');
    await expect(el).to.be.accessible();
    button(el, 'Start a new sale').click();
    await waitUntil(() => queryByLabel(el, 'You sell'), 'not back at the amount');
    expect(text(el)).not.to.include('Send your tokens');
    expect(JSON.stringify({ ...sessionStorage })).not.to.include(detail.id);
    button(el, 'Activity').click();
    await waitForText(el, '11.5');
  });

  it('an answer lost after the sale was created: one rampoff, and the widget shows its deposit address', async () => {
    const el = await sellWidget();
    await toReview(el, { amount: '7' });
    const before = (await rampoffsOf(110)).length;
    await fetch('/_simulator/fail', { method: 'POST', body: JSON.stringify({ path: '/api/createRampoff', status: 502, times: 1, after: true }) });
    const made = oneEvent(el, 'rampoff-created');
    button(el, 'Confirm and sell').click();
    const { detail } = await made;
    await waitForText(el, 'Send your tokens');
    const mine = await rampoffsOf(110);
    expect(mine.length).to.equal(before + 1);
    expect(root(el).querySelector('[part="deposit-address"]')!.textContent!.replace(/\s/g, '')).to.equal(mine.find((r) => r.id === detail.id)!.wallet);
  });

  it('resumes the open operation after a reload, without the IBAN in storage', async () => {
    const el = await sellWidget();
    await toReview(el);
    const detail = await confirmSale(el);
    await waitForText(el, 'Send your tokens');
    const stored = JSON.stringify({ ...sessionStorage });
    expect(stored).to.include(detail.id);
    expect(stored).not.to.include('1332');
    el.remove();
    // "reload": a new element on the same session endpoint
    const again = await fixture<CryptopocketRamp>(html`<cryptopocket-ramp session-url="/session/eu-seller"></cryptopocket-ramp>`);
    await waitForText(again, 'Send your tokens');
    expect(again.mode).to.equal('offramp');
    expect(root(again).querySelector('[part="deposit-address"]')!.textContent!.replace(/\s/g, '')).to.equal(detail.wallet);
    expect(text(again)).to.include('Send exactly 25 USDC');
  });

  it('resumes a create that a reload interrupted, by its Idempotency-Key, without a second operation', async () => {
    const { again, before } = await reloadDuringCreate('eu-seller');
    await waitForText(again, 'Send your tokens');
    await aTimeout(200);
    expect((await rampoffsOf(110)).length).to.equal(before + 1);
  });

  it('a reload that overtakes the create it interrupted waits for it instead of giving it up', async () => {
    // this endpoint's creates reach the handler 800 ms late: the reloaded widget asks for the key before it exists
    const { again, before } = await reloadDuringCreate('late-create');
    await waitForText(again, 'Send your tokens', undefined, 6000);
    expect(text(again)).not.to.include('did not go through');
    expect((await rampoffsOf(110)).length).to.equal(before + 1);
  });

  it('a create that never arrived: the reloaded widget says so in the sell view, ready to confirm again', async () => {
    const scope = `${new URL('/session/eu-seller/', location.href).href}|offramp`;
    sessionStorage.setItem(
      `cryptopocket-ramp:open:${scope}`,
      JSON.stringify({ flow: 'offramp', phase: 'creating', key: 'never-sent-key-1', at: Date.now() - 60_000 }),
    );
    const el = await fixture<CryptopocketRamp>(html`<cryptopocket-ramp session-url="/session/eu-seller"></cryptopocket-ramp>`);
    await waitForText(el, 'did not go through');
    expect(root(el).querySelector('h2')?.textContent).to.equal('Sell crypto');
    expect(queryByLabel(el, 'You sell')).to.exist;
    expect(Object.keys(sessionStorage).filter((k) => k.includes('open:'))).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('follows an operation given by the host with operation-id', async () => {
    const first = await sellWidget();
    await toReview(first);
    const detail = await confirmSale(first);
    first.remove();
    sessionStorage.clear();
    const el = await fixture<CryptopocketRamp>(
      html`<cryptopocket-ramp session-url="/session/eu-seller" mode="offramp" operation-id=${detail.id}></cryptopocket-ramp>`,
    );
    await waitForText(el, 'Send your tokens');
    const other = await fixture<CryptopocketRamp>(
      html`<cryptopocket-ramp session-url="/session/latam" mode="offramp" operation-id=${detail.id}></cryptopocket-ramp>`,
    );
    const { detail: error } = await oneEvent(other, 'ramp-error');
    expect(error.code).to.equal('not_found', 'another user cannot follow it');
    // the other user is back at the start, told why, not left on a spinner
    await waitForText(other, 'This operation was not found.');
    expect(queryByLabel(other, 'You sell')).to.exist;
    expect(text(other)).not.to.include('Send your tokens');
  });

  it('removed while its create is in flight: the operation is kept for a reload, but nothing is followed meanwhile', async () => {
    const el = await sellWidget();
    await toReview(el, { amount: '6' });
    const made = oneEvent(el, 'rampoff-created');
    button(el, 'Confirm and sell').click();
    el.remove(); // before the answer arrives
    const { detail } = await made;
    await aTimeout(1500);
    expect(await openStreams(detail.id)).to.equal(0, 'a detached widget streams nothing');
    // (the session endpoint keeps following the operation itself; what the widget would read is its own poll)
    expect(JSON.stringify({ ...sessionStorage })).to.include(detail.id);
  });

  it('removing the element mid-flow stops its stream and timers', async () => {
    const el = await sellWidget();
    await toReview(el);
    const detail = await confirmSale(el);
    await waitForText(el, 'Send your tokens');
    const streams = () => openStreams(detail.id);
    await waitUntil(async () => (await streams()) === 1, 'the widget did not open its status stream');
    el.remove();
    await waitUntil(async () => (await streams()) === 0, 'the stream stayed open after the element was removed');
    await aTimeout(2500); // longer than the widget's reconnect and first polling delays: nothing opens it again
    expect(await streams()).to.equal(0);
  });

  it('a deposit address that is not valid for the network is never shown: no address, no QR code, an error instead', async () => {
    const el = await sellWidget();
    await toReview(el);
    const original = window.fetch;
    // the endpoint answers the create with an address Polygon cannot receive on (a truncated one)
    window.fetch = async (input, init) =>
      String(input).endsWith('/offramp/operations') && init?.method === 'POST'
        ? new Response(JSON.stringify({ id: 'bad-deposit-1', wallet: '0x8ba1f109551bD432803012645Ac136ddd64DBA7' }), {
            status: 201,
            headers: { 'content-type': 'application/json' },
          })
        : original(input, init);
    try {
      const errored = oneEvent(el, 'ramp-error');
      button(el, 'Confirm and sell').click();
      const { detail } = await errored;
      expect(detail.code).to.equal('invalid_deposit_address');
      await el.updateComplete;
      expect(root(el).querySelector('[part="deposit-address"]')).to.equal(null);
      expect(root(el).querySelector('canvas')).to.equal(null);
      expect(text(el)).not.to.include('0x8ba1');
      expect(text(el)).not.to.include('Send your tokens');
    } finally {
      window.fetch = original;
    }
  });
});
