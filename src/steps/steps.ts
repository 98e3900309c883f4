/**
 * The steps after the amount — payout, wallet, review, deposit, payment, status, KYC gate, activity —
 * loaded lazily by the element (`import('./steps/steps.js')`) so the first screen ships without them.
 * Their state lives on the element (one-way data flow is unchanged); this module holds their controllers,
 * handlers and templates.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { FLOW_ROUTES, routePath } from '../lib/routes.js';
import { CreateController } from '../controllers/create-controller.js';
import { HistoryController } from '../controllers/history-controller.js';
import { StatusController } from '../controllers/status-controller.js';
import type { CryptopocketRamp, Created } from '../cryptopocket-ramp.js';
import { DepositRequestedEvent, KycRequiredEvent, RampCompletedEvent, RampoffCreatedEvent, RamponCreatedEvent, StatusChangedEvent } from '../events.js';
import { enSteps } from '../i18n/en-steps.js';
import { validateAddress } from '../lib/address.js';
import { chainLabel } from '../lib/chains.js';
import { RampError } from '../lib/errors.js';
import { explorerLink } from '../lib/explorers.js';
import { maskIban, normalizeIban, validateIban } from '../lib/iban.js';
import { formatFiat, formatToken } from '../lib/money.js';
import { parseCreatedPayment, parseCreatedRampoff } from '../lib/protocol.js';
import { isTerminal } from '../lib/status.js';
import type { CreatedPayment, CreatedRampoff, Flow, Operation, RampConfig, RampStatus } from '../types.js';
import { loadingState } from '../views/common.js';
import { historyView } from '../views/history.js';
import { kycGate, kycGateKind, type KycGateKind } from '../views/kyc.js';
import { depositPanel, offrampDone, operationFailed, payoutStep, reviewStep } from '../views/offramp.js';
import { onrampDone, onrampReview, payPanel, walletStep } from '../views/onramp.js';
import { timeline } from '../views/timeline.js';
import { stepStyles } from './steps.styles.js';

export { enSteps, stepStyles };

/** How long after a create was sent a reload keeps asking for it by key while the server does not know it yet (ms). */
const CREATE_ARRIVAL = 10_000;

export class RampSteps {
  readonly trackers: Record<Flow, StatusController>;
  readonly creators: { onramp: CreateController<CreatedPayment>; offramp: CreateController<CreatedRampoff> };
  readonly history: HistoryController;

  constructor(private readonly h: CryptopocketRamp) {
    this.trackers = { onramp: this.tracker('onramp'), offramp: this.tracker('offramp') };
    this.creators = {
      onramp: new CreateController<CreatedPayment>(h, () => h.client, { flow: 'onramp', path: routePath(FLOW_ROUTES.onramp.create), parse: parseCreatedPayment, scope: () => h.scope('onramp') }),
      offramp: new CreateController<CreatedRampoff>(h, () => h.client, { flow: 'offramp', path: routePath(FLOW_ROUTES.offramp.create), parse: parseCreatedRampoff, scope: () => h.scope('offramp') }),
    };
    this.history = new HistoryController(h, () => h.client, (error) => h.emitError(error));
  }

  /** Starts following `id` (the element has set its state). */
  follow(flow: Flow, id: string): void {
    this.trackers[flow].track(flow, id);
  }

  /** Forgets the shown flow's operation and create. */
  reset(flow: Flow): void {
    this.trackers[flow].reset();
    this.creators[flow].reset();
  }

  /** Forgets both flows' operations and creates, and the Activity list (another user may be next). */
  forgetUser(): void {
    for (const flow of ['onramp', 'offramp'] as const) this.reset(flow);
    this.history.clear();
  }

  /** The view for everything after the amount step, or `undefined` when the amount step is shown. */
  render(config: RampConfig, locale: string): TemplateResult | undefined {
    const h = this.h;
    if (h.showHistory) {
      return historyView({ state: this.history.state, locale, expanded: h.expanded, chainLabel }, h.t, {
        open: (op) => {
          h.showHistory = false;
          h.track(op.id, op.flow);
        },
        toggle: (id) => (h.expanded = h.expanded === id ? '' : id),
        more: () => void this.history.more(),
        refresh: () => void this.history.refresh(),
      });
    }
    if (h.step === 'tracking') return this.renderTracking(locale);
    const gate = this.kycGateFor(config);
    if (gate) return kycGate({ ...gate, hostHandles: h.kycHostHandles, checking: h.kycChecking }, h.t, { check: () => void this.handleKycCheck() });
    if (h.mode === 'offramp') {
      if (h.step === 'payout') return this.renderPayout(config);
      if (h.step === 'review') return this.renderSellReview(config, locale);
    } else {
      if (h.step === 'wallet') return this.renderWallet();
      if (h.step === 'review') return this.renderBuyReview(config, locale);
    }
    return undefined;
  }

