import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ConfigController } from './controllers/config-controller.js';
import { drawQr } from './controllers/qr.js';
import { QuoteController, type QuoteRequest } from './controllers/quote-controller.js';
import { StatusController } from './controllers/status-controller.js';
import { DepositRequestedEvent, QuoteUpdatedEvent, RampCompletedEvent, RampErrorEvent, RampoffCreatedEvent, RampReadyEvent, StatusChangedEvent } from './events.js';
import { resolveLocale, translator, type Translate } from './i18n/localize.js';
import { validateAddress } from './lib/address.js';
import { RampError } from './lib/errors.js';
import { maskIban, normalizeIban, validateIban } from './lib/iban.js';
import { formatFiat, formatToken, parseAmountInput } from './lib/money.js';
import { parseCreatedRampoff } from './lib/protocol.js';
import { clearOpen, loadOpen, saveOpen } from './lib/resume.js';
import { SessionClient, newIdempotencyKey } from './lib/session-client.js';
import { isTerminal } from './lib/status.js';
import type { Asset, CreateRampoffRequest, Flow, Operation, RampConfig, RampStatus } from './types.js';
import { styles } from './cryptopocket-ramp.styles.js';
import { errorState, loadingState, quotePanel, selectField, textField } from './views/common.js';
import { depositPanel, offrampDone, offrampFailed, payoutStep, reviewStep } from './views/offramp.js';
import { timeline } from './views/timeline.js';

type Step = 'amount' | 'payout' | 'review' | 'tracking';

/** What was created, as far as the widget knows it before the first status answer. */
interface Created {
  id: string;
  flow: Flow;
  wallet?: string;
  amount?: string;
  symbol?: string;
  chain?: string;
  fiat?: string;
  ibanMasked?: string;
}

/**
 * Buy crypto with fiat and sell crypto for fiat, over the CryptopocketAPI, through the merchant's session endpoint.
 *
 * @summary An embeddable onramp/offramp widget that never holds an API key.
 *
 * @attr session-url - URL of the merchant's session endpoint (required); protocol paths are relative to it.
 * @attr mode - The view shown: `onramp` (buy) or `offramp` (sell). Reflected.
 * @attr lock-mode - Fixes the view to `mode`: the user cannot switch between buying and selling.
 * @attr locale - BCP 47 locale for texts and numbers; defaults to the nearest `lang`, then `en`.
 * @attr credentials - `same-origin` (default) or `include` for a session endpoint on another origin.
 * @attr amount - Pre-filled amount: fiat to pay (onramp) or tokens to sell (offramp).
 * @attr symbol - Pre-selected token, e.g. `USDC`.
 * @attr chain - Pre-selected network, e.g. `polygon`.
 * @attr fiat - Pre-selected fiat currency, e.g. `EUR`.
 * @attr payment-method - Pre-selected onramp payment method, e.g. `card`.
 * @attr operation-id - An operation to follow (in the flow given by `mode`), e.g. one your backend already knows.
 *
 * @fires ramp-ready - The configuration loaded. Detail: the `RampConfig`.
 * @fires ramp-error - Something went wrong. Detail: `{ code, message, retryable }`.
 * @fires quote-updated - A new quote is shown. Detail: the `Quote`.
 * @fires rampoff-created - An offramp operation was created (once). Detail: `{ id, wallet, amount, symbol, chain, fiatCurrency }`.
 * @fires status-changed - The operation moved forward. Detail: `{ id, flow, status, previousStatus, raw }`.
 * @fires ramp-completed - The operation finished. Detail: `{ id, flow, fiatAmount, fiatCurrency, tokenAmount, symbol }`.
 * @fires deposit-requested - The deposit address is shown (cancelable: call `preventDefault()` when your wallet sends the tokens). Detail: `{ address, amount, symbol, chain }`.
 *
 * @csspart base - The card around the widget.
 * @csspart header - The title and the buy/sell tabs.
 * @csspart tabs - The buy/sell tab list.
 * @csspart amount-input - The amount input.
 * @csspart quote - The live quote panel.
 * @csspart primary-button - The main action button of a step.
 * @csspart deposit-address - The deposit address, in groups of four.
 * @csspart qr-code - The QR code canvas of the deposit address.
 * @csspart status-timeline - The list of an operation's steps.
 * @csspart error - The error message.
 *
 * @cssprop --cp-ramp-accent - Accent colour (buttons, selected tab). Default `#3b2fc9`.
 * @cssprop --cp-ramp-accent-text - Text on the accent colour. Default `#ffffff`.
 * @cssprop --cp-ramp-background - Card background. Default `#ffffff`.
 * @cssprop --cp-ramp-surface - Panels and tab track. Default `#f4f4f8`.
 * @cssprop --cp-ramp-text - Text colour. Default `#16161d`.
 * @cssprop --cp-ramp-muted - Secondary text. Default `#55566a`.
 * @cssprop --cp-ramp-danger - Errors. Default `#b3261e`.
 * @cssprop --cp-ramp-success - Success states. Default `#146c2e`.
 * @cssprop --cp-ramp-border - Input borders. Default `#8a8b9c`.
 * @cssprop --cp-ramp-radius - Corner radius. Default `12px`.
 * @cssprop --cp-ramp-spacing - Base spacing. Default `1rem`.
 * @cssprop --cp-ramp-font-family - Font family. Default the system UI font.
 * @cssprop --cp-ramp-focus-ring - Focus ring box-shadow.
 * @cssprop --cp-ramp-qr-dark - QR code modules. Default `#000000`.
 * @cssprop --cp-ramp-qr-light - QR code background. Default `#ffffff`.
 */
