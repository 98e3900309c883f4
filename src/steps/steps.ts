/**
 * The steps after the amount — payout, wallet, review, deposit, payment, status, KYC gate, activity —
 * loaded lazily by the element (`import('./steps/steps.js')`) so the first screen ships without them.
 * Their state lives in the element's model (`RampModel`); this module holds their controllers, guards, handlers and
 * templates, and reaches the element only through the narrow `RampHost` interface (never the element class).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { FLOW_ROUTES, routePath } from '../lib/routes.js';
import { CreateController, newIdempotencyKey } from '../controllers/create-controller.js';
import { clearOpen, loadOpen, saveOpen, type OpenRecord } from '../lib/resume.js';
import { HistoryController } from '../controllers/history-controller.js';
import { StatusController } from '../controllers/status-controller.js';
import {
  AccountCreatedEvent,
  DepositRequestedEvent,
  KycCompletedEvent,
  KycRequiredEvent,
  ModeChangedEvent,
  RampCompletedEvent,
  RampoffCreatedEvent,
  RamponCreatedEvent,
  StatusChangedEvent,
} from '../events.js';
import { enSteps } from '../i18n/en-steps.js';
import { validateAddress } from '../lib/address.js';
import { chainLabel } from '../lib/chains.js';
import { RampError } from '../lib/errors.js';
import { explorerLink } from '../lib/explorers.js';
import { type IbanError, maskIban, normalizeIban } from '../lib/iban.js';
import { formatFiat, formatToken } from '../lib/money.js';
import { parseCreatedPayment, parseCreatedRampoff, parseRegistration } from '../lib/protocol-operations.js';
import { parseConfig } from '../lib/protocol.js';
import { registerStep, type RegisterModel } from '../views/register.js';
import { isTerminal, kycGateKind, type KycGateKind } from '../lib/status.js';
import type { CreatedPayment, CreatedRampoff, Flow, OpenOperation, Operation, RampConfig, RampStatus } from '../types.js';
import type { Deposit } from '../lib/payment-request.js';
import { loadingState } from '../views/common.js';
import { historyView } from '../views/history.js';
import { kycGate, supportLinks } from '../views/kyc.js';
import { termsBox } from '../views/review.js';
import { depositPanel, offrampDone, operationFailed, payoutStep, reviewStep } from '../views/offramp.js';
import { onrampDone, onrampReview, payPanel, walletStep } from '../views/onramp.js';
import { orderSummary } from '../views/summary.js';
import { timeline } from '../views/timeline.js';
import type { Created, RampHost, RampModel, Step } from '../model.js';
import { stepStyles } from './steps.styles.js';

export { enSteps, stepStyles };

/** How long after a create was sent a reload keeps asking for it by key while the server does not know it yet (ms). */
const CREATE_ARRIVAL = 10_000;
/** While the KYC gate waits: the first check after 2 s, then doubling, never more often than every 10 s after that. */
const KYC_FIRST_CHECK = 2_000;
const KYC_CHECK_CAP = 10_000;

type View = (config: RampConfig, locale: string) => TemplateResult;

export class RampSteps {
  readonly trackers: Record<Flow, StatusController>;
  readonly creators: { onramp: CreateController<CreatedPayment>; offramp: CreateController<CreatedRampoff> };
  readonly history: HistoryController;
  private readonly m: RampModel;
  /** Each flow's view per step after the amount (the order of the steps is the model's `FLOW_STEPS`). */
  private readonly views: Record<Flow, Partial<Record<Step, View>>> = {
    onramp: { wallet: () => this.renderWallet(), review: (config, locale) => this.renderBuyReview(config, locale) },
    offramp: { payout: (config) => this.renderPayout(config), review: (config, locale) => this.renderSellReview(config, locale) },
  };