  tracker(flow: Flow): StatusController {
    return new StatusController(
      this.h,
      () => this.h.client,
      { changed: (op, previous) => this.handleStatus(op, previous), failed: (error) => this.handleTrackingError(flow, error) },
      { stream: () => this.h.config.state.status === 'ready' && this.h.config.state.config.stream },
    );
  }

  /** Following stopped for good: an unknown operation (or another user's) leaves the flow at its start, with a word why. */
  handleTrackingError(flow: Flow, error: RampError): void {
    const id = this.h.created[flow]?.id;
    // an operation this tab had open, which the session endpoint does not show this user (another user signed in): drop it
    const resumed = error.code === 'not_found' && !this.trackers[flow].operation && id !== undefined && this.h.resumedIds.has(id);
    if (!resumed) this.h.emitError(error);
    if (error.code !== 'not_found' || this.trackers[flow].operation) return;
    this.h.forget(flow);
    this.h.created = { ...this.h.created, [flow]: undefined };
    this.h.setStep(flow, 'amount');
    if (!resumed) this.h.notice = this.h.t('error.not_found');
  }

  /** The gate in force: a refusal from a create, else the config's KYC state. */
  kycGateFor(config: RampConfig): { kind: KycGateKind; url?: string } | undefined {
    if (this.h.kycBlock) return this.h.kycBlock;
    const kind = kycGateKind(config.kyc.status, config.kyc.raw);
    return kind ? { kind, ...(config.kyc.url ? { url: config.kyc.url } : {}) } : undefined;
  }

  /** Fires `kyc-required` once per gate shown; a host that cancels it runs its own KYC flow. */
  announceKyc(config: RampConfig): void {
    const gate = this.kycGateFor(config);
    const key = gate ? `${gate.kind}|${gate.url ?? ''}` : '';
    if (!gate || key === this.h.kycAnnounced) return;
    this.h.kycAnnounced = key;
    const event = new KycRequiredEvent({ status: gate.kind === 'failed' ? 'failed' : gate.kind === 'reinforced' ? 'reinforced' : 'pending', ...(gate.url ? { url: gate.url } : {}) });
    this.h.dispatchEvent(event);
    this.h.kycHostHandles = event.defaultPrevented;
  }

  async handleKycCheck(): Promise<void> {
    if (this.h.kycChecking) return;
    this.h.kycChecking = true;
    this.h.kycBlock = undefined;
    this.h.kycAnnounced = '';
    await this.h.config.load();
    this.h.kycChecking = false;
  }

  /** A failed create: reported to the host, and a KYC refusal lands in the gate. */
  createFailed(error: RampError | undefined): void {
    if (!error) return;
    this.h.emitError(error);
    this.gateOnKyc(error);
  }

  /** A create refused for KYC lands in the gate, not in a generic error. */
  gateOnKyc(error: RampError | undefined): boolean {
    if (!error || (error.code !== 'require_kyc' && error.code !== 'kyc_reinforced_required')) return false;
    this.h.kycBlock = { kind: error.code === 'require_kyc' ? 'start' : 'reinforced', ...(error.details.url ? { url: error.details.url } : {}) };
    if (this.h.config.state.status === 'ready') this.announceKyc(this.h.config.state.config);
    return true;
  }