export class CryptopocketRamp extends LitElement {
  static override styles = styles;

  static override properties = {
    sessionUrl: { type: String, attribute: 'session-url' },
    mode: { type: String, reflect: true },
    lockMode: { type: Boolean, attribute: 'lock-mode' },
    locale: { type: String },
    credentials: { type: String },
    token: { attribute: false },
    amount: { type: String },
    symbol: { type: String },
    chain: { type: String },
    fiat: { type: String },
    paymentMethod: { type: String, attribute: 'payment-method' },
    operationId: { type: String, attribute: 'operation-id' },
    form: { state: true },
    step: { state: true },
    payout: { state: true },
    creating: { state: true },
    createError: { state: true },
    created: { state: true },
    copyState: { state: true },
    notice: { state: true },
    walletSending: { state: true },
  };

  /** URL of the merchant's session endpoint. */
  declare sessionUrl: string;
  /** The view shown: `onramp` (buy) or `offramp` (sell). */
  declare mode: Flow;
  /** When true, the user cannot switch between buying and selling. */
  declare lockMode: boolean;
  /** BCP 47 locale; defaults to the nearest `lang`, then `en`. */
  declare locale: string;
  /** Fetch credentials mode for the session endpoint: `same-origin` or `include`. */
  declare credentials: RequestCredentials;
  /** Optional bearer token sent to the session endpoint (property only, never an attribute). */
  declare token: string | undefined;
  /** Pre-filled amount. */
  declare amount: string;
  /** Pre-selected token. */
  declare symbol: string;
  /** Pre-selected network. */
  declare chain: string;
  /** Pre-selected fiat currency. */
  declare fiat: string;
  /** Pre-selected onramp payment method. */
  declare paymentMethod: string;
  /** An operation to follow. */
  declare operationId: string;

  /** The user's current choices. @internal */
  declare private form: { symbol: string; chain: string; fiat: string; method: string; amount: string };
  declare private step: Step;
  declare private payout: { iban: string; ibanTouched: boolean; bankName: string; bankTouched: boolean };
  declare private creating: boolean;
  declare private createError: RampError | undefined;
  declare private created: Created | undefined;
  declare private copyState: 'idle' | 'copied' | 'failed';
  declare private notice: string;
  declare private walletSending: boolean;