  /** Registration of a user without an account: what the endpoint gave and the user typed (loaded when shown). */
  private registration?: RegisterModel;
  private registrationLoading = false;
  private registerKey = newIdempotencyKey();
  /** While the KYC gate waits for the user's verification, the state is checked again (see `watchKyc`). */
  private kycWaiting = false;
  private kycTimer?: ReturnType<typeof setTimeout>;
  private kycDelay = KYC_FIRST_CHECK;
  private kycCompleted = false;
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible' && this.kycWaiting) void this.checkKyc();
  };

  constructor(private readonly h: RampHost) {
    const m = (this.m = h.model);
    h.addController({ hostDisconnected: () => this.watchKyc(false) });
    // the guards of the steps this module shows: `next()` leaves them only with valid input
    m.guards.payout = () => this.payoutReady();
    m.guards.wallet = () => this.walletReady();
    this.trackers = { onramp: this.tracker('onramp'), offramp: this.tracker('offramp') };
    this.creators = {
      onramp: new CreateController<CreatedPayment>(h, () => h.client, {
        flow: 'onramp',
        path: routePath(FLOW_ROUTES.onramp.create),
        parse: parseCreatedPayment,
        scope: () => m.scope('onramp'),
      }),
      offramp: new CreateController<CreatedRampoff>(h, () => h.client, {
        flow: 'offramp',
        path: routePath(FLOW_ROUTES.offramp.create),
        parse: parseCreatedRampoff,
        scope: () => m.scope('offramp'),
      }),
    };
    this.history = new HistoryController(
      h,
      () => h.client,
      (error) => h.emitError(error),
    );
  }

  /** Starts following `id` (the model already shows it), and keeps it in this tab's storage so a reload resumes it. */
  follow(flow: Flow, id: string): void {
    this.remember(flow, { flow, phase: 'tracking', id });
    this.trackers[flow].track(flow, id);
  }

  /** Forgets a flow's operation and create, here and in this tab's storage. */
  /** The host's wallet sent the deposit (see the element's `depositSent`): shown as sent, or refused when it is no hash. */
  depositSent(txHash: string): void {
    if (/^(0x)?[0-9a-fA-F]{64}$/.test(txHash)) this.m.set({ walletSending: true, walletTx: txHash });
    else this.h.emitError(new RampError('invalid_tx_hash', 'depositSent() needs a transaction hash.', false));
  }

  reset(flow: Flow): void {
    this.trackers[flow].reset();
    this.creators[flow].reset();
    this.accepted[flow] = this.termsMissing[flow] = false;
    this.forget(flow);
  }

  /** Whether the user ticked the terms box on each flow's review (asked again for each purchase or sale). */
  private readonly accepted: Record<Flow, boolean> = { onramp: false, offramp: false };
  /** Confirm was pressed without the terms ticked: the box says what is missing. */
  private readonly termsMissing: Record<Flow, boolean> = { onramp: false, offramp: false };

  /** The review's terms box, when the configuration has terms. */
  renderTerms(flow: Flow, config: RampConfig): TemplateResult | undefined {
    if (!config.terms) return undefined;
    return termsBox({ terms: config.terms, accepted: this.accepted[flow], missing: this.termsMissing[flow] }, this.h.t, {
      accept: (accepted) => ((this.accepted[flow] = accepted), this.h.requestUpdate()),
    });
  }

  /** Before a create: the terms, when there are any, are ticked; else the box says so and takes focus. */
  termsAccepted(flow: Flow, config: RampConfig): boolean {
    if (!config.terms || this.accepted[flow]) return true;
    this.termsMissing[flow] = true;
    this.h.requestUpdate();
    this.h.focusField('review-terms');
    return false;
  }

  /** After the config: the open operations a reload interrupted, from this tab's storage (per session endpoint). */
  resume(): void {
    const { h, m } = this;
    const shown = h.mode;
    const creating: [Flow, string, number | undefined][] = [];
    for (const flow of ['onramp', 'offramp'] as const) {
      if (m.created[flow]) continue; // already following one
      const scope = m.scope(flow);
      const open = scope ? loadOpen(scope) : undefined;
      if (open?.phase === 'tracking') {
        m.resumedIds.add(open.id);
        h.track(open.id, flow);
      } else if (open?.phase === 'creating') creating.push([flow, open.key, open.at]);
    }
    // the mode the page asked for stays shown, unless only the other flow has something open
    if (m.created[shown] || (!m.created.onramp && !m.created.offramp)) h.show(shown);
    // a create a reload interrupted: its flow is shown while the endpoint is asked what it made
    for (const [flow, key, at] of creating) void this.resolveKey(flow, key, at);
  }

  remember(flow: Flow, record: OpenRecord): void {
    const scope = this.m.scope(flow);
    if (scope) saveOpen(scope, record);
  }

  forget(flow: Flow): void {
    const scope = this.m.scope(flow);
    if (scope) clearOpen(scope);
  }

  /** Forgets both flows' operations and creates, and the Activity list (another user may be next). */
  forgetUser(): void {
    // this tab's storage stays: an operation in it comes back only if the endpoint says it is the new user's
    for (const flow of ['onramp', 'offramp'] as const) {
      this.trackers[flow].reset();
      this.creators[flow].reset();
    }
    this.history.clear();
    this.accepted.onramp = this.accepted.offramp = this.termsMissing.onramp = this.termsMissing.offramp = false;
    this.registration = undefined;
    this.registerKey = newIdempotencyKey();
    this.kycCompleted = false;
    this.watchKyc(false);
  }

  /** After each render: the deposit step's QR code is drawn on its canvas (once per address). */
  rendered(root: ParentNode): void {
    const config = this.h.config;
    // the config's own gate (not a create's refusal), for a user with an account: wait for the verification
    const kind = config && !this.m.kycBlock && config.kyc.raw !== 'unregistered' ? kycGateKind(config.kyc.status, config.kyc.raw) : undefined;
    this.watchKyc((kind === 'start' || kind === 'progress') && this.h.isConnected);
    const canvas = root.querySelector<HTMLCanvasElement>('canvas.qr');
    const deposit = this.deposit();
    const key = deposit && `${deposit.address} ${deposit.amount}`;
    if (!canvas || !deposit || canvas.dataset.qr === key) return;
    canvas.dataset.qr = key;
    import('../controllers/qr.js')
      .then((qr) => qr.drawDeposit(canvas, deposit))
      .then((holds) => this.m.set({ qr: { for: deposit.address, holds } }))
      .catch(() => this.h.emitError(new RampError('qr_failed', 'The QR code could not be drawn; the address is shown as text.', false)));
  }

  /** What the shown sale waits for: its deposit address, token, network and amount, once known. */
  deposit(): Deposit | undefined {
    const created = this.m.created.offramp;
    if (!created) return undefined;
    const op: Created & Partial<Operation> = { ...created, ...this.trackers.offramp.operation };
    const amount = op.tokenAmount ?? op.amount;
    return op.wallet && amount && op.symbol ? { address: op.wallet, symbol: op.symbol, chain: op.chain, amount } : undefined;
  }

  /** The flow's open operation: its id from the create (or resume), and what the status last said of it. */
  current(flow: Flow): OpenOperation | undefined {
    const id = this.m.created[flow]?.id;
    if (!id) return undefined;
    const seen = this.trackers[flow].operation;
    return Object.freeze(seen?.id === id ? { ...seen } : { id, flow });
  }

  /** True while the shown flow's create runs (leaving the review then would hide its answer). */
  busy(flow: Flow): boolean {
    return this.creators[flow].creating;
  }

  /** The view for everything after the amount step, or `undefined` when the amount step is shown. */
  render(config: RampConfig, locale: string): TemplateResult | undefined {
    const { h, m } = this;
    // a euro sale will ask for an IBAN: its check loads while the user types the amount
    if (h.mode === 'offramp' && config.region !== 'LATAM') this.needIban();
    if (m.showHistory) {
      return historyView({ state: this.history.state, locale, expanded: m.expanded, chainLabel }, h.t, {
        open: (op) => {
          m.set({ showHistory: false });
          h.track(op.id, op.flow);
          h.emit(new ModeChangedEvent({ view: op.flow, mode: op.flow }));
        },
        toggle: (id) => m.set({ expanded: m.expanded === id ? '' : id }),
        more: () => void this.history.more(),
        refresh: () => void this.history.refresh(),
      });
    }
    const step = m.steps[h.mode];
    if (step === 'tracking') return this.renderTracking(locale);
    if (config.kyc.raw === 'unregistered' && !m.kycBlock) return this.renderRegister();
    const gate = this.kycGateFor(config);
    if (gate)
      return kycGate({ ...gate, hostHandles: m.kycHostHandles, checking: m.kycChecking, ...(config.support ? { support: config.support } : {}) }, h.t, {
        check: () => void this.handleKycCheck(),
      });
    return this.views[h.mode][step]?.(config, locale);
  }

  tracker(flow: Flow): StatusController {
    return new StatusController(
      this.h,
      () => this.h.client,
      { changed: (op, previous) => this.handleStatus(op, previous), failed: (error) => this.handleTrackingError(flow, error) },
      { stream: () => this.h.config?.stream ?? false },
    );
  }

  /** Following stopped for good: an unknown operation (or another user's) leaves the flow at its start, with a word why. */
  handleTrackingError(flow: Flow, error: RampError): void {
    const { h, m } = this;
    const id = m.created[flow]?.id;
    // an operation this tab had open, which the session endpoint does not show this user (another user signed in): drop it
    const resumed = error.code === 'not_found' && !this.trackers[flow].operation && id !== undefined && m.resumedIds.has(id);
    if (!resumed) h.emitError(error);
    if (error.code !== 'not_found' || this.trackers[flow].operation) return;
    this.forget(flow);
    m.set({ created: { ...m.created, [flow]: undefined }, ...(resumed ? {} : { notice: h.t('error.not_found') }) });
    m.go(flow, 'amount');
  }

  /** The gate in force: a refusal from a create, else the config's KYC state. */
  kycGateFor(config: RampConfig): { kind: KycGateKind; url?: string } | undefined {
    if (this.m.kycBlock) return this.m.kycBlock;
    const kind = kycGateKind(config.kyc.status, config.kyc.raw);
    return kind ? { kind, ...(config.kyc.url ? { url: config.kyc.url } : {}) } : undefined;
  }

  /** Fires `kyc-required` once per gate shown; a host that cancels it runs its own KYC flow. */
  announceKyc(config: RampConfig): void {
    if (config.kyc.raw === 'unregistered') return; // registration comes first; the gate is announced after it
    const gate = this.kycGateFor(config);
    const key = gate ? `${gate.kind}|${gate.url ?? ''}` : '';
    if (!gate || key === this.m.kycAnnounced) return;
    const event = new KycRequiredEvent({
      status: gate.kind === 'failed' ? 'failed' : gate.kind === 'reinforced' ? 'reinforced' : 'pending',
      ...(gate.url ? { url: gate.url } : {}),
    });
    this.h.emit(event);
    this.m.set({ kycAnnounced: key, kycHostHandles: event.defaultPrevented });
  }

  async handleKycCheck(): Promise<void> {
    if (this.m.kycChecking) return;
    this.m.set({ kycChecking: true, kycBlock: undefined, kycAnnounced: '' });
    await this.h.reloadConfig();
    this.m.set({ kycChecking: false });
  }

  /** A failed create: reported to the host, and a KYC refusal lands in the gate, not in a generic error. */
  createFailed(error: RampError | undefined): void {
    if (!error) return;
    this.h.emitError(error);
    if (error.code !== 'require_kyc' && error.code !== 'kyc_reinforced_required') return;
    this.m.set({ kycBlock: { kind: error.code === 'require_kyc' ? 'start' : 'reinforced', ...(error.details.url ? { url: error.details.url } : {}) } });
    if (this.h.config) this.announceKyc(this.h.config);
  }

  /** A reload interrupted a create: ask the session endpoint what that key created, if anything. */
  async resolveKey(flow: Flow, key: string, sentAt = 0): Promise<void> {
    const { h, m } = this;
    const client = h.client;
    if (!client) return;
    h.show(flow);
    m.go(flow, 'review');
    this.creators[flow].creating = true;
    const path = routePath(FLOW_ROUTES[flow].byKey, { key });
    const parse = (body: unknown) => (flow === 'onramp' ? parseCreatedPayment(body) : parseCreatedRampoff(body));
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          const created = await client.get(path, parse);
          m.set({ created: { ...m.created, [flow]: { ...created } } });
          h.track(created.id, flow);
          return;
        } catch (error) {
          // still running; or not arrived yet: a reload can overtake the create it interrupted, for a moment
          const running = error instanceof RampError && error.code === 'request_in_progress';
          const arriving = error instanceof RampError && error.code === 'not_found' && Date.now() - sentAt < CREATE_ARRIVAL;
          if (!running && !arriving) break;
          await new Promise((resolve) => setTimeout(resolve, 500));
          if (!h.isConnected) return;
        }
      }
      this.forget(flow);
      m.go(flow, 'amount');
      m.set({ notice: h.t('resume.lost') });
    } finally {
      this.creators[flow].creating = false;
      h.requestUpdate();
    }
  }

  handleStatus(op: Operation, previous: RampStatus | undefined): void {
    const { h, m } = this;
    const created = m.created[op.flow];
    h.emit(new StatusChangedEvent({ id: op.id, flow: op.flow, status: op.status, ...(previous ? { previousStatus: previous } : {}), raw: op.raw }));
    if (op.status === 'completed') {
      const fiatCurrency = op.fiat ?? created?.fiat;
      const symbol = op.symbol ?? created?.symbol;
      h.emit(
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
    if (isTerminal(op.status)) this.forget(op.flow);
    // resumed without knowing the deposit address yet: the first status brings it
    if (op.flow === 'offramp' && !previous && op.status === 'created' && op.wallet && !created?.wallet) this.requestDeposit({ ...op });
  }

  // ── registration and verification ───────────────────────────────────────

  /** Reads what registering needs (the config's `registration`), once the screen is shown. */
  async loadRegistration(): Promise<void> {
    const { h } = this;
    const client = h.client;
    if (this.registrationLoading || !client) return;
    this.registrationLoading = true;
    const blank: RegisterModel = { name: '', email: '', editable: [], accepted: false, touched: false, creating: false };
    try {
      const details = await client.get(routePath('config'), parseRegistration);
      this.registration = details ? { ...blank, ...details } : { ...blank, error: h.t('error.account_required') };
    } catch (error) {
      const failure = RampError.from(error);
      h.emitError(failure);
      this.registration = { ...blank, error: h.errorMessage(failure) };
    } finally {
      this.registrationLoading = false;
      h.requestUpdate();
    }
  }

  /** Creates the account: one key per press until it is answered (a second press, or a retry, makes no second account). */
  async register(): Promise<void> {
    const { h } = this;
    const r = this.registration;
    const client = h.client;
    if (!r || r.creating || !client) return;
    r.touched = true;
    const missing = !r.name.trim() ? 'register-name' : !r.email.trim() ? 'register-email' : r.termsUrl && !r.accepted ? 'register-terms' : '';
    if (missing) {
      h.requestUpdate();
      return h.focusField(missing);
    }
    r.creating = true;
    r.error = undefined;
    h.requestUpdate();
    const body = { ...(r.editable.includes('name') ? { name: r.name.trim() } : {}), ...(r.editable.includes('email') ? { email: r.email.trim() } : {}) };
    try {
      await client.post(routePath('register'), body, (answer) => answer, { idempotencyKey: this.registerKey });
      this.registration = undefined;
      h.emit(new AccountCreatedEvent({}));
      await h.reloadConfig(); // registered now: the verification gate, with its link
      h.focusField('kyc-title'); // the pressed button is gone: focus follows to the new step
    } catch (error) {
      const failure = RampError.from(error);
      h.emitError(failure);
      r.error = h.errorMessage(failure);
      if (!failure.retryable) this.registerKey = newIdempotencyKey(); // refused: a corrected form is a new request
    } finally {
      r.creating = false;
      h.requestUpdate();
    }
  }

  renderRegister(): TemplateResult {
    const { h } = this;
    const r = this.registration;
    if (!r) {
      void this.loadRegistration();
      return loadingState(h.t);
    }
    const edit = (patch: Partial<RegisterModel>) => {
      Object.assign(r, patch);
      h.requestUpdate();
    };
    return registerStep(r, h.t, {
      name: (name) => edit({ name }),
      email: (email) => edit({ email }),
      accept: (accepted) => edit({ accepted }),
      submit: () => void this.register(),
    });
  }

  /**
   * While the KYC gate waits for the user's verification, the widget checks the state itself: when the tab becomes
   * visible again (the user is back from the verification page), and with backoff (2 s doubling, at most every 10 s).
   * The moment it is valid: `kyc-completed` (once), and the configuration again (the gate goes, the amount stays).
   */
  watchKyc(on: boolean): void {
    if (on === this.kycWaiting) return;
    this.kycWaiting = on;
    clearTimeout(this.kycTimer);
    if (!on) return document.removeEventListener('visibilitychange', this.onVisible);
    this.kycDelay = KYC_FIRST_CHECK;
    document.addEventListener('visibilitychange', this.onVisible);
    this.scheduleKyc();
  }

  private scheduleKyc(): void {
    clearTimeout(this.kycTimer);
    this.kycTimer = setTimeout(() => void this.checkKyc(), this.kycDelay);
    this.kycDelay = Math.min(this.kycDelay * 2, KYC_CHECK_CAP);
  }

  private async checkKyc(): Promise<void> {
    const { h } = this;
    const client = h.client;
    if (!this.kycWaiting || !client) return;
    try {
      const config = await client.get(routePath('config'), parseConfig);
      if (config.kyc.status === 'valid' && this.kycWaiting) {
        this.watchKyc(false);
        if (!this.kycCompleted) {
          this.kycCompleted = true;
          h.emit(new KycCompletedEvent({}));
        }
        await h.reloadConfig();
        return;
      }
    } catch {
      /* checked again at the next turn */
    }
    if (this.kycWaiting) this.scheduleKyc();
  }

  // ── offramp ─────────────────────────────────────────────────────────────

  /** The IBAN check (ibantools, the registry): loaded for a euro sale only, from its amount step on; buyers never fetch it. */
  private checkIban?: (input: string) => IbanError | null;
  private ibanLoading?: Promise<void>;

  needIban(): void {
    this.ibanLoading ??= import('../lib/iban-check.js').then(
      (module) => ((this.checkIban = module.validateIban), this.h.requestUpdate()),
      () => void (this.ibanLoading = undefined), // offline for a moment: the next render asks again
    );
  }

  /** An IBAN's problem (a message key), `null` when valid; `iban.loading` until the check has loaded. */
  validateIban(input: string): IbanError | 'iban.loading' | null {
    this.needIban();
    return this.checkIban ? this.checkIban(input) : 'iban.loading';
  }

  get ibanError(): string | undefined {
    const { payout } = this.m;
    const key = this.validateIban(payout.iban);
    if (key === 'iban.loading') return undefined;
    // while typing, a short IBAN is not yet an error
    if (!key || (!payout.ibanTouched && (key === 'iban.empty' || key === 'iban.length'))) return undefined;
    return this.h.t(key);
  }

  get bankNameError(): string | undefined {
    return this.m.payout.bankTouched && !this.m.payout.bankName.trim() ? this.h.t('bankName.empty') : undefined;
  }

  /** The payout step's guard: an IBAN (EU) or a bank name (LATAM). */
  payoutReady(): boolean {
    const { h, m } = this;
    const eu = h.config?.region !== 'LATAM';
    m.set({ payout: { ...m.payout, ...(eu ? { ibanTouched: true } : { bankTouched: true }) } });
    const problem = eu ? this.validateIban(m.payout.iban) : !m.payout.bankName.trim();
    // Continue pressed while the IBAN check still loads: it goes on (or says what is wrong) once loaded
    if (problem === 'iban.loading') {
      void this.ibanLoading?.then(() => this.checkIban && m.steps.offramp === 'payout' && m.next('offramp'));
      return false;
    }
    if (problem) {
      h.focusField(eu ? 'iban' : 'bank-name');
      return false;
    }
    this.creators.offramp.reset();
    return true;
  }

  async handleConfirmSell(config: RampConfig): Promise<void> {
    const { h, m } = this;
    const amount = h.amount();
    if (!amount || !this.termsAccepted('offramp', config)) return;
    const body = {
      amount,
      symbol: m.form.symbol,
      fiat: m.form.fiat,
      ...(config.region === 'EU' ? { chain: m.form.chain, iban: normalizeIban(m.payout.iban) } : { bankName: m.payout.bankName.trim() }),
      ...(config.terms ? { acceptedTerms: true } : {}),
    };
    const created = await this.creators.offramp.create(body);
    if (!created) return this.createFailed(this.creators.offramp.error);
    const chain = 'chain' in body ? body.chain : undefined;
    m.set({
      created: {
        ...m.created,
        offramp: {
          id: created.id,
          wallet: created.wallet,
          amount,
          symbol: body.symbol,
          fiat: body.fiat,
          ...(chain ? { chain } : {}),
          ...('iban' in body ? { ibanMasked: maskIban(body.iban) } : {}),
        },
      },
    });
    if (!m.announced.has(created.id)) {
      m.announced.add(created.id);
      h.emit(
        new RampoffCreatedEvent({ id: created.id, wallet: created.wallet, amount, symbol: body.symbol, ...(chain ? { chain } : {}), fiatCurrency: body.fiat }),
      );
    }
    h.track(created.id, 'offramp');
    this.requestDeposit({ wallet: created.wallet, tokenAmount: amount, symbol: body.symbol, ...(chain ? { chain } : {}) });
  }

  requestDeposit(op: Pick<Operation, 'wallet' | 'tokenAmount' | 'symbol' | 'chain'>): void {
    if (!op.wallet || !op.tokenAmount || !op.symbol) return;
    if (validateAddress(op.wallet, op.chain)) {
      this.h.emitError(
        new RampError('invalid_deposit_address', `The deposit address does not look like a ${op.chain ?? op.symbol} address; it is not shown.`, false),
      );
      return;
    }
    const event = new DepositRequestedEvent({ address: op.wallet, amount: op.tokenAmount, symbol: op.symbol, ...(op.chain ? { chain: op.chain } : {}) });
    this.h.emit(event);
    this.m.set({ walletSending: event.defaultPrevented });
  }

  async handleCopy(label: string, value: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
      this.m.set({ copied: label });
    } catch {
      this.m.set({ copied: `failed:${label}` });
      this.h.emitError(new RampError('copy_failed', 'The browser did not allow copying; select the text and copy it by hand.', false));
    }
  }

  // ── onramp ──────────────────────────────────────────────────────────────

  get walletError(): string | undefined {
    const { form, walletInput } = this.m;
    const key = validateAddress(walletInput.value, form.chain || undefined);
    if (!key || (!walletInput.touched && key !== 'address.checksum' && key !== 'address.tronChecksum')) return undefined;
    return this.h.t(key, { network: form.chain ? chainLabel(form.chain) : 'EVM' });
  }

  /** The wallet step's guard: an address valid for the network. */
  walletReady(): boolean {
    const { m } = this;
    m.set({ walletInput: { ...m.walletInput, touched: true } });
    if (validateAddress(m.walletInput.value, m.form.chain || undefined)) {
      this.h.focusField('wallet');
      return false;
    }
    this.creators.onramp.reset();
    return true;
  }

  /** Where the payment page sends the user back: the host's `callback-url`, else this page without its query and fragment (they may hold session data the provider has no business seeing). */
  defaultCallbackUrl(): string | undefined {
    if (this.h.settings.callbackUrl) return this.h.settings.callbackUrl;
    const here = globalThis.location?.href;
    if (!here || !/^https?:/.test(here)) return undefined;
    const url = new URL(here);
    url.search = '';
    url.hash = '';
    return url.href;
  }

  async handleConfirmBuy(config: RampConfig): Promise<void> {
    const { h, m } = this;
    const fiatAmount = h.amount();
    if (!fiatAmount || this.creators.onramp.creating || !this.termsAccepted('onramp', config)) return;
    const wallet = m.walletInput.value.trim();
    const callbackUrl = this.defaultCallbackUrl();
    const chain = config.region === 'EU' ? m.form.chain : undefined;
    const body = {
      fiatAmount,
      fiat: m.form.fiat,
      symbol: m.form.symbol,
      ...(chain ? { chain } : {}),
      wallet,
      method: m.form.method,
      ...(callbackUrl ? { callbackUrl } : {}),
      ...(config.terms ? { acceptedTerms: true } : {}),
    };
    const created = await this.creators.onramp.create(body);
    if (!created) return this.createFailed(this.creators.onramp.error);
    const extra = {
      ...(created.paymentUrl ? { paymentUrl: created.paymentUrl } : {}),
      ...(created.bankTransfer ? { bankTransfer: created.bankTransfer } : {}),
    };
    m.set({
      created: {
        ...m.created,
        onramp: { id: created.id, fiatAmount, fiat: body.fiat, symbol: body.symbol, wallet, method: created.method, ...(chain ? { chain } : {}), ...extra },
      },
    });
    if (!m.announced.has(created.id)) {
      m.announced.add(created.id);
      h.emit(
        new RamponCreatedEvent({
          id: created.id,
          paymentType: created.method,
          ...extra,
          fiatAmount,
          fiatCurrency: body.fiat,
          symbol: body.symbol,
          ...(chain ? { chain } : {}),
          wallet,
        }),
      );
    }
    h.track(created.id, 'onramp');
    if (created.paymentUrl) this.openPayment(created.paymentUrl);
  }

  /**
   * Opens the payment page: a new tab (within the click's activation) with neither an opener nor a referrer (the
   * merchant's page address is none of the payment page's business), or this tab with `redirect`. A new tab opened
   * that way cannot be told from a blocked one, so the button to open it stays on screen.
   */
  openPayment(url: string): void {
    if (this.h.settings.redirect) {
      this.m.set({ payState: 'redirecting' });
      globalThis.location.assign(url);
      return;
    }
    globalThis.open(url, '_blank', 'noopener,noreferrer');
    this.m.set({ payState: 'opened' });
  }

  // ── views ───────────────────────────────────────────────────────────────

  /** A create's error, with the verification link when the API gave one. */
  renderCreateError(error: RampError | undefined): TemplateResult | undefined {
    if (!error) return undefined;
    const support = this.h.config?.support;
    return html`<div class="inline-error" part="error" role="alert">
      <p>${this.h.errorMessage(error)}</p>
      ${error.details.url ? html`<a href=${error.details.url} target="_blank" rel="noopener noreferrer">${this.h.t('kyc.verify')}</a>` : nothing}
      ${support ? supportLinks(support, this.h.t) : nothing}
    </div>`;
  }

  renderPayout(config: RampConfig): TemplateResult {
    const { h, m } = this;
    return payoutStep(
      {
        region: config.region,
        iban: m.payout.iban,
        ibanError: this.ibanError,
        bankName: m.payout.bankName,
        bankNameError: this.bankNameError,
        ...(config.accountHolder ? { accountHolder: config.accountHolder } : {}),
      },
      h.t,
      {
        iban: (iban) => m.set({ payout: { ...m.payout, iban } }),
        ibanBlur: () => !h.committing && m.set({ payout: { ...m.payout, ibanTouched: m.payout.iban.trim() !== '' || m.payout.ibanTouched } }),
        bankName: (bankName) => m.set({ payout: { ...m.payout, bankName } }),
        back: () => m.back('offramp'),
        next: () => m.next('offramp'),
      },
    );
  }

  currentQuote() {
    return this.h.quote;
  }

  renderSellReview(config: RampConfig, locale: string): TemplateResult {
    const { h, m } = this;
    const t = h.t;
    const quote = this.currentQuote();
    const payTo =
      config.region === 'EU' ? t('review.ibanEnding', { last4: maskIban(m.payout.iban) }) : t('review.bankAccount', { bank: m.payout.bankName.trim() });
    const error = this.renderCreateError(this.creators.offramp.error);
    return reviewStep(
      {
        amount: h.amount() ?? '0',
        symbol: m.form.symbol,
        ...(m.form.chain && config.region === 'EU' ? { network: chainLabel(m.form.chain) } : {}),
        fiat: m.form.fiat,
        ...(quote ? { quote } : {}),
        quoteNote: h.quoteNote,
        payTo,
        creating: this.creators.offramp.creating,
        checking: this.creators.offramp.checking,
        ...(error ? { error } : {}),
        terms: this.renderTerms('offramp', config),
      },
      t,
      locale,
      { back: () => m.back('offramp'), confirm: () => void this.handleConfirmSell(config) },
    );
  }

  renderWallet(): TemplateResult {
    const { h, m } = this;
    return walletStep(
      {
        wallet: m.walletInput.value,
        error: this.walletError,
        fixed: Boolean(h.settings.wallet),
        site: globalThis.location?.hostname || 'this site',
        ...(m.form.chain ? { network: chainLabel(m.form.chain) } : {}),
      },
      h.t,
      {
        input: (value) => m.set({ walletInput: { ...m.walletInput, value } }),
        blur: () => !h.committing && m.walletInput.value.trim() !== '' && m.set({ walletInput: { ...m.walletInput, touched: true } }),
        back: () => m.back('onramp'),
        next: () => m.next('onramp'),
      },
    );
  }

  renderBuyReview(config: RampConfig, locale: string): TemplateResult {
    const { h, m } = this;
    const quote = this.currentQuote();
    const error = this.renderCreateError(this.creators.onramp.error);
    return onrampReview(
      {
        fiatAmount: h.amount() ?? '0',
        fiat: m.form.fiat,
        symbol: m.form.symbol,
        ...(m.form.chain && config.region === 'EU' ? { network: chainLabel(m.form.chain) } : {}),
        method: h.t(`method.${m.form.method}`) || m.form.method,
        wallet: m.walletInput.value.trim(),
        ...(quote ? { quote } : {}),
        quoteNote: h.quoteNote,
        creating: this.creators.onramp.creating,
        checking: this.creators.onramp.checking,
        ...(error ? { error } : {}),
        terms: this.renderTerms('onramp', config),
      },
      h.t,
      locale,
      { back: () => m.back('onramp'), confirm: () => void this.handleConfirmBuy(config) },
    );
  }

  renderTracking(locale: string): TemplateResult {
    const { h, m } = this;
    const t = h.t;
    const flow = h.mode;
    const created = m.created[flow];
    const tracked = this.trackers[flow].operation;
    if (!created) return loadingState(t);
    const status: RampStatus | undefined = tracked?.status;
    if (!status) return html`<div class="step">${loadingState(t)}</div>`;
    const op: Created & Partial<Operation> = { ...created, ...tracked };
    if (status === 'failed' || status === 'expired')
      return operationFailed({ flow, status, id: created.id, ...(h.config?.support ? { support: h.config.support } : {}) }, t, { again: () => h.reset() });
    return flow === 'offramp' ? this.renderSellTracking(op, status, locale) : this.renderBuyTracking(op, status, locale);
  }

  renderSellTracking(op: Created & Partial<Operation>, status: RampStatus, locale: string): TemplateResult {
    const { h, m } = this;
    const t = h.t;
    if (status === 'completed') {
      const token = op.tokenAmount && op.symbol ? formatToken(op.tokenAmount, op.symbol, locale, 18) : '';
      return html`<div class="step">
        ${offrampDone({ token, fiat: op.fiatAmount && op.fiat ? formatFiat(op.fiatAmount, op.fiat, locale) : '', id: op.id }, t, { again: () => h.reset() })}
        ${timeline('offramp', status, t)}
      </div>`;
    }
    const deposit = this.deposit();
    return html`<div class="step">
      ${
        status === 'created' && deposit
          ? depositPanel(
              {
                id: op.id,
                address: deposit.address,
                valid: !validateAddress(deposit.address, deposit.chain),
                amount: deposit.amount,
                symbol: deposit.symbol,
                ...(deposit.chain ? { network: chainLabel(deposit.chain) } : {}),
                copyState: m.copied === 'address' ? 'copied' : m.copied === 'failed:address' ? 'failed' : 'idle',
                walletSending: m.walletSending,
                ...(m.walletTx ? { walletTx: m.walletTx } : {}),
                sent: m.depositSent === op.id,
                ...(m.qr?.for === deposit.address ? { qrHolds: m.qr.holds } : {}),
              },
              t,
              locale,
              {
                copy: () => void this.handleCopy('address', deposit.address),
                // the step's new state takes focus: the pressed button is gone
                sent: (sent) => (m.set({ depositSent: sent ? op.id : undefined }), h.focusField(sent ? 'deposit-waiting' : 'deposit-title')),
              },
            )
          : nothing
      }
      ${timeline('offramp', status, t)} ${orderSummary(op, t, locale)}
      <p class="muted">${t('status.reference', { id: op.id })}</p>
      ${this.renderLeave('offramp')}
    </div>`;
  }

  /** Leaving an open operation from the screen: a new one starts; this one goes on, and stays in Activity. */
  renderLeave(flow: Flow): TemplateResult {
    const t = this.h.t;
    return html`<div class="actions leave">
        <button type="button" class="secondary" aria-describedby="leave-note" @click=${() => this.h.reset()}>
          ${t(flow === 'offramp' ? 'tracking.newSale' : 'tracking.newPurchase')}
        </button>
      </div>
      <p class="muted" id="leave-note">${t('tracking.leaveNote')}</p>`;
  }

  renderBuyTracking(op: Created & Partial<Operation>, status: RampStatus, locale: string): TemplateResult {
    const { h, m } = this;
    const t = h.t;
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
          { again: () => h.reset() },
        )}
        ${timeline('onramp', status, t, transfer)}
      </div>`;
    }
    const awaitingPayment = status === 'created' || status === 'payment_pending';
    return html`<div class="step">
      ${
        awaitingPayment && (op.paymentUrl || op.bankTransfer)
          ? payPanel(
              {
                amount: fiatText,
                ...(op.paymentUrl ? { paymentUrl: op.paymentUrl } : {}),
                ...(op.bankTransfer ? { bankTransfer: op.bankTransfer } : {}),
                state: m.payState,
                copied: m.copied,
              },
              t,
              { open: () => op.paymentUrl && this.openPayment(op.paymentUrl), copy: (field, value) => void this.handleCopy(field, value) },
            )
          : nothing
      }
      ${timeline('onramp', status, t, transfer)} ${orderSummary(op, t, locale)}
      <p class="muted">${t('status.reference', { id: op.id })}</p>
      ${this.renderLeave('onramp')}
    </div>`;
  }
}