  /** A reload interrupted a create: ask the session endpoint what that key created, if anything. */
  async resolveKey(flow: Flow, key: string, sentAt = 0): Promise<void> {
    const client = this.h.client;
    if (!client) return;
    this.h.mode = flow;
    this.h.setStep(flow, 'review');
    this.creators[flow].creating = true;
    const path = routePath(FLOW_ROUTES[flow].byKey, { key });
    const parse = (body: unknown) => (flow === 'onramp' ? parseCreatedPayment(body) : parseCreatedRampoff(body));
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          const created = await client.get(path, parse);
          this.h.created = { ...this.h.created, [flow]: { ...created } };
          this.h.track(created.id, flow);
          return;
        } catch (error) {
          // still running; or not arrived yet: a reload can overtake the create it interrupted, for a moment
          const running = error instanceof RampError && error.code === 'request_in_progress';
          const arriving = error instanceof RampError && error.code === 'not_found' && Date.now() - sentAt < CREATE_ARRIVAL;
          if (!running && !arriving) break;
          await new Promise((resolve) => setTimeout(resolve, 500));
          if (!this.h.isConnected) return;
        }
      }
      this.h.forget(flow);
      this.h.setStep(flow, 'amount');
      this.h.notice = this.h.t('resume.lost');
    } finally {
      this.creators[flow].creating = false;
      this.h.requestUpdate();
    }
  }

  handleStatus(op: Operation, previous: RampStatus | undefined): void {
    const created = this.h.created[op.flow];
    this.h.dispatchEvent(new StatusChangedEvent({ id: op.id, flow: op.flow, status: op.status, ...(previous ? { previousStatus: previous } : {}), raw: op.raw }));
    if (op.status === 'completed') {
      const fiatCurrency = op.fiat ?? created?.fiat;
      const symbol = op.symbol ?? created?.symbol;
      this.h.dispatchEvent(
        new RampCompletedEvent({
          id: op.id,
          flow: op.flow,
          ...(op.fiatAmount ? { fiatAmount: op.fiatAmount } : {}),
          ...(fiatCurrency ? { fiatCurrency } : {}),
          ...(op.tokenAmount ? { tokenAmount: op.tokenAmount } : {}),
          ...(symbol ? { symbol } : {}),
        }),
      );
    }
    if (isTerminal(op.status)) this.h.forget(op.flow);
    // resumed without knowing the deposit address yet: the first status brings it
    if (op.flow === 'offramp' && !previous && op.status === 'created' && op.wallet && !created?.wallet) this.requestDeposit({ ...op });
  }

  get ibanError(): string | undefined {
    const key = validateIban(this.h.payout.iban);
    if (!key) return undefined;
    // while typing, a short IBAN is not yet an error
    if (!this.h.payout.ibanTouched && (key === 'iban.empty' || key === 'iban.length')) return undefined;
    return this.h.t(key);
  }

  get bankNameError(): string | undefined {
    return this.h.payout.bankTouched && !this.h.payout.bankName.trim() ? this.h.t('bankName.empty') : undefined;
  }

  handleContinuePayout(config: RampConfig): void {
    if (config.region === 'EU') {
      this.h.payout = { ...this.h.payout, ibanTouched: true };
      if (validateIban(this.h.payout.iban)) return this.h.focusField('iban');
    } else {
      this.h.payout = { ...this.h.payout, bankTouched: true };
      if (!this.h.payout.bankName.trim()) return this.h.focusField('bank-name');
    }
    this.creators.offramp.reset();
    this.h.setStep('offramp', 'review');
  }

  async handleConfirmSell(config: RampConfig): Promise<void> {
    const amount = this.h.amountCheck().value;
    if (!amount) return;
    const body = {
      amount,
      symbol: this.h.form.symbol,
      fiat: this.h.form.fiat,
      ...(config.region === 'EU' ? { chain: this.h.form.chain, iban: normalizeIban(this.h.payout.iban) } : { bankName: this.h.payout.bankName.trim() }),
    };
    const created = await this.creators.offramp.create(body);
    if (!created) return this.createFailed(this.creators.offramp.error);
    const chain = 'chain' in body ? body.chain : undefined;
    this.h.created = {
      ...this.h.created,
      offramp: { id: created.id, wallet: created.wallet, amount, symbol: body.symbol, fiat: body.fiat, ...(chain ? { chain } : {}), ...('iban' in body ? { ibanMasked: maskIban(body.iban) } : {}) },
    };
    if (!this.h.announced.has(created.id)) {
      this.h.announced.add(created.id);
      this.h.dispatchEvent(new RampoffCreatedEvent({ id: created.id, wallet: created.wallet, amount, symbol: body.symbol, ...(chain ? { chain } : {}), fiatCurrency: body.fiat }));
    }
    this.h.track(created.id, 'offramp');
    this.requestDeposit({ wallet: created.wallet, tokenAmount: amount, symbol: body.symbol, ...(chain ? { chain } : {}) });
  }

  requestDeposit(op: Pick<Operation, 'wallet' | 'tokenAmount' | 'symbol' | 'chain'>): void {
    if (!op.wallet || !op.tokenAmount || !op.symbol) return;
    if (validateAddress(op.wallet, op.chain)) {
      this.h.emitError(new RampError('invalid_deposit_address', `The deposit address does not look like a ${op.chain ?? op.symbol} address; it is not shown.`, false));
      return;
    }
    const event = new DepositRequestedEvent({ address: op.wallet, amount: op.tokenAmount, symbol: op.symbol, ...(op.chain ? { chain: op.chain } : {}) });
    this.h.dispatchEvent(event);
    this.h.walletSending = event.defaultPrevented;
  }

  async handleCopy(label: string, value: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
      this.h.copied = label;
    } catch {
      this.h.copied = `failed:${label}`;
      this.h.emitError(new RampError('copy_failed', 'The browser did not allow copying; select the text and copy it by hand.', false));
    }
  }

  get walletError(): string | undefined {
    const key = validateAddress(this.h.walletInput.value, this.h.form.chain || undefined);
    if (!key || (!this.h.walletInput.touched && key !== 'address.checksum')) return undefined;
    return this.h.t(key, { network: this.h.form.chain ? chainLabel(this.h.form.chain) : 'EVM' });
  }

  handleContinueWallet(): void {
    this.h.walletInput = { ...this.h.walletInput, touched: true };
    if (validateAddress(this.h.walletInput.value, this.h.form.chain || undefined)) return this.h.focusField('wallet');
    this.creators.onramp.reset();
    this.h.setStep('onramp', 'review');
  }

  /** Where the payment page sends the user back: the host's `callback-url`, else this page without its query and fragment (they may hold session data the provider has no business seeing). */
  defaultCallbackUrl(): string | undefined {
    if (this.h.callbackUrl) return this.h.callbackUrl;
    const here = globalThis.location?.href;
    if (!here || !/^https?:/.test(here)) return undefined;
    const url = new URL(here);
    url.search = '';
    url.hash = '';
    return url.href;
  }

  async handleConfirmBuy(config: RampConfig): Promise<void> {
    const fiatAmount = this.h.amountCheck().value;
    if (!fiatAmount || this.creators.onramp.creating) return;
    const wallet = this.h.walletInput.value.trim();
    const callbackUrl = this.defaultCallbackUrl();
    const chain = config.region === 'EU' ? this.h.form.chain : undefined;
    const body = { fiatAmount, fiat: this.h.form.fiat, symbol: this.h.form.symbol, ...(chain ? { chain } : {}), wallet, method: this.h.form.method, ...(callbackUrl ? { callbackUrl } : {}) };
    const created = await this.creators.onramp.create(body);
    if (!created) return this.createFailed(this.creators.onramp.error);
    this.h.created = {
      ...this.h.created,
      onramp: {
        id: created.id,
        fiatAmount,
        fiat: body.fiat,
        symbol: body.symbol,
        wallet,
        method: created.method,
        ...(chain ? { chain } : {}),
        ...(created.paymentUrl ? { paymentUrl: created.paymentUrl } : {}),
        ...(created.bankTransfer ? { bankTransfer: created.bankTransfer } : {}),
      },
    };
    if (!this.h.announced.has(created.id)) {
      this.h.announced.add(created.id);
      this.h.dispatchEvent(
        new RamponCreatedEvent({
          id: created.id,
          paymentType: created.method,
          ...(created.paymentUrl ? { paymentUrl: created.paymentUrl } : {}),
          ...(created.bankTransfer ? { bankTransfer: created.bankTransfer } : {}),
          fiatAmount,
          fiatCurrency: body.fiat,
          symbol: body.symbol,
          ...(chain ? { chain } : {}),
          wallet,
        }),
      );
    }
    this.h.track(created.id, 'onramp');
    if (created.paymentUrl) this.openPayment(created.paymentUrl);
  }

  /** Opens the payment page: a new tab (within the click's activation), or this tab with `redirect`. */
  openPayment(url: string): void {
    if (this.h.redirect) {
      this.h.payState = 'redirecting';
      globalThis.location.assign(url);
      return;
    }
    // without `noopener` so a blocked popup shows as null; the opener link is cut right after
    const opened = globalThis.open(url, '_blank');
    if (opened) opened.opener = null;
    this.h.payState = opened ? 'opened' : 'blocked';
  }

  /** A create's error, with the verification link when the API gave one. */
  renderCreateError(error: RampError | undefined): TemplateResult | undefined {
    if (!error) return undefined;
    return html`<div class="inline-error" part="error" role="alert">
      <p>${this.h.errorMessage(error)}</p>
      ${error.details.url ? html`<a href=${error.details.url} target="_blank" rel="noopener noreferrer">${this.h.t('kyc.verify')}</a>` : nothing}
    </div>`;
  }

  renderPayout(config: RampConfig): TemplateResult {
    return payoutStep(
      { region: config.region, iban: this.h.payout.iban, ibanError: this.ibanError, bankName: this.h.payout.bankName, bankNameError: this.bankNameError, ...(config.accountHolder ? { accountHolder: config.accountHolder } : {}) },
      this.h.t,
      {
        iban: (iban) => (this.h.payout = { ...this.h.payout, iban }),
        ibanBlur: () => !this.h.committing && (this.h.payout = { ...this.h.payout, ibanTouched: this.h.payout.iban.trim() !== '' || this.h.payout.ibanTouched }),
        bankName: (bankName) => (this.h.payout = { ...this.h.payout, bankName }),
        back: () => this.h.setStep('offramp', 'amount'),
        next: () => this.handleContinuePayout(config),
      },
    );
  }

  currentQuote() {
    return this.h.quote.state.status === 'ready' ? this.h.quote.state.quote : undefined;
  }

  renderSellReview(config: RampConfig, locale: string): TemplateResult {
    const t = this.h.t;
    const quote = this.currentQuote();
    const payTo = config.region === 'EU' ? t('review.ibanEnding', { last4: maskIban(this.h.payout.iban) }) : t('review.bankAccount', { bank: this.h.payout.bankName.trim() });
    const error = this.renderCreateError(this.creators.offramp.error);
    return reviewStep(
      {
        amount: this.h.amountCheck().value ?? '0',
        symbol: this.h.form.symbol,
        ...(this.h.form.chain && config.region === 'EU' ? { network: chainLabel(this.h.form.chain) } : {}),
        fiat: this.h.form.fiat,
        ...(quote ? { quote } : {}),
        payTo,
        creating: this.creators.offramp.creating,
        checking: this.creators.offramp.checking,
        ...(error ? { error } : {}),
      },
      t,
      locale,
      { back: () => this.h.setStep('offramp', 'payout'), confirm: () => void this.handleConfirmSell(config) },
    );
  }

  renderWallet(): TemplateResult {
    const fixed = Boolean(this.h.wallet);
    return walletStep(
      {
        wallet: this.h.walletInput.value,
        error: this.walletError,
        fixed,
        site: globalThis.location?.hostname || 'this site',
        ...(this.h.form.chain ? { network: chainLabel(this.h.form.chain) } : {}),
      },
      this.h.t,
      {
        input: (value) => (this.h.walletInput = { ...this.h.walletInput, value }),
        blur: () => !this.h.committing && this.h.walletInput.value.trim() !== '' && (this.h.walletInput = { ...this.h.walletInput, touched: true }),
        back: () => this.h.setStep('onramp', 'amount'),
        next: () => this.handleContinueWallet(),
      },
    );
  }

  renderBuyReview(config: RampConfig, locale: string): TemplateResult {
    const quote = this.currentQuote();
    const error = this.renderCreateError(this.creators.onramp.error);
    return onrampReview(
      {
        fiatAmount: this.h.amountCheck().value ?? '0',
        fiat: this.h.form.fiat,
        symbol: this.h.form.symbol,
        ...(this.h.form.chain && config.region === 'EU' ? { network: chainLabel(this.h.form.chain) } : {}),
        method: this.h.t(`method.${this.h.form.method}`) || this.h.form.method,
        wallet: this.h.walletInput.value.trim(),
        ...(quote ? { quote } : {}),
        creating: this.creators.onramp.creating,
        checking: this.creators.onramp.checking,
        ...(error ? { error } : {}),
      },
      this.h.t,
      locale,
      { back: () => this.h.setStep('onramp', 'wallet'), confirm: () => void this.handleConfirmBuy(config) },
    );
  }

  renderTracking(locale: string): TemplateResult {
    const t = this.h.t;
    const flow = this.h.mode;
    const created = this.h.created[flow];
    const tracked = this.trackers[flow].operation;
    if (!created) return loadingState(t);
    const status: RampStatus | undefined = tracked?.status;
    if (!status) return html`<div class="step">${loadingState(t)}</div>`;
    const op: Created & Partial<Operation> = { ...created, ...tracked };
    if (status === 'failed' || status === 'expired') return operationFailed({ flow, status, id: created.id }, t, { again: () => this.h.reset() });
    return flow === 'offramp' ? this.renderSellTracking(op, status, locale) : this.renderBuyTracking(op, status, locale);
  }

  renderSellTracking(op: Created & Partial<Operation>, status: RampStatus, locale: string): TemplateResult {
    const t = this.h.t;
    if (status === 'completed') {
      const token = op.tokenAmount && op.symbol ? formatToken(op.tokenAmount, op.symbol, locale, 18) : '';
      return html`<div class="step">
        ${offrampDone({ token, fiat: op.fiatAmount && op.fiat ? formatFiat(op.fiatAmount, op.fiat, locale) : '', id: op.id }, t, { again: () => this.h.reset() })}
        ${timeline('offramp', status, t)}
      </div>`;
    }
    const wallet = op.wallet;
    const tokenAmount = op.tokenAmount ?? op.amount;
    return html`<div class="step">
      ${status === 'created' && wallet && tokenAmount && op.symbol
        ? depositPanel(
            {
              id: op.id,
              address: wallet,
              valid: !validateAddress(wallet, op.chain),
              amount: tokenAmount,
              symbol: op.symbol,
              ...(op.chain ? { network: chainLabel(op.chain) } : {}),
              copyState: this.h.copied === 'address' ? 'copied' : this.h.copied === 'failed:address' ? 'failed' : 'idle',
              walletSending: this.h.walletSending,
              ...(this.h.walletTx ? { walletTx: this.h.walletTx } : {}),
            },
            t,
            locale,
            { copy: () => void this.handleCopy('address', wallet) },
          )
        : nothing}
      ${status !== 'created' && op.fiatAmount && op.fiat ? html`<p>${t('review.receive')}: <strong>${formatFiat(op.fiatAmount, op.fiat, locale)}</strong></p>` : nothing}
      ${timeline('offramp', status, t)}
      <p class="muted">${t('status.reference', { id: op.id })}</p>
      ${this.renderLeave('offramp')}
    </div>`;
  }

  /** Leaving an open operation from the screen: a new one starts; this one goes on, and stays in Activity. */
  renderLeave(flow: Flow): TemplateResult {
    const t = this.h.t;
    return html`<div class="actions leave">
      <button type="button" class="secondary" aria-describedby="leave-note" @click=${() => this.h.reset()}>${t(flow === 'offramp' ? 'tracking.newSale' : 'tracking.newPurchase')}</button>
    </div>
    <p class="muted" id="leave-note">${t('tracking.leaveNote')}</p>`;
  }

  renderBuyTracking(op: Created & Partial<Operation>, status: RampStatus, locale: string): TemplateResult {
    const t = this.h.t;
    const transfer = Boolean(op.bankTransfer) || op.method === 'transfer';
    const fiatText = op.fiatAmount && op.fiat ? formatFiat(op.fiatAmount, op.fiat, locale) : '';
    if (status === 'completed') {
      const explorer = op.txid ? explorerLink(op.chain, op.txid) : undefined;
      return html`<div class="step">
        ${onrampDone(
          {
            token: op.tokenAmount && op.symbol ? formatToken(op.tokenAmount, op.symbol, locale) : '',
            fiat: fiatText,
            id: op.id,
            ...(op.txid ? { txid: op.txid } : {}),
            ...(explorer ? { explorer } : {}),
          },
          t,
          { again: () => this.h.reset() },
        )}
        ${timeline('onramp', status, t, transfer)}
      </div>`;
    }
    const awaitingPayment = status === 'created' || status === 'payment_pending';
    return html`<div class="step">
      ${awaitingPayment && (op.paymentUrl || op.bankTransfer)
        ? payPanel(
            {
              amount: fiatText,
              ...(op.paymentUrl ? { paymentUrl: op.paymentUrl } : {}),
              ...(op.bankTransfer ? { bankTransfer: op.bankTransfer } : {}),
              state: this.h.payState,
              copied: this.h.copied,
            },
            t,
            { open: () => op.paymentUrl && this.openPayment(op.paymentUrl), copy: (field, value) => void this.handleCopy(field, value) },
          )
        : nothing}
      ${timeline('onramp', status, t, transfer)}
      <p class="muted">${t('status.reference', { id: op.id })}</p>
      ${this.renderLeave('onramp')}
    </div>`;
  }
}