  /** Idempotency-Key of the create being attempted, kept across retries of the same request. */
  private pending?: { key: string; body: string };
  /** Operations whose created event has fired: never twice. */
  private readonly announced = new Set<string>();

  private client?: SessionClient;
  private readonly config = new ConfigController(this, () => this.client, {
    ready: (config) => this.handleConfig(config),
    failed: (error) => this.emitError(error),
  });
  private readonly quote = new QuoteController(this, () => this.client, {
    quoted: (quote) => this.dispatchEvent(new QuoteUpdatedEvent(quote)),
    failed: (error) => this.emitError(error),
  });
  private readonly status = new StatusController(
    this,
    () => this.client,
    {
      changed: (op, previous) => this.handleStatus(op, previous),
      failed: (error) => this.emitError(error),
    },
    { stream: () => this.config.state.status === 'ready' && this.config.state.config.stream },
  );
  private t: Translate = translator();

  constructor() {
    super();
    this.sessionUrl = '';
    this.mode = 'onramp';
    this.lockMode = false;
    this.locale = '';
    this.credentials = 'same-origin';
    this.token = undefined;
    this.amount = '';
    this.symbol = '';
    this.chain = '';
    this.fiat = '';
    this.paymentMethod = '';
    this.operationId = '';
    this.form = { symbol: '', chain: '', fiat: '', method: '', amount: '' };
    this.step = 'amount';
    this.payout = { iban: '', ibanTouched: false, bankName: '', bankTouched: false };
    this.creating = false;
    this.createError = undefined;
    this.created = undefined;
    this.copyState = 'idle';
    this.notice = '';
    this.walletSending = false;
  }

  override connectedCallback(): void {
    this.client = this.makeClient();
    super.connectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('mode') && this.mode !== 'onramp' && this.mode !== 'offramp') this.mode = 'onramp';
    const connectionChanged = (['sessionUrl', 'credentials', 'token'] as const).some((key) => changed.has(key) && changed.get(key) !== undefined);
    if (connectionChanged) {
      this.client = this.makeClient();
      void this.config.load();
    }
    if (changed.has('amount') && changed.get('amount') !== undefined) this.form = { ...this.form, amount: this.amount };
    if (changed.has('operationId') && changed.get('operationId') !== undefined && this.operationId && this.config.state.status === 'ready') this.track(this.operationId);
    if (this.step === 'amount') this.requestQuote();
  }

  protected override updated(): void {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.qr');
    const address = this.renderRoot.querySelector<HTMLElement>('[data-address]')?.dataset.address;
    if (canvas && address && canvas.dataset.qr !== address) {
      canvas.dataset.qr = address;
      drawQr(canvas, address).catch(() => this.emitError(new RampError('qr_failed', 'The QR code could not be drawn; the address is shown as text.', false)));
    }
  }

  /**
   * Follows an operation the host already knows (or one resumed after a reload).
   * @param id - The operation id.
   * @param flow - `onramp` or `offramp`; defaults to the current `mode`.
   */
  track(id: string, flow: Flow = this.mode): void {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      this.emitError(new RampError('invalid_operation_id', 'The operation id is not valid.', false));
      return;
    }
    this.mode = flow;
    this.created = { id, flow };
    this.step = 'tracking';
    this.remember({ flow, phase: 'tracking', id });
    this.status.track(flow, id);
  }

  /** Leaves the current operation and starts a new one from the amount step. */
  reset(): void {
    this.status.reset();
    this.forget();
    this.step = 'amount';
    this.created = undefined;
    this.createError = undefined;
    this.pending = undefined;
    this.walletSending = false;
    this.copyState = 'idle';
    this.payout = { ...this.payout, ibanTouched: false, bankTouched: false };
    this.form = { ...this.form, amount: '' };
  }

  /** Loads the configuration again (after an error, or when the user's session changed). */
  reload(): Promise<void> {
    this.client = this.makeClient();
    return this.config.load();
  }

  private makeClient(): SessionClient | undefined {
    if (!this.sessionUrl) return undefined;
    try {
      return new SessionClient({ url: this.sessionUrl, credentials: this.credentials === 'include' ? 'include' : 'same-origin', ...(this.token ? { token: this.token } : {}) });
    } catch {
      return undefined;
    }
  }

  private handleConfig(config: RampConfig): void {
    const asset = config.assets.find((a) => a.symbol === this.symbol.toUpperCase()) ?? config.assets[0]!;
    const chain = asset.chains.includes(this.chain) ? this.chain : (asset.chains[0] ?? '');
    const fiat = config.fiats.includes(this.fiat.toUpperCase()) ? this.fiat.toUpperCase() : config.fiats[0]!;
    const method = config.paymentMethods.includes(this.paymentMethod) ? this.paymentMethod : (config.paymentMethods[0] ?? '');
    this.form = { symbol: asset.symbol, chain, fiat, method, amount: this.amount };
    this.dispatchEvent(new RampReadyEvent(config));
    this.resume();
  }

  /** After the config: follow `operation-id`, or the open operation a reload interrupted. */
  private resume(): void {
    if (this.step === 'tracking' && this.created) return; // already following one
    if (this.operationId) {
      this.track(this.operationId);
      return;
    }
    const open = this.scope ? loadOpen(this.scope) : undefined;
    if (!open) return;
    if (open.phase === 'tracking') this.track(open.id, open.flow);
    else void this.resolveKey(open.flow, open.key);
  }

  /** A reload interrupted a create: ask the session endpoint what that key created, if anything. */
  private async resolveKey(flow: Flow, key: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.mode = flow;
    this.creating = true;
    this.step = 'review';
    const path = `${flow === 'onramp' ? 'onramp/payments' : 'offramp/operations'}/by-key/${encodeURIComponent(key)}`;
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        const created = await client.get(path, parseCreatedRampoff, { query: {} });
        this.creating = false;
        this.created = { id: created.id, flow, wallet: created.wallet };
        this.track(created.id, flow);
        return;
      } catch (error) {
        if (!(error instanceof RampError) || error.code !== 'request_in_progress') break;
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (!this.isConnected) return;
      }
    }
    this.creating = false;
    this.forget();
    this.step = 'amount';
    this.notice = this.t('resume.lost');
  }

  private get scope(): string | undefined {
    return this.client?.base.href;
  }

  private remember(record: Parameters<typeof saveOpen>[1]): void {
    if (this.scope) saveOpen(this.scope, record);
  }

  private forget(): void {
    if (this.scope) clearOpen(this.scope);
  }

  private handleStatus(op: Operation, previous: RampStatus | undefined): void {
    this.dispatchEvent(new StatusChangedEvent({ id: op.id, flow: op.flow, status: op.status, ...(previous ? { previousStatus: previous } : {}), raw: op.raw }));
    if (op.status === 'completed') {
      this.dispatchEvent(
        new RampCompletedEvent({
          id: op.id,
          flow: op.flow,
          ...(op.fiatAmount ? { fiatAmount: op.fiatAmount } : {}),
          ...(op.fiat ?? this.created?.fiat ? { fiatCurrency: op.fiat ?? this.created?.fiat } : {}),
          ...(op.tokenAmount ? { tokenAmount: op.tokenAmount } : {}),
          ...(op.symbol ? { symbol: op.symbol } : {}),
        }),
      );
    }
    if (isTerminal(op.status)) this.forget();
    if (op.flow === 'offramp' && !this.walletSending && op.status === 'created' && op.wallet && !this.created?.wallet) this.requestDeposit(op);
  }

  private emitError(error: RampError): void {
    this.dispatchEvent(new RampErrorEvent({ code: error.code, message: error.message, retryable: error.retryable }));
  }

  // ── offramp ───────────────────────────────────────────────────────────
  private get ibanError(): string | undefined {
    const key = validateIban(this.payout.iban);
    if (!key) return undefined;
    // while typing, a short IBAN is not yet an error
    if (!this.payout.ibanTouched && (key === 'iban.empty' || key === 'iban.length')) return undefined;
    return this.t(key);
  }

  private get bankNameError(): string | undefined {
    return this.payout.bankTouched && !this.payout.bankName.trim() ? this.t('bankName.empty') : undefined;
  }

  private handleContinueAmount(): void {
    const amount = this.amountCheck();
    if (!amount.value) {
      this.setForm({ amount: this.form.amount }); // re-render with the message
      this.focusField('amount');
      if (!this.form.amount.trim()) this.amountRequired = true;
      return;
    }
    this.amountRequired = false;
    this.notice = '';
    this.step = this.mode === 'offramp' ? 'payout' : 'amount';
  }

  private amountRequired = false;

  private handleContinuePayout(config: RampConfig): void {
    if (config.region === 'EU') {
      this.payout = { ...this.payout, ibanTouched: true };
      if (validateIban(this.payout.iban)) {
        this.focusField('iban');
        return;
      }
    } else {
      this.payout = { ...this.payout, bankTouched: true };
      if (!this.payout.bankName.trim()) {
        this.focusField('bank-name');
        return;
      }
    }
    this.createError = undefined;
    this.step = 'review';
  }

  private focusField(id: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${id}`)?.focus());
  }

  private async handleConfirmSell(config: RampConfig): Promise<void> {
    const client = this.client;
    const amount = this.amountCheck().value;
    if (this.creating || !client || !amount) return; // a second click while creating does nothing
    const body: CreateRampoffRequest = {
      amount,
      symbol: this.form.symbol,
      fiat: this.form.fiat,
      ...(config.region === 'EU' ? { chain: this.form.chain, iban: normalizeIban(this.payout.iban) } : { bankName: this.payout.bankName.trim() }),
    };
    const text = JSON.stringify(body);
    // the same request keeps its key on every retry; a changed request gets a new one
    if (this.pending?.body !== text) this.pending = { key: newIdempotencyKey(), body: text };
    const { key } = this.pending;
    this.creating = true;
    this.createError = undefined;
    this.remember({ flow: 'offramp', phase: 'creating', key });
    try {
      const created = await client.post('offramp/operations', body, parseCreatedRampoff, { idempotencyKey: key });
      this.pending = undefined;
      this.created = {
        id: created.id,
        flow: 'offramp',
        wallet: created.wallet,
        amount,
        symbol: body.symbol,
        fiat: body.fiat,
        ...(body.chain ? { chain: body.chain } : {}),
        ...(body.iban ? { ibanMasked: maskIban(body.iban) } : {}),
      };
      this.step = 'tracking';
      this.remember({ flow: 'offramp', phase: 'tracking', id: created.id });
      if (!this.announced.has(created.id)) {
        this.announced.add(created.id);
        this.dispatchEvent(new RampoffCreatedEvent({ id: created.id, wallet: created.wallet, amount, symbol: body.symbol, ...(body.chain ? { chain: body.chain } : {}), fiatCurrency: body.fiat }));
      }
      this.status.track('offramp', created.id);
      this.requestDeposit({ wallet: created.wallet, tokenAmount: amount, symbol: body.symbol, ...(body.chain ? { chain: body.chain } : {}) });
    } catch (error) {
      const rampError = error instanceof RampError ? error : new RampError('network_error', String(error), true);
      this.createError = rampError;
      if (!rampError.retryable) {
        // refused: nothing was created; a corrected request gets a new key
        this.pending = undefined;
        this.forget();
      }
      this.emitError(rampError);
    } finally {
      this.creating = false;
    }
  }

  private requestDeposit(op: Pick<Operation, 'wallet' | 'tokenAmount' | 'symbol' | 'chain'>): void {
    if (!op.wallet || !op.tokenAmount || !op.symbol) return;
    if (validateAddress(op.wallet, op.chain)) {
      this.emitError(new RampError('invalid_deposit_address', `The deposit address does not look like a ${op.chain ?? op.symbol} address; it is not shown.`, false));
      return;
    }
    const event = new DepositRequestedEvent({ address: op.wallet, amount: op.tokenAmount, symbol: op.symbol, ...(op.chain ? { chain: op.chain } : {}) });
    this.dispatchEvent(event);
    this.walletSending = event.defaultPrevented;
  }

  private async handleCopy(address: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(address);
      this.copyState = 'copied';
    } catch {
      this.copyState = 'failed';
      const node = this.renderRoot.querySelector('[data-address]');
      if (node) getSelection()?.selectAllChildren(node);
    }
  }

  private handleTabKey(event: KeyboardEvent): void {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    this.selectMode(this.mode === 'onramp' ? 'offramp' : 'onramp');
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus());
  }

  private selectMode(mode: Flow): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.form = { ...this.form, amount: '' };
  }

  private setForm(patch: Partial<CryptopocketRamp['form']>): void {
    this.form = { ...this.form, ...patch };
  }

  private get asset(): Asset | undefined {
    return this.config.state.status === 'ready' ? this.config.state.config.assets.find((a) => a.symbol === this.form.symbol) : undefined;
  }

  /** The amount as a decimal string, or an error message key. */
  private amountCheck(): { value?: string; error?: string } {
    const text = this.form.amount.trim();
    if (!text) return {};
    const value = parseAmountInput(text, resolveLocale(this, this.locale));
    if (!value || value === '0') return { error: this.t('amount.invalid') };
    const decimals = this.mode === 'onramp' ? 2 : (this.asset?.decimals ?? 18);
    if ((value.split('.')[1]?.length ?? 0) > decimals) return { error: this.t('amount.decimals', { decimals }) };
    return { value };
  }

  private requestQuote(): void {
    if (this.config.state.status !== 'ready') return;
    const { value } = this.amountCheck();
    const request: QuoteRequest | undefined = value
      ? {
          flow: this.mode,
          amount: value,
          symbol: this.form.symbol,
          fiat: this.form.fiat,
          ...(this.form.chain ? { chain: this.form.chain } : {}),
          ...(this.mode === 'onramp' && this.form.method ? { method: this.form.method } : {}),
        }
      : undefined;
    this.quote.update(request);
  }

  override render(): TemplateResult {
    const state = this.config.state;
    const locale = resolveLocale(this, this.locale);
    return html`<div class="card" part="base" lang=${locale}>
      ${this.renderHeader()}
      <div id="panel" role=${this.lockMode ? nothing : 'tabpanel'} aria-labelledby=${this.lockMode ? nothing : `tab-${this.mode}`}>
        ${state.status === 'ready'
          ? this.mode === 'onramp'
            ? this.renderOnramp(state.config, locale)
            : this.renderOfframp(state.config, locale)
          : state.status === 'error'
            ? errorState(this.errorMessage(state.error), this.t, state.error.code === 'config_missing' ? undefined : () => void this.reload())
            : loadingState(this.t)}
      </div>
    </div>`;
  }

  private renderHeader(): TemplateResult {
    const t = this.t;
    return html`<header part="header">
      <h2>${t(this.mode === 'onramp' ? 'title.onramp' : 'title.offramp')}</h2>
      ${this.lockMode
        ? nothing
        : html`<div role="tablist" part="tabs" aria-label=${t('tabs.label')} @keydown=${this.handleTabKey}>
            ${(['onramp', 'offramp'] as const).map(
              (mode) =>
                html`<button
                  type="button"
                  role="tab"
                  id="tab-${mode}"
                  aria-selected=${this.mode === mode ? 'true' : 'false'}
                  aria-controls="panel"
                  tabindex=${this.mode === mode ? 0 : -1}
                  @click=${() => this.selectMode(mode)}
                >
                  ${t(mode === 'onramp' ? 'tabs.onramp' : 'tabs.offramp')}
                </button>`,
            )}
          </div>`}
    </header>`;
  }

  private errorMessage(error: RampError): string {
    const params: Record<string, string> = { ...error.details };
    if (error.details.minimum) params.minimum = this.form.fiat ? formatFiat(error.details.minimum, this.form.fiat, resolveLocale(this, this.locale)) : error.details.minimum;
    return this.t(`error.${error.code}`, params) || error.message;
  }

  private renderAssetFields(config: RampConfig): TemplateResult {
    const asset = this.asset;
    return html`<div class="row">
      ${selectField({
        id: 'token',
        label: this.t('field.token'),
        value: this.form.symbol,
        options: config.assets.map((a) => ({ value: a.symbol, label: a.name ? `${a.symbol} · ${a.name}` : a.symbol })),
        onChange: (symbol) => {
          const next = config.assets.find((a) => a.symbol === symbol);
          this.setForm({ symbol, chain: next?.chains.includes(this.form.chain) ? this.form.chain : (next?.chains[0] ?? '') });
        },
      })}
      ${asset?.chains.length
        ? selectField({
            id: 'network',
            label: this.t('field.network'),
            value: this.form.chain,
            options: asset.chains.map((c) => ({ value: c, label: chainLabel(c) })),
            onChange: (chain) => this.setForm({ chain }),
          })
        : nothing}
    </div>`;
  }

  private renderOnramp(config: RampConfig, locale: string): TemplateResult {
    const t = this.t;
    const amount = this.amountCheck();
    return html`<div class="step">
      <div class="row">
        ${textField({
          id: 'amount',
          label: t('field.amountFiat'),
          value: this.form.amount,
          inputmode: 'decimal',
          part: 'amount-input',
          suffix: this.form.fiat,
          error: amount.error,
          onInput: (value) => this.setForm({ amount: value }),
        })}
        ${config.fiats.length > 1
          ? selectField({ id: 'fiat', label: t('field.currency'), value: this.form.fiat, options: config.fiats.map((f) => ({ value: f, label: f })), onChange: (fiat) => this.setForm({ fiat }) })
          : nothing}
      </div>
      ${this.renderAssetFields(config)}
      ${config.paymentMethods.length
        ? selectField({
            id: 'method',
            label: t('field.method'),
            value: this.form.method,
            options: config.paymentMethods.map((m) => ({ value: m, label: t(`method.${m}`) || m })),
            onChange: (method) => this.setForm({ method }),
          })
        : nothing}
      ${quotePanel(this.quote.state, t, locale)}
    </div>`;
  }

  private renderOfframp(config: RampConfig, locale: string): TemplateResult {
    switch (this.step) {
      case 'payout':
        return payoutStep(
          { region: config.region, iban: this.payout.iban, ibanError: this.ibanError, bankName: this.payout.bankName, bankNameError: this.bankNameError, ...(config.accountHolder ? { accountHolder: config.accountHolder } : {}) },
          this.t,
          {
            iban: (iban) => (this.payout = { ...this.payout, iban }),
            // focus also leaves when a re-render removes the field: that is no blur by the user
            ibanBlur: () => !this.isUpdatePending && (this.payout = { ...this.payout, ibanTouched: this.payout.iban.trim() !== '' || this.payout.ibanTouched }),
            bankName: (bankName) => (this.payout = { ...this.payout, bankName }),
            back: () => (this.step = 'amount'),
            next: () => this.handleContinuePayout(config),
          },
        );
      case 'review':
        return this.renderReview(config, locale);
      case 'tracking':
        return this.renderTracking(locale);
      default:
        return this.renderOfframpAmount(config, locale);
    }
  }

  private renderOfframpAmount(config: RampConfig, locale: string): TemplateResult {
    const t = this.t;
    const amount = this.amountCheck();
    const error = amount.error ?? (this.amountRequired && !this.form.amount.trim() ? t('amount.invalid') : undefined);
    return html`<form class="step" novalidate @submit=${(e: Event) => (e.preventDefault(), this.handleContinueAmount())}>
      ${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : nothing}
      ${this.renderAssetFields(config)}
      <div class="row">
        ${textField({
          id: 'amount',
          label: t('field.amountToken'),
          value: this.form.amount,
          inputmode: 'decimal',
          part: 'amount-input',
          suffix: this.form.symbol,
          error,
          onInput: (value) => this.setForm({ amount: value }),
        })}
        ${selectField({ id: 'fiat', label: t('field.payoutCurrency'), value: this.form.fiat, options: config.fiats.map((f) => ({ value: f, label: f })), onChange: (fiat) => this.setForm({ fiat }) })}
      </div>
      ${quotePanel(this.quote.state, t, locale)}
      <button type="submit" class="primary" part="primary-button">${t('continue')}</button>
    </form>`;
  }

  private renderReview(config: RampConfig, locale: string): TemplateResult {
    const t = this.t;
    const amount = this.amountCheck().value ?? '0';
    const quote = this.quote.state.status === 'ready' ? this.quote.state.quote : undefined;
    const payTo = config.region === 'EU' ? t('review.ibanEnding', { last4: maskIban(this.payout.iban) }) : t('review.bankAccount', { bank: this.payout.bankName.trim() });
    const error = this.createError ? html`<div class="inline-error" part="error" role="alert">${this.errorMessage(this.createError)}</div>` : undefined;
    return reviewStep(
      {
        amount,
        symbol: this.form.symbol,
        ...(this.form.chain ? { network: chainLabel(this.form.chain) } : {}),
        fiat: this.form.fiat,
        ...(quote ? { quote } : {}),
        payTo,
        creating: this.creating,
        ...(error ? { error } : {}),
      },
      t,
      locale,
      { back: () => (this.step = 'payout'), confirm: () => void this.handleConfirmSell(config) },
    );
  }

  private renderTracking(locale: string): TemplateResult {
    const t = this.t;
    const created = this.created;
    if (!created) return loadingState(t);
    const op: Partial<Operation> = { ...created, ...this.status.operation };
    const status: RampStatus | undefined = this.status.operation?.status;
    if (!status) return html`<div class="step">${loadingState(t)}</div>`;
    if (status === 'failed' || status === 'expired') return offrampFailed({ status, id: created.id }, t, { again: () => this.reset() });
    const token = op.tokenAmount && op.symbol ? formatToken(op.tokenAmount, op.symbol, locale, 18) : '';
    if (status === 'completed') {
      return html`<div class="step">
        ${offrampDone({ token, fiat: op.fiatAmount && op.fiat ? formatFiat(op.fiatAmount, op.fiat, locale) : '', id: created.id }, t, { again: () => this.reset() })}
        ${timeline('offramp', status, t)}
      </div>`;
    }
    const awaitingTokens = status === 'created';
    const wallet = op.wallet;
    return html`<div class="step">
      ${awaitingTokens && wallet && op.tokenAmount && op.symbol
        ? depositPanel(
            {
              id: created.id,
              address: wallet,
              valid: !validateAddress(wallet, op.chain),
              amount: op.tokenAmount,
              symbol: op.symbol,
              ...(op.chain ? { network: chainLabel(op.chain) } : {}),
              copyState: this.copyState,
              walletSending: this.walletSending,
            },
            t,
            locale,
            { copy: () => void this.handleCopy(wallet) },
          )
        : nothing}
      ${!awaitingTokens && op.fiatAmount && op.fiat ? html`<p>${t('review.receive')}: <strong>${formatFiat(op.fiatAmount, op.fiat, locale)}</strong></p>` : nothing}
      ${timeline('offramp', status, t)}
      <p class="muted">${t('status.reference', { id: created.id })}</p>
    </div>`;
  }
}

const CHAIN_NAMES: Record<string, string> = { polygon: 'Polygon', ethereum: 'Ethereum', bsc: 'BNB Smart Chain', arbitrum: 'Arbitrum', optimism: 'Optimism', base: 'Base', tron: 'Tron' };

export function chainLabel(chain: string): string {
  return CHAIN_NAMES[chain.toLowerCase()] ?? chain;
}
